// Resharding through the stock JS SDK v3: SplitShard, MergeShards and UpdateShardCount while producers
// write, then a KCL-style walk that reads every shard from TRIM_HORIZON, parents before children, following
// ChildShards to each closed shard's end; every record must be read exactly once, each key in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateStreamCommand, DescribeStreamCommand, DescribeStreamSummaryCommand, GetRecordsCommand,
  GetShardIteratorCommand, ListShardsCommand, MergeShardsCommand, PutRecordsCommand, RegisterStreamConsumerCommand,
  SplitShardCommand, SubscribeToShardCommand, UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis';
import { startEddy, client, uniqueName, expectAwsError } from './helpers.js';

const MAX = (1n << 128n) - 1n;
const shardIdOf = (i) => `shardId-${String(i).padStart(12, '0')}`;

async function allShards(kinesis, StreamName) {
  const out = [];
  let page = await kinesis.send(new ListShardsCommand({ StreamName }));
  out.push(...page.Shards);
  while (page.NextToken) {
    page = await kinesis.send(new ListShardsCommand({ NextToken: page.NextToken }));
    out.push(...page.Shards);
  }
  return out;
}

// Open shards must tile 0..2^128-1.
function assertCoverage(shards) {
  const open = shards.filter((s) => !s.SequenceNumberRange.EndingSequenceNumber)
    .map((s) => [BigInt(s.HashKeyRange.StartingHashKey), BigInt(s.HashKeyRange.EndingHashKey)])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  assert.equal(open[0][0], 0n);
  assert.equal(open.at(-1)[1], MAX);
  for (let i = 1; i < open.length; i++) assert.equal(open[i - 1][1] + 1n, open[i][0]);
  return open.length;
}

// Reads one shard to its end (closed) or until caught up (open); returns records and the ChildShards seen.
async function readShard(kinesis, StreamName, ShardId) {
  let { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
  const records = [];
  for (;;) {
    const r = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 1000 }));
    records.push(...r.Records);
    if (!r.NextShardIterator) return { records, children: r.ChildShards ?? [] };
    if (r.Records.length === 0 && r.MillisBehindLatest === 0) return { records, children: null };
    ShardIterator = r.NextShardIterator;
  }
}

test('split, merge and UpdateShardCount under writes: a lineage walk reads every record once, in key order', async () => {
  const eddy = await startEddy(['--in-memory']);
  const kinesis = client(eddy.endpoint, 'h2');
  try {
    const StreamName = uniqueName('rs');
    await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 2 }));
    const keys = Array.from({ length: 24 }, (_, i) => `key-${i}`);
    const counters = new Map(keys.map((k) => [k, 0]));
    let writing = true;
    let batches = 0;
    const writer = (async () => {
      while (writing) {
        const Records = keys.map((k) => {
          const n = counters.get(k);
          counters.set(k, n + 1);
          return { PartitionKey: k, Data: Buffer.from(`${k}:${n}`) };
        });
        const r = await kinesis.send(new PutRecordsCommand({ StreamName, Records }));
        assert.equal(r.FailedRecordCount, 0, JSON.stringify(r.Records.find((x) => x.ErrorCode)));
        batches++;
      }
    })();
    const afterSomeWrites = async () => { const b = batches; while (batches < b + 3) await new Promise((r) => setTimeout(r, 1)); };

    await afterSomeWrites();
    const mid = ((MAX / 2n) / 2n).toString();  // inside shard 0, which holds [0, 2^127)
    await kinesis.send(new SplitShardCommand({ StreamName, ShardToSplit: shardIdOf(0), NewStartingHashKey: mid }));
    await afterSomeWrites();
    await kinesis.send(new MergeShardsCommand({ StreamName, ShardToMerge: shardIdOf(2), AdjacentShardToMerge: shardIdOf(3) }));
    await afterSomeWrites();
    const up = await kinesis.send(new UpdateShardCountCommand({ StreamName, TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }));
    assert.equal(up.CurrentShardCount, 2);
    assert.equal(up.TargetShardCount, 4);
    await afterSomeWrites();
    await kinesis.send(new UpdateShardCountCommand({ StreamName, TargetShardCount: 3, ScalingType: 'UNIFORM_SCALING' }));
    await afterSomeWrites();
    writing = false;
    await writer;

    const shards = await allShards(kinesis, StreamName);
    assert.equal(assertCoverage(shards), 3);
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
    assert.equal(summary.StreamDescriptionSummary.OpenShardCount, 3);
    assert.equal(summary.StreamDescriptionSummary.StreamStatus, 'ACTIVE');
    const byId = new Map(shards.map((s) => [s.ShardId, s]));
    for (const s of shards) {
      if (s.ParentShardId) assert.ok(byId.get(s.ParentShardId).SequenceNumberRange.EndingSequenceNumber, `${s.ParentShardId} is closed`);
    }

    // Parents first: a shard is read once every parent it has has been read to its end.
    const done = new Set();
    const seen = new Map(keys.map((k) => [k, []]));
    let total = 0;
    while (done.size < shards.length) {
      const ready = shards.filter((s) => !done.has(s.ShardId) &&
        [s.ParentShardId, s.AdjacentParentShardId].every((p) => !p || done.has(p)));
      assert.ok(ready.length > 0, 'the lineage has no cycle and no missing parent');
      for (const s of ready) {
        const { records, children } = await readShard(kinesis, StreamName, s.ShardId);
        const closed = Boolean(s.SequenceNumberRange.EndingSequenceNumber);
        if (closed) {
          const expected = shards.filter((c) => c.ParentShardId === s.ShardId || c.AdjacentParentShardId === s.ShardId)
            .map((c) => c.ShardId).sort();
          assert.deepEqual(children.map((c) => c.ShardId).sort(), expected, `ChildShards of ${s.ShardId}`);
          for (const c of children) assert.ok(c.ParentShards.includes(s.ShardId) && c.HashKeyRange);
        } else {
          assert.equal(children, null, `${s.ShardId} is open`);
        }
        for (const r of records) {
          const [k, n] = Buffer.from(r.Data).toString().split(':');
          assert.equal(r.PartitionKey, k);
          seen.get(k).push(Number(n));
          total++;
        }
        done.add(s.ShardId);
      }
    }
    for (const k of keys) {
      assert.deepEqual(seen.get(k), Array.from({ length: counters.get(k) }, (_, i) => i), `${k}: every record once, in order`);
    }
    assert.equal(total, keys.length * batches);
  } finally {
    kinesis.destroy();
    assert.equal((await eddy.stop()).code, 0);
  }
});

test('reshard errors come back as AWS words them; UPDATING lasts --update-stream-ms', async () => {
  const eddy = await startEddy(['--in-memory', '--update-stream-ms', '300']);
  const kinesis = client(eddy.endpoint, 'http1');
  try {
    const StreamName = uniqueName('rse');
    await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 2 }));
    const acct = '000000000000';
    const half = (1n << 127n).toString();
    await expectAwsError(assert, kinesis.send(new SplitShardCommand({ StreamName, ShardToSplit: shardIdOf(9), NewStartingHashKey: '5' })),
      'ResourceNotFoundException', `Could not find shard ${shardIdOf(9)} in stream ${StreamName} under account ${acct}.`);
    await expectAwsError(assert, kinesis.send(new SplitShardCommand({ StreamName, ShardToSplit: shardIdOf(1), NewStartingHashKey: half })),
      'InvalidArgumentException', `NewStartingHashKey ${half} used in SplitShard() on shard ${shardIdOf(1)} in stream ${StreamName} under account ${acct} is not both greater than one plus the shard's StartingHashKey ${half} and less than the shard's EndingHashKey ${MAX}.`);
    await expectAwsError(assert, kinesis.send(new MergeShardsCommand({ StreamName, ShardToMerge: shardIdOf(1), AdjacentShardToMerge: shardIdOf(0) })),
      'InvalidArgumentException', `Shards ${shardIdOf(1)} and ${shardIdOf(0)} in stream ${StreamName} under account ${acct} are not an adjacent pair of shards eligible for merging`);
    await expectAwsError(assert, kinesis.send(new UpdateShardCountCommand({ StreamName, TargetShardCount: 5, ScalingType: 'UNIFORM_SCALING' })),
      'LimitExceededException', 'UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: 2, Target shard count: 5');
    await expectAwsError(assert, kinesis.send(new UpdateShardCountCommand({ StreamName, TargetShardCount: 0, ScalingType: 'UNIFORM_SCALING' })),
      'ValidationException', /targetShardCount/);

    await kinesis.send(new SplitShardCommand({ StreamName, ShardToSplit: shardIdOf(0), NewStartingHashKey: '1000' }));
    let d = await kinesis.send(new DescribeStreamCommand({ StreamName }));
    assert.equal(d.StreamDescription.StreamStatus, 'UPDATING');
    assert.equal(d.StreamDescription.Shards.length, 2, 'the children appear when the update lands');
    await expectAwsError(assert, kinesis.send(new MergeShardsCommand({ StreamName, ShardToMerge: shardIdOf(0), AdjacentShardToMerge: shardIdOf(1) })),
      'ResourceInUseException', `Stream ${StreamName} under account ${acct} not ACTIVE, instead in state UPDATING`);
    while (d.StreamDescription.StreamStatus === 'UPDATING') {
      await new Promise((r) => setTimeout(r, 20));
      d = await kinesis.send(new DescribeStreamCommand({ StreamName }));
    }
    assert.equal(d.StreamDescription.Shards.length, 4);
    const parent = d.StreamDescription.Shards[0];
    assert.match(parent.SequenceNumberRange.EndingSequenceNumber, /^49\d{54}$/);
    assert.deepEqual(d.StreamDescription.Shards.slice(2).map((s) => [s.ParentShardId, s.HashKeyRange.StartingHashKey]),
      [[shardIdOf(0), '0'], [shardIdOf(0), '1000']]);
    await expectAwsError(assert, kinesis.send(new SplitShardCommand({ StreamName, ShardToSplit: shardIdOf(0), NewStartingHashKey: '500' })),
      'InvalidArgumentException', `Shard ${shardIdOf(0)} in stream ${StreamName} under account ${acct} has already been merged or split, and thus is not eligible for merging or splitting.`);
  } finally {
    kinesis.destroy();
    assert.equal((await eddy.stop()).code, 0);
  }
});

test('a subscription to a shard that closes ends with ChildShards and no continuation', async () => {
  const eddy = await startEddy(['--in-memory']);
  const kinesis = client(eddy.endpoint, 'h2');
  try {
    const StreamName = uniqueName('rsc');
    await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({
      StreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${StreamName}`, ConsumerName: 'kcl' }));
    const sub = await kinesis.send(new SubscribeToShardCommand({ ConsumerARN: Consumer.ConsumerARN, ShardId: shardIdOf(0), StartingPosition: { Type: 'TRIM_HORIZON' } }));
    await kinesis.send(new PutRecordsCommand({ StreamName, Records: [{ PartitionKey: 'a', Data: Buffer.from('before') }] }));
    const events = [];
    const reader = (async () => { for await (const ev of sub.EventStream) events.push(ev.SubscribeToShardEvent); })();
    while (!events.some((e) => e.Records.length)) await new Promise((r) => setTimeout(r, 5));
    await kinesis.send(new SplitShardCommand({ StreamName, ShardToSplit: shardIdOf(0), NewStartingHashKey: (1n << 127n).toString() }));
    await reader;  // the stream ends by itself once the shard is closed and fully delivered
    const last = events.at(-1);
    assert.equal(last.ContinuationSequenceNumber, undefined);
    assert.deepEqual(last.ChildShards.map((c) => c.ShardId), [shardIdOf(1), shardIdOf(2)]);
    assert.deepEqual(last.ChildShards[0].ParentShards, [shardIdOf(0)]);
    assert.deepEqual(events.flatMap((e) => e.Records).map((r) => Buffer.from(r.Data).toString()), ['before']);
  } finally {
    kinesis.destroy();
    assert.equal((await eddy.stop()).code, 0);
  }
});

test('an ON_DEMAND stream splits a shard whose writes stay hot, and keeps every record', async () => {
  const eddy = await startEddy(['--in-memory', '--on-demand-scale-ms', '200']);
  const kinesis = client(eddy.endpoint, 'h2');
  try {
    const StreamName = uniqueName('od');
    await kinesis.send(new CreateStreamCommand({ StreamName, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
    const open = async () => (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }))).StreamDescriptionSummary.OpenShardCount;
    assert.equal(await open(), 4);
    // One hot key: well over 500 records/s to a single shard until the scaler reacts (bounded by a deadline).
    const deadline = Date.now() + 15000;
    let written = 0;
    while ((await open()) === 4) {
      assert.ok(Date.now() < deadline, 'the hot shard was never split');
      const Records = Array.from({ length: 200 }, (_, i) => ({ PartitionKey: 'hot', Data: Buffer.from(String(written + i)) }));
      const r = await kinesis.send(new PutRecordsCommand({ StreamName, Records }));
      assert.equal(r.FailedRecordCount, 0);
      written += 200;
    }
    const shards = await allShards(kinesis, StreamName);
    assert.equal(assertCoverage(shards), 5);
    const closed = shards.filter((s) => s.SequenceNumberRange.EndingSequenceNumber);
    assert.equal(closed.length, 1, 'exactly the hot shard was split');
    const children = shards.filter((s) => s.ParentShardId === closed[0].ShardId);
    assert.equal(children.length, 2);
    // Reading the parent, then the child that now holds the key, gives every record once, in order.
    const parent = await readShard(kinesis, StreamName, closed[0].ShardId);
    const rest = [];
    for (const c of children) rest.push(...(await readShard(kinesis, StreamName, c.ShardId)).records);
    const values = [...parent.records, ...rest].map((r) => Number(Buffer.from(r.Data).toString()));
    assert.deepEqual(values, Array.from({ length: written }, (_, i) => i));
  } finally {
    kinesis.destroy();
    assert.equal((await eddy.stop()).code, 0);
  }
});
