// --enforce-limits seen through the JS SDK v3: AWS's per-shard write and read rates and control-plane rates
// refuse what AWS would, with AWS's error types and texts, and the SDK's retries get through once the
// shard's budget refills.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateStreamCommand, DescribeLimitsCommand, GetRecordsCommand, GetShardIteratorCommand, PutRecordCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { startEddy, client, uniqueName } from './helpers.js';

let eddy;
before(async () => { eddy = await startEddy(['--in-memory', '--enforce-limits']); });
after(async () => { assert.deepEqual(await eddy.stop(), { code: 0, signal: null }); });

async function stream(kinesis) {
  const name = uniqueName('l');
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
  return name;
}

const throttleText = (name) => `Rate exceeded for shard shardId-000000000000 in stream ${name} under account 000000000000.`;

test('a shard takes 1 MiB/s: the records past it are refused one by one', async () => {
  const kinesis = client(eddy.endpoint, 'h2', { maxAttempts: 1 });
  try {
    const name = await stream(kinesis);
    // 500 records of 2,100 bytes (data and key) are 1,050,000 bytes: the last does not fit in 1 MiB.
    const records = Array.from({ length: 500 }, (_, i) => ({
      Data: Buffer.alloc(2100 - `k${i}`.length, 'x'), PartitionKey: `k${i}`,
    }));
    const out = await kinesis.send(new PutRecordsCommand({ StreamName: name, Records: records }));
    assert.ok(out.FailedRecordCount >= 1, 'some record was refused');
    assert.ok(out.Records.slice(0, 499).every((r) => r.SequenceNumber), 'the first 499 fit');
    for (const r of out.Records.filter((x) => x.ErrorCode)) {
      assert.equal(r.ErrorCode, 'ProvisionedThroughputExceededException');
      assert.equal(r.ErrorMessage, throttleText(name));
    }
    // A PutRecord on the spent shard is refused whole.
    await assert.rejects(
      kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.alloc(100000) })),
      (e) => e.name === 'ProvisionedThroughputExceededException' && e.message === throttleText(name)
        && e.$metadata.httpStatusCode === 400,
    );
  } finally {
    kinesis.destroy();
  }
});

test('five GetRecords per second per shard, and the SDK retries the sixth through', async () => {
  const once = client(eddy.endpoint, 'h2', { maxAttempts: 1 });
  const retrying = client(eddy.endpoint, 'h2', { maxAttempts: 6 });
  try {
    const name = await stream(once);
    const { ShardIterator } = await once.send(new GetShardIteratorCommand({
      StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON',
    }));
    let refused;
    for (let i = 0; i < 10 && !refused; i++) {
      try {
        await once.send(new GetRecordsCommand({ ShardIterator }));
      } catch (e) {
        refused = e;
      }
    }
    assert.ok(refused, 'a GetRecords beyond 5 per second was refused');
    assert.equal(refused.name, 'ProvisionedThroughputExceededException');
    assert.equal(refused.message, throttleText(name));
    const out = await retrying.send(new GetRecordsCommand({ ShardIterator }));
    assert.ok(out.$metadata.attempts > 1, 'the SDK retried the throttled call');
    assert.deepEqual(out.Records, []);
  } finally {
    once.destroy();
    retrying.destroy();
  }
});

test('control-plane rates: DescribeLimits once per second per account', async () => {
  const kinesis = client(eddy.endpoint, 'http1', { maxAttempts: 1 });
  try {
    await kinesis.send(new DescribeLimitsCommand({}));
    await assert.rejects(kinesis.send(new DescribeLimitsCommand({})),
      (e) => e.name === 'LimitExceededException' && e.message === 'Rate exceeded for account 000000000000.');
  } finally {
    kinesis.destroy();
  }
});
