// Fault injection (--fault-rate, --fault-types, --fault-ops, --latency) seen by the JS SDK v3's own retry
// logic: injected 500s, 503s and throttles are retried as AWS's are, and PutRecords is throttled per record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateStreamCommand, DescribeStreamSummaryCommand, GetShardIteratorCommand, ListStreamsCommand, PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { startEddy, client, uniqueName } from './helpers.js';

async function scrape(endpoint, series) {
  const text = await (await fetch(`${endpoint}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail('the call succeeded');
}

test('an injected 500 is retried by the SDK until its attempts run out', async () => {
  const eddy = await startEddy(['--in-memory', '--fault-rate', '1', '--fault-types', 'internal',
    '--fault-ops', 'ListStreams']);
  const kinesis = client(eddy.endpoint, 'h2', { maxAttempts: 3 });
  try {
    const e = await rejection(kinesis.send(new ListStreamsCommand({})));
    assert.equal(e.name, 'InternalFailure');
    assert.equal(e.message, 'Internal service failure.');
    assert.equal(e.$metadata.httpStatusCode, 500);
    assert.equal(e.$metadata.attempts, 3, 'the SDK retried the 500');
    assert.equal(await scrape(eddy.endpoint, 'eddy_faults_injected_total{operation="ListStreams",type="internal"}'), 3);
    // Operations outside --fault-ops are untouched.
    await kinesis.send(new CreateStreamCommand({ StreamName: uniqueName('f'), ShardCount: 1 }));
  } finally {
    kinesis.destroy();
    assert.deepEqual(await eddy.stop(), { code: 0, signal: null });
  }
});

test('an injected 503 and throttle are retried, and a later attempt succeeds', async () => {
  // Half the calls fail, of both kinds; with a fixed seed the same calls fail on every run.
  const eddy = await startEddy(['--in-memory', '--fault-rate', '0.5', '--fault-types', 'unavailable,throttle',
    '--fault-ops', 'DescribeStreamSummary', '--fault-seed', '5']);
  const kinesis = client(eddy.endpoint, 'http1', { maxAttempts: 6 });
  try {
    const name = uniqueName('f');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    let retried = 0;
    for (let i = 0; i < 6; i++) {
      const out = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
      assert.equal(out.StreamDescriptionSummary.StreamName, name);
      retried += out.$metadata.attempts - 1;
    }
    const unavailable = await scrape(eddy.endpoint,
      'eddy_faults_injected_total{operation="DescribeStreamSummary",type="unavailable"}');
    const throttled = await scrape(eddy.endpoint,
      'eddy_faults_injected_total{operation="DescribeStreamSummary",type="throttle"}');
    assert.ok(unavailable > 0 && throttled > 0, `both kinds were injected (${unavailable}, ${throttled})`);
    assert.equal(retried, unavailable + throttled, 'every injected error was retried by the SDK');
  } finally {
    kinesis.destroy();
    assert.deepEqual(await eddy.stop(), { code: 0, signal: null });
  }
});

test('throttled data-plane calls name the shard, and PutRecords fails per record', async () => {
  const eddy = await startEddy(['--in-memory', '--fault-rate', '0.4', '--fault-types', 'throttle',
    '--fault-ops', 'PutRecords,GetShardIterator', '--fault-seed', '9']);
  const kinesis = client(eddy.endpoint, 'h2', { maxAttempts: 1 });
  try {
    const name = uniqueName('f');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const records = Array.from({ length: 100 }, (_, i) => ({ Data: Buffer.from(`r${i}`), PartitionKey: `k${i}` }));
    const out = await kinesis.send(new PutRecordsCommand({ StreamName: name, Records: records }));
    const failed = out.Records.filter((r) => r.ErrorCode);
    assert.equal(out.FailedRecordCount, failed.length);
    assert.ok(failed.length > 15 && failed.length < 65, `about 40 of 100 refused, got ${failed.length}`);
    for (const r of failed) {
      assert.equal(r.ErrorCode, 'ProvisionedThroughputExceededException');
      assert.equal(r.ErrorMessage,
        `Rate exceeded for shard shardId-000000000000 in stream ${name} under account 000000000000.`);
    }
    // A throttled GetShardIterator reaches the caller as the SDK's typed exception once retries are off.
    let throttled;
    for (let i = 0; i < 20 && !throttled; i++) {
      try {
        await kinesis.send(new GetShardIteratorCommand({
          StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON',
        }));
      } catch (e) {
        throttled = e;
      }
    }
    assert.ok(throttled, 'a GetShardIterator was throttled');
    assert.equal(throttled.name, 'ProvisionedThroughputExceededException');
    assert.equal(throttled.$metadata.httpStatusCode, 400);
    assert.equal(throttled.message,
      `Rate exceeded for shard shardId-000000000000 in stream ${name} under account 000000000000.`);
  } finally {
    kinesis.destroy();
    assert.deepEqual(await eddy.stop(), { code: 0, signal: null });
  }
});

test('--latency delays the calls of --fault-ops', async () => {
  const eddy = await startEddy(['--in-memory', '--latency', '150-200', '--fault-ops', 'ListStreams']);
  const kinesis = client(eddy.endpoint, 'h2');
  try {
    const started = performance.now();
    await kinesis.send(new ListStreamsCommand({}));
    assert.ok(performance.now() - started >= 150, 'the call took at least the added latency');
    assert.equal(await scrape(eddy.endpoint, 'eddy_faults_injected_total{operation="ListStreams",type="latency"}'), 1);
  } finally {
    kinesis.destroy();
    assert.deepEqual(await eddy.stop(), { code: 0, signal: null });
  }
});

test('an unknown operation in --fault-ops stops the start', async () => {
  await assert.rejects(startEddy(['--in-memory', '--fault-rate', '0.1', '--fault-ops', 'PutRecrods']),
    /exited with 1: .*--fault-ops names 'PutRecrods', which is not a Kinesis operation Eddy serves/s);
});
