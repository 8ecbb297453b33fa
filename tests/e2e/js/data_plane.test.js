// The data plane through the stock JS SDK v3 (HTTP/2, one session per call).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import agg from 'aws-kinesis-agg';
import {
  CreateStreamCommand, DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, PutRecordCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { startEddy, client, uniqueName, expectAwsError } from './helpers.js';

const md5Hash = (key) => BigInt('0x' + createHash('md5').update(key, 'utf8').digest('hex'));

async function iterator(kinesis, StreamName, ShardId, ShardIteratorType, extra = {}) {
  const r = await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType, ...extra }));
  assert.ok(r.ShardIterator.length <= 512);
  return r.ShardIterator;
}

async function readAll(kinesis, ShardIterator, max = 100000) {
  const records = [];
  let it = ShardIterator;
  for (;;) {
    const r = await kinesis.send(new GetRecordsCommand({ ShardIterator: it }));
    assert.ok(r.NextShardIterator, 'an open shard always gives a next iterator');
    records.push(...r.Records);
    it = r.NextShardIterator;
    if (r.Records.length === 0 || records.length >= max) return { records, next: it, millisBehind: r.MillisBehindLatest };
  }
}

describe('data plane over HTTP/2', () => {
  let eddy;
  let kinesis;
  let stream;
  let shards;
  before(async () => {
    eddy = await startEddy(['--in-memory']);
    kinesis = client(eddy.endpoint, 'h2');
    stream = uniqueName('data');
    await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 3 }));
    shards = (await kinesis.send(new DescribeStreamCommand({ StreamName: stream }))).StreamDescription.Shards;
  });
  after(async () => {
    kinesis.destroy();
    assert.equal((await eddy.stop()).code, 0);
  });

  const shardFor = (hash) => shards.find((s) => BigInt(s.HashKeyRange.StartingHashKey) <= hash && hash <= BigInt(s.HashKeyRange.EndingHashKey));

  test('DryRun on the data-plane operations checks the request and stores nothing', async () => {
    const it = await iterator(kinesis, stream, 'shardId-000000000000', 'LATEST');
    const dry = 'The request was rejected because the DryRun parameter was specified.';
    await expectAwsError(assert, kinesis.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'dry', Data: Buffer.from('x'), DryRun: true })),
      'DryRunOperationException', dry);
    await expectAwsError(assert, kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: [{ PartitionKey: 'dry', Data: Buffer.from('x') }], DryRun: true })),
      'DryRunOperationException', dry);
    await expectAwsError(assert, kinesis.send(new GetRecordsCommand({ ShardIterator: it, DryRun: true })), 'DryRunOperationException', dry);
    await expectAwsError(assert, kinesis.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST', DryRun: true })),
      'DryRunOperationException', dry);
    // A request that would fail still fails for its own reason.
    await expectAwsError(assert, kinesis.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'dry', DryRun: true })), 'ValidationException');
    const r = await kinesis.send(new GetRecordsCommand({ ShardIterator: it, DryRun: false }));
    assert.deepEqual(r.Records, [], 'nothing was stored');
  });

  test('PutRecord routes by MD5 and returns rising 56-digit sequence numbers', async () => {
    const last = new Map();
    for (let i = 0; i < 60; i++) {
      const key = `key-${i}-é`;
      const r = await kinesis.send(new PutRecordCommand({ StreamName: stream, PartitionKey: key, Data: Buffer.from(`v${i}`) }));
      assert.equal(r.ShardId, shardFor(md5Hash(key)).ShardId, key);
      assert.match(r.SequenceNumber, /^49\d{54}$/);
      const shard = shards.find((s) => s.ShardId === r.ShardId);
      assert.ok(BigInt(r.SequenceNumber) > BigInt(shard.SequenceNumberRange.StartingSequenceNumber));
      if (last.has(r.ShardId)) assert.ok(BigInt(r.SequenceNumber) > last.get(r.ShardId));
      last.set(r.ShardId, BigInt(r.SequenceNumber));
    }
  });

  test('ExplicitHashKey routes exactly at range edges', async () => {
    for (const s of shards) {
      for (const hk of [s.HashKeyRange.StartingHashKey, s.HashKeyRange.EndingHashKey]) {
        const r = await kinesis.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'x', ExplicitHashKey: hk, Data: Buffer.from('e') }));
        assert.equal(r.ShardId, s.ShardId, hk);
      }
    }
    await expectAwsError(assert, kinesis.send(new PutRecordCommand({
      StreamName: stream, PartitionKey: 'x', ExplicitHashKey: (1n << 128n).toString(), Data: Buffer.from('e') })),
    'InvalidArgumentException',
    'Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was 340282366920938463463374607431768211456');
  });

  test('binary data, a 1 MiB record and a 500-record batch come back byte for byte and in order', async () => {
    const name = uniqueName('bin');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const big = randomBytes(1024 * 1024 - 1);
    await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'b', Data: allBytes }));
    await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'b', Data: big }));
    const batch = Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `p${i % 7}`, Data: Buffer.from(`record-${i}`) }));
    const put = await kinesis.send(new PutRecordsCommand({ StreamName: name, Records: batch }));
    assert.equal(put.FailedRecordCount, 0);
    assert.equal(put.Records.length, 500);
    const { records } = await readAll(kinesis, await iterator(kinesis, name, 'shardId-000000000000', 'TRIM_HORIZON'));
    assert.equal(records.length, 502);
    assert.deepEqual(Buffer.from(records[0].Data), allBytes);
    assert.ok(Buffer.from(records[1].Data).equals(big));
    for (let i = 0; i < 500; i++) {
      assert.equal(Buffer.from(records[i + 2].Data).toString(), `record-${i}`);
      assert.equal(records[i + 2].SequenceNumber, put.Records[i].SequenceNumber);
      assert.equal(records[i + 2].PartitionKey, `p${i % 7}`);
    }
    for (let i = 1; i < records.length; i++) assert.ok(BigInt(records[i].SequenceNumber) > BigInt(records[i - 1].SequenceNumber));
    assert.ok(records[0].ApproximateArrivalTimestamp instanceof Date);
    await expectAwsError(assert, kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'b', Data: Buffer.alloc(1024 * 1024 + 1) })),
      'ValidationException', /at 'data' failed to satisfy constraint: Member must have length less than or equal to 1048576$/);
  });

  test('every iterator type, an empty shard and paging', async () => {
    const name = uniqueName('it');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const shard = 'shardId-000000000000';
    const empty = await kinesis.send(new GetRecordsCommand({ ShardIterator: await iterator(kinesis, name, shard, 'TRIM_HORIZON') }));
    assert.deepEqual(empty.Records, []);
    assert.equal(empty.MillisBehindLatest, 0);
    const latest = await iterator(kinesis, name, shard, 'LATEST');

    const first = await kinesis.send(new PutRecordsCommand({ StreamName: name, Records: [0, 1, 2].map((i) => ({ PartitionKey: 'k', Data: Buffer.from(`a${i}`) })) }));
    const got = await readAll(kinesis, empty.NextShardIterator);
    assert.deepEqual(got.records.map((r) => Buffer.from(r.Data).toString()), ['a0', 'a1', 'a2'], 'the empty shard\'s iterator sees later records');
    const arrival = got.records[2].ApproximateArrivalTimestamp;
    // A timestamp strictly after the first batch, so AT_TIMESTAMP must skip it.
    while (Date.now() <= arrival.getTime() + 1) await new Promise((r) => setImmediate(r));
    const between = new Date(arrival.getTime() + 1);
    const second = await kinesis.send(new PutRecordsCommand({ StreamName: name, Records: [0, 1].map((i) => ({ PartitionKey: 'k', Data: Buffer.from(`b${i}`) })) }));

    const texts = async (it) => (await readAll(kinesis, it)).records.map((r) => Buffer.from(r.Data).toString());
    assert.deepEqual(await texts(latest), ['a0', 'a1', 'a2', 'b0', 'b1']);
    assert.deepEqual(await texts(await iterator(kinesis, name, shard, 'LATEST')), []);
    assert.deepEqual(await texts(await iterator(kinesis, name, shard, 'AT_SEQUENCE_NUMBER', { StartingSequenceNumber: first.Records[1].SequenceNumber })), ['a1', 'a2', 'b0', 'b1']);
    assert.deepEqual(await texts(await iterator(kinesis, name, shard, 'AFTER_SEQUENCE_NUMBER', { StartingSequenceNumber: first.Records[2].SequenceNumber })), ['b0', 'b1']);
    assert.deepEqual(await texts(await iterator(kinesis, name, shard, 'AT_TIMESTAMP', { Timestamp: between })), ['b0', 'b1']);
    assert.deepEqual(await texts(await iterator(kinesis, name, shard, 'AT_TIMESTAMP', { Timestamp: new Date(0) })), ['a0', 'a1', 'a2', 'b0', 'b1']);
    assert.equal(second.FailedRecordCount, 0);

    const page1 = await kinesis.send(new GetRecordsCommand({ ShardIterator: await iterator(kinesis, name, shard, 'TRIM_HORIZON'), Limit: 2 }));
    assert.equal(page1.Records.length, 2);
    assert.ok(page1.MillisBehindLatest >= 0);
    const page2 = await kinesis.send(new GetRecordsCommand({ ShardIterator: page1.NextShardIterator, Limit: 2 }));
    assert.deepEqual(page2.Records.map((r) => Buffer.from(r.Data).toString()), ['a2', 'b0']);

    await expectAwsError(assert, iterator(kinesis, name, shard, 'AT_TIMESTAMP', { Timestamp: new Date(Date.now() + 3_600_000) }),
      'InvalidArgumentException', /^The timestampInMillis parameter cannot be greater than the currentTimestampInMillis\. timestampInMillis: \d+, currentTimestampInMillis: \d+$/);
    await expectAwsError(assert, iterator(kinesis, name, shard, 'AT_SEQUENCE_NUMBER'), 'InvalidArgumentException',
      'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified AT_SEQUENCE_NUMBER and no StartingSequenceNumber.');
    await expectAwsError(assert, iterator(kinesis, name, 'shardId-000000000007', 'LATEST'), 'ResourceNotFoundException',
      `Shard shardId-000000000007 in stream ${name} under account 000000000000 does not exist`);
    const foreign = (await kinesis.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'k', Data: Buffer.from('z') }))).SequenceNumber;
    await expectAwsError(assert, iterator(kinesis, name, shard, 'AT_SEQUENCE_NUMBER', { StartingSequenceNumber: foreign }), 'InvalidArgumentException',
      /did not come from this stream\.$|^Invalid StartingSequenceNumber\. It encodes/);
    const tampered = page1.NextShardIterator.slice(0, 10) + (page1.NextShardIterator[10] === 'A' ? 'B' : 'A') + page1.NextShardIterator.slice(11);
    await expectAwsError(assert, kinesis.send(new GetRecordsCommand({ ShardIterator: tampered })), 'InvalidArgumentException', 'Invalid ShardIterator.');
  });

  test('a KPL-aggregated record passes through untouched and deaggregates', async () => {
    const name = uniqueName('kpl');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const userRecords = Array.from({ length: 50 }, (_, i) => ({ partitionKey: `user-${i}`, data: Buffer.from(JSON.stringify({ i, pad: 'x'.repeat(i) })) }));
    const encoded = [];
    await new Promise((resolve, reject) => {
      agg.aggregate(userRecords, (rec, cb) => { encoded.push(rec); cb(); }, resolve, reject);
    });
    assert.equal(encoded.length, 1, 'fifty small records make one aggregate');
    const aggregate = Buffer.from(encoded[0].data);
    assert.equal(aggregate.subarray(0, 4).toString('hex'), 'f3899ac2');
    await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: encoded[0].partitionKey, ExplicitHashKey: encoded[0].explicitHashKey, Data: aggregate }));
    const { records } = await readAll(kinesis, await iterator(kinesis, name, 'shardId-000000000000', 'TRIM_HORIZON'));
    assert.equal(records.length, 1);
    assert.ok(Buffer.from(records[0].Data).equals(aggregate), 'stored byte for byte');
    const users = await new Promise((resolve, reject) => {
      agg.deaggregateSync({ data: Buffer.from(records[0].Data).toString('base64'), partitionKey: records[0].PartitionKey, sequenceNumber: records[0].SequenceNumber },
        true, (err, out) => (err ? reject(err) : resolve(out)));
    });
    assert.equal(users.length, 50);
    users.forEach((u, i) => {
      assert.equal(u.partitionKey, `user-${i}`);
      assert.equal(Buffer.from(u.data, 'base64').toString(), userRecords[i].data.toString());
    });
  });

  test('writes to a missing stream and oversized batches fail as AWS does', async () => {
    const missing = uniqueName('missing');
    await expectAwsError(assert, kinesis.send(new PutRecordCommand({ StreamName: missing, PartitionKey: 'k', Data: Buffer.from('x') })),
      'ResourceNotFoundException', `Stream ${missing} under account 000000000000 not found.`);
    await expectAwsError(assert, kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: Array.from({ length: 501 }, () => ({ PartitionKey: 'k', Data: Buffer.from('x') })) })),
      'ValidationException', /Member must have length less than or equal to 500$/);
    // 11 records of 1,000,000 bytes: over the 10 MiB a PutRecords request may carry (5 MiB before 2025).
    await expectAwsError(assert, kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: Array.from({ length: 11 }, () => ({ PartitionKey: 'k', Data: Buffer.alloc(1_000_000) })) })),
      'InvalidArgumentException', /^Records size exceeds the 10 MiB limit of a PutRecords request/);
    await expectAwsError(assert, kinesis.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'k'.repeat(257), Data: Buffer.from('x') })),
      'ValidationException', /at 'partitionKey' failed to satisfy constraint: Member must have length less than or equal to 256$/);
  });
});
