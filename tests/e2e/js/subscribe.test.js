// SubscribeToShard (enhanced fan-out) through the stock JS SDK v3: its default HTTP/2 handler and, once,
// NodeHttpHandler (HTTP/1.1 chunked). Records are pushed on append; these tests check what a consumer
// sees: every starting position, order without gaps across resubscribes, the lifetime end, exclusivity,
// heartbeats, in-stream errors and many consumers on one shard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateStreamCommand, DeregisterStreamConsumerCommand, GetRecordsCommand, GetShardIteratorCommand,
  PutRecordCommand, PutRecordsCommand, RegisterStreamConsumerCommand, SubscribeToShardCommand,
} from '@aws-sdk/client-kinesis';
import { startEddy, client, uniqueName, expectAwsError } from './helpers.js';

const ShardId = 'shardId-000000000000';

async function streamWithConsumers(kinesis, consumerNames) {
  const name = uniqueName('sub');
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
  const StreamARN = `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;
  const arns = [];
  for (const ConsumerName of consumerNames) {
    const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName }));
    arns.push(Consumer.ConsumerARN);
  }
  return { name, StreamARN, arns };
}

async function put(kinesis, StreamName, texts) {
  const out = [];
  for (const t of texts) {
    const r = await kinesis.send(new PutRecordCommand({ StreamName, Data: Buffer.from(t), PartitionKey: 'pk' }));
    out.push(r.SequenceNumber);
  }
  return out;
}

async function subscribe(kinesis, ConsumerARN, StartingPosition) {
  const res = await kinesis.send(new SubscribeToShardCommand({ ConsumerARN, ShardId, StartingPosition }));
  return res.EventStream;
}

// Reads events until `want` records arrived; returns the records and the events seen.
async function collect(events, want) {
  const records = [];
  const seen = [];
  if (want === 0) return { records, seen };
  for await (const ev of events) {
    assert.ok(ev.SubscribeToShardEvent, `unexpected event ${JSON.stringify(Object.keys(ev))}`);
    seen.push(ev.SubscribeToShardEvent);
    records.push(...ev.SubscribeToShardEvent.Records);
    if (records.length >= want) break;
  }
  return { records, seen };
}

const text = (r) => Buffer.from(r.Data).toString();

test('every starting position delivers the right records, in order, as they are appended', async () => {
  const eddy = await startEddy(['--in-memory']);
  const kinesis = client(eddy.endpoint, 'h2');
  try {
    const { name, arns } = await streamWithConsumers(kinesis, ['th', 'latest', 'at', 'after', 'ts']);
    const first = await put(kinesis, name, ['r0', 'r1', 'r2']);
    // The next records must arrive in a later millisecond than r2 for AT_TIMESTAMP to tell them apart.
    const it = await kinesis.send(new GetShardIteratorCommand({ StreamName: name, ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    const got = await kinesis.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
    const r2At = got.Records[2].ApproximateArrivalTimestamp.getTime();
    while (Date.now() <= r2At) await new Promise((r) => setImmediate(r));
    const later = await put(kinesis, name, ['r3', 'r4']);
    const all = [...first, ...later];

    const th = await collect(await subscribe(kinesis, arns[0], { Type: 'TRIM_HORIZON' }), 5);
    assert.deepEqual(th.records.map(text), ['r0', 'r1', 'r2', 'r3', 'r4']);
    assert.deepEqual(th.records.map((r) => r.SequenceNumber), all);
    assert.ok(th.records.every((r) => r.PartitionKey === 'pk' && r.ApproximateArrivalTimestamp instanceof Date));
    assert.equal(th.seen.at(-1).ContinuationSequenceNumber, all[4]);
    assert.equal(th.seen.at(-1).MillisBehindLatest, 0);

    const at = await collect(await subscribe(kinesis, arns[2], { Type: 'AT_SEQUENCE_NUMBER', SequenceNumber: all[1] }), 4);
    assert.deepEqual(at.records.map(text), ['r1', 'r2', 'r3', 'r4']);
    const after = await collect(await subscribe(kinesis, arns[3], { Type: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: all[1] }), 3);
    assert.deepEqual(after.records.map(text), ['r2', 'r3', 'r4']);
    const ts = await collect(await subscribe(kinesis, arns[4], { Type: 'AT_TIMESTAMP', Timestamp: new Date(r2At + 1) }), 2);
    assert.deepEqual(ts.records.map(text), ['r3', 'r4']);

    // LATEST sees only what is appended after it subscribed, pushed without a poll interval.
    const latest = await subscribe(kinesis, arns[1], { Type: 'LATEST' });
    const reader = collect(latest, 2);
    await put(kinesis, name, ['r5', 'r6']);
    const l = await reader;
    assert.deepEqual(l.records.map(text), ['r5', 'r6']);
    assert.equal(l.seen.at(-1).ContinuationSequenceNumber, l.records.at(-1).SequenceNumber);
  } finally {
    kinesis.destroy();
    assert.equal((await eddy.stop()).code, 0);
  }
});

test('resubscribing after each ContinuationSequenceNumber loses and repeats nothing, across lifetime ends', async () => {
  const eddy = await startEddy(['--in-memory', '--subscription-lifetime-ms', '400']);
  const kinesis = client(eddy.endpoint, 'h2');
  try {
    const { name, arns } = await streamWithConsumers(kinesis, ['c']);
    const total = 600;
    const producer = (async () => {
      const seqs = [];
      for (let i = 0; i < total; i += 20) {
        const Records = Array.from({ length: 20 }, (_, j) => ({ Data: Buffer.from(`m${i + j}`), PartitionKey: `k${j}` }));
        const r = await kinesis.send(new PutRecordsCommand({ StreamName: name, Records }));
        assert.equal(r.FailedRecordCount, 0);
        seqs.push(...r.Records.map((x) => x.SequenceNumber));
        await new Promise((res) => setTimeout(res, 40));  // spread the load over several subscriptions
      }
      return seqs;
    })();

    const received = [];
    let position = { Type: 'TRIM_HORIZON' };
    let subscriptions = 0;
    const started = Date.now();
    while (received.length < total) {
      assert.ok(Date.now() - started < 20000, `only ${received.length} of ${total} records after 20 s`);
      subscriptions++;
      const t0 = Date.now();
      let last;
      for await (const ev of await subscribe(kinesis, arns[0], position)) {
        last = ev.SubscribeToShardEvent;
        received.push(...last.Records);
      }
      // The service ended the stream itself, cleanly, once its lifetime was over.
      assert.ok(Date.now() - t0 >= 350, `stream ended after ${Date.now() - t0} ms`);
      assert.ok(last && last.ContinuationSequenceNumber, 'every event has a continuation');
      position = { Type: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: last.ContinuationSequenceNumber };
    }
    const seqs = await producer;
    assert.ok(subscriptions >= 2, `${subscriptions} subscription(s)`);
    assert.deepEqual(received.map((r) => r.SequenceNumber), seqs);
    assert.deepEqual(received.map(text), Array.from({ length: total }, (_, i) => `m${i}`));
  } finally {
    kinesis.destroy();
    assert.equal((await eddy.stop()).code, 0);
  }
});

test('one subscription per consumer and shard: refused within 5 s, taken over after; idle streams get heartbeats', async () => {
  const eddy = await startEddy(['--in-memory']);
  const kinesis = client(eddy.endpoint, 'h2');
  const other = client(eddy.endpoint, 'h2');
  try {
    const { name, arns } = await streamWithConsumers(kinesis, ['c', 'd']);
    const acct = '000000000000';
    const events = await subscribe(kinesis, arns[0], { Type: 'LATEST' });
    const subscribedAt = Date.now();
    await expectAwsError(assert, subscribe(other, arns[0], { Type: 'LATEST' }), 'ResourceInUseException',
      `Another active subscription exists for this consumer: ${acct}:${name}:${ShardId}:c`);
    // Another consumer on the same shard is independent.
    const d = await subscribe(other, arns[1], { Type: 'LATEST' });

    // Idle: an empty event arrives within about 5 s, then the takeover ends the stream with an error.
    const iter = events[Symbol.asyncIterator]();
    const beat = await iter.next();
    assert.deepEqual(beat.value.SubscribeToShardEvent.Records, []);
    assert.equal(beat.value.SubscribeToShardEvent.MillisBehindLatest, 0);
    const waited = Date.now() - subscribedAt;
    assert.ok(waited >= 4500 && waited < 7000, `heartbeat after ${waited} ms`);

    const takeover = await subscribe(other, arns[0], { Type: 'LATEST' });
    await assert.rejects(iter.next(), (e) => e.name === 'ResourceInUseException');
    const reader = collect(takeover, 1);
    const dReader = collect(d, 1);
    await put(kinesis, name, ['after-takeover']);
    assert.deepEqual((await reader).records.map(text), ['after-takeover']);
    assert.deepEqual((await dReader).records.map(text), ['after-takeover']);
  } finally {
    kinesis.destroy();
    other.destroy();
    assert.equal((await eddy.stop()).code, 0);
  }
});

test('errors found before streaming are ordinary error responses', async () => {
  const eddy = await startEddy(['--in-memory', '--create-consumer-ms', '60000']);
  const kinesis = client(eddy.endpoint, 'h2');
  try {
    const { name, StreamARN, arns } = await streamWithConsumers(kinesis, ['slow']);
    const acct = '000000000000';
    const created = arns[0].split(':').at(-1);
    await expectAwsError(assert, subscribe(kinesis, arns[0], { Type: 'LATEST' }), 'ResourceInUseException',
      `Consumer slow with creation timestamp ${created} under stream: ${name} , account ${acct} is not in ACTIVE status.`);
    await expectAwsError(assert, subscribe(kinesis, `${StreamARN}/consumer/nobody:1700000000`, { Type: 'LATEST' }),
      'ResourceNotFoundException', `Consumer nobody under stream ${name} and account ${acct} not found.`);
    await expectAwsError(assert, subscribe(kinesis, `${StreamARN}/consumer/slow:${created}`, { Type: 'AT_SEQUENCE_NUMBER' }),
      'ResourceInUseException');  // the state check comes before the position check
    await expectAwsError(assert,
      kinesis.send(new SubscribeToShardCommand({ ConsumerARN: arns[0], ShardId: 'shardId-000000000000', StartingPosition: { Type: 'BOGUS' } })),
      'ValidationException', /startingPosition\.type/);
  } finally {
    kinesis.destroy();
    assert.equal((await eddy.stop()).code, 0);
  }
  const ok = await startEddy(['--in-memory']);
  const k2 = client(ok.endpoint, 'h2');
  try {
    const { name, arns } = await streamWithConsumers(k2, ['c']);
    const acct = '000000000000';
    await expectAwsError(assert,
      k2.send(new SubscribeToShardCommand({ ConsumerARN: arns[0], ShardId: 'shardId-000000000007', StartingPosition: { Type: 'LATEST' } })),
      'ResourceNotFoundException', `Shard shardId-000000000007 in stream ${name} under account ${acct} does not exist`);
    await expectAwsError(assert, subscribe(k2, arns[0], { Type: 'AT_SEQUENCE_NUMBER' }), 'InvalidArgumentException', /^Must either specify/);
    await expectAwsError(assert, subscribe(k2, arns[0], { Type: 'AT_SEQUENCE_NUMBER', SequenceNumber: '123' }), 'InvalidArgumentException',
      /^StartingSequenceNumber 123 used in SubscribeToShard on shard shardId-000000000000/);
    // None of the refused calls holds the lease.
    const reader = collect(await subscribe(k2, arns[0], { Type: 'LATEST' }), 1);
    await put(k2, name, ['x']);
    assert.deepEqual((await reader).records.map(text), ['x']);
  } finally {
    k2.destroy();
    assert.equal((await ok.stop()).code, 0);
  }
});

test('deregistering the consumer ends its stream with ResourceNotFoundException', async () => {
  const eddy = await startEddy(['--in-memory']);
  const kinesis = client(eddy.endpoint, 'h2');
  try {
    const { name, arns } = await streamWithConsumers(kinesis, ['gone']);
    const iter = (await subscribe(kinesis, arns[0], { Type: 'TRIM_HORIZON' }))[Symbol.asyncIterator]();
    await kinesis.send(new DeregisterStreamConsumerCommand({ ConsumerARN: arns[0] }));
    await put(kinesis, name, ['wake']);  // an append wakes the subscription, which then finds it gone
    await assert.rejects(async () => { for (;;) { const r = await iter.next(); if (r.done) break; } },
      (e) => e.name === 'ResourceNotFoundException' && e.message === `Consumer gone under stream ${name} and account 000000000000 not found.`);
  } finally {
    kinesis.destroy();
    assert.equal((await eddy.stop()).code, 0);
  }
});

test('20 consumers on one shard under load each receive every record; HTTP/1.1 chunked works too', async () => {
  const eddy = await startEddy(['--in-memory']);
  const kinesis = client(eddy.endpoint, 'h2');
  const http1 = client(eddy.endpoint, 'http1');
  try {
    const names = Array.from({ length: 20 }, (_, i) => `c${i}`);
    const { name, arns } = await streamWithConsumers(kinesis, names);
    const total = 3000;
    const readers = [];
    for (let i = 0; i < arns.length; i++) {
      const via = i === 0 ? http1 : kinesis;
      readers.push(collect(await subscribe(via, arns[i], { Type: 'TRIM_HORIZON' }), total));
    }
    const seqs = [];
    for (let i = 0; i < total; i += 500) {
      const Records = Array.from({ length: 500 }, (_, j) => ({ Data: Buffer.from(`v${i + j}`), PartitionKey: `p${j % 7}` }));
      const r = await kinesis.send(new PutRecordsCommand({ StreamName: name, Records }));
      assert.equal(r.FailedRecordCount, 0);
      seqs.push(...r.Records.map((x) => x.SequenceNumber));
    }
    const results = await Promise.all(readers);
    for (const { records } of results) {
      assert.equal(records.length, total);
      assert.deepEqual(records.map((r) => r.SequenceNumber), seqs);
    }
  } finally {
    kinesis.destroy();
    http1.destroy();
    assert.equal((await eddy.stop()).code, 0);
  }
});
