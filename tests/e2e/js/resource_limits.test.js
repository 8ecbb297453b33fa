// Resource limits (docs/limits.md, "Resource limits") and the fan-out pace of --enforce-limits, seen through
// the JS SDK v3 over HTTP/2 and HTTP/1.1: what the SDK reports when a limit is hit, that it carries on once
// it is not, and the counters. Raw-protocol checks of each limit are in tests/e2e/python/test_resource_limits.py.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateStreamCommand, DescribeStreamConsumerCommand, ListStreamsCommand, PutRecordsCommand,
  RegisterStreamConsumerCommand, SubscribeToShardCommand,
} from '@aws-sdk/client-kinesis';
import { startEddy, client, uniqueName } from './helpers.js';

async function limitHits(endpoint, limit) {
  const text = await (await fetch(`${endpoint}/metrics`)).text();
  const series = `eddy_frontend_limit_hits_total{limit="${limit}"} `;
  const line = text.split('\n').find((l) => l.startsWith(series));
  return Number(line.slice(series.length));
}

async function eventually(fn, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    assert.ok(Date.now() < deadline, `${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// A client whose every request carries `bytes` of extra header.
function paddedClient(endpoint, transport, bytes) {
  const c = client(endpoint, transport);
  c.middlewareStack.add((next) => async (args) => {
    args.request.headers['x-padding'] = 'p'.repeat(bytes);
    return next(args);
  }, { step: 'build', name: 'padHeaders' });
  return c;
}

for (const transport of ['h2', 'http1']) {
  test(`over ${transport}: a header block past --max-header-bytes fails that call only`, async () => {
    const eddy = await startEddy(['--in-memory', '--max-header-bytes', '4096']);
    try {
      const small = paddedClient(eddy.endpoint, transport, 1000);
      const big = paddedClient(eddy.endpoint, transport, 8000);
      try {
        await small.send(new ListStreamsCommand({}));
        const err = await big.send(new ListStreamsCommand({})).then(() => null, (e) => e);
        assert.ok(err, 'the oversized call failed');
        if (transport === 'http1') assert.equal(err.$metadata.httpStatusCode, 431, String(err));
        assert.equal(await limitHits(eddy.endpoint, 'header_bytes'), 1);
        const out = await small.send(new ListStreamsCommand({}));
        assert.deepEqual(out.StreamNames, []);
      } finally {
        small.destroy();
        big.destroy();
      }
    } finally {
      assert.equal((await eddy.stop()).code, 0);
    }
  });

}

// Over HTTP/1.1 the SDK keeps its connection alive between calls; eddy closes it once idle, and the next call
// must not fail for it. (The SDK's HTTP/2 handler closes each session itself after its call, so it never
// meets the idle timeout; tests/e2e/python/test_resource_limits.py checks the GOAWAY a held h2 connection gets.)
for (const transport of ['http1']) {
  test(`over ${transport}: a connection closed for being idle is replaced by the SDK without an error`, async () => {
    const eddy = await startEddy(['--in-memory', '--idle-timeout-ms', '300']);
    const kinesis = client(eddy.endpoint, transport);
    try {
      await kinesis.send(new ListStreamsCommand({}));
      await eventually(async () => (await limitHits(eddy.endpoint, 'idle_timeout')) >= 1, 'the idle close');
      const out = await kinesis.send(new ListStreamsCommand({}));
      assert.deepEqual(out.StreamNames, []);
    } finally {
      kinesis.destroy();
      assert.equal((await eddy.stop()).code, 0);
    }
  });
}

test('records past a full shard write queue are refused per record as ProvisionedThroughputExceededException', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'eddy-queue-'));
  const eddy = await startEddy(['--data-dir', dir, '--sync', 'always', '--max-shard-queue-bytes', '1048576']);
  const clients = Array.from({ length: 16 }, () => client(eddy.endpoint, 'h2'));
  try {
    const name = uniqueName('q');
    await clients[0].send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const results = [];
    await Promise.all(clients.map(async (c, t) => {
      for (let round = 0; round < 3; round++) {
        const Records = Array.from({ length: 5 }, (_, i) => ({
          Data: Buffer.alloc(200 * 1024, t), PartitionKey: `p${t}-${round}-${i}`,
        }));
        const out = await c.send(new PutRecordsCommand({ StreamName: name, Records }));
        results.push(...out.Records);
      }
    }));
    const refused = results.filter((r) => r.ErrorCode);
    assert.ok(refused.length > 0, 'the queue filled at least once');
    assert.ok(results.some((r) => r.SequenceNumber), 'records were stored too');
    for (const r of refused) {
      assert.equal(r.ErrorCode, 'ProvisionedThroughputExceededException');
      assert.equal(r.ErrorMessage,
        `Rate exceeded for shard shardId-000000000000 in stream ${name} under account 000000000000.`);
    }
  } finally {
    for (const c of clients) c.destroy();
    assert.equal((await eddy.stop()).code, 0);
    await rm(dir, { recursive: true, force: true });
  }
});

// 10 records of 1000 KiB read through one consumer: at once without --enforce-limits, and at AWS's 2 MiB/s
// per consumer with it (two 2 MiB events at once, then one a second: about 2.9 s).
test('--enforce-limits paces a SubscribeToShard stream at 2 MiB/s', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'eddy-pace-'));
  const total = 10 * 1000 * 1024;
  const seconds = async (eddy, ConsumerARN) => {
    const kinesis = client(eddy.endpoint, 'h2');
    try {
      const began = Date.now();
      const res = await kinesis.send(new SubscribeToShardCommand({
        ConsumerARN, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'TRIM_HORIZON' },
      }));
      let got = 0;
      for await (const ev of res.EventStream) {
        got += ev.SubscribeToShardEvent.Records.reduce((n, r) => n + r.Data.length, 0);
        if (got >= total) break;
      }
      assert.equal(got, total);
      return (Date.now() - began) / 1000;
    } finally {
      kinesis.destroy();
    }
  };
  let arn;
  let unpaced;
  const free = await startEddy(['--data-dir', dir]);
  try {
    const kinesis = client(free.endpoint, 'h2');
    try {
      const name = uniqueName('pace');
      await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
      const StreamARN = `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;
      arn = (await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'c' }))).Consumer.ConsumerARN;
      for (let b = 0; b < 2; b++) {
        const Records = Array.from({ length: 5 }, (_, i) => ({ Data: Buffer.alloc(1000 * 1024, i), PartitionKey: `k${i}` }));
        assert.equal((await kinesis.send(new PutRecordsCommand({ StreamName: name, Records }))).FailedRecordCount, 0);
      }
      await eventually(async () => (await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: arn })))
        .ConsumerDescription.ConsumerStatus === 'ACTIVE', 'the consumer to be ACTIVE');
    } finally {
      kinesis.destroy();
    }
    unpaced = await seconds(free, arn);
  } finally {
    assert.equal((await free.stop()).code, 0);
  }
  const paced = await startEddy(['--data-dir', dir, '--enforce-limits']);
  try {
    const took = await seconds(paced, arn);
    // A sanitizer build (scripts/sanitize.sh sets EDDY_TEST_SLOWDOWN) is slower unpaced; the pace is a floor.
    const slowdown = Number(process.env.EDDY_TEST_SLOWDOWN || 1);
    assert.ok(unpaced < 2 * slowdown, `unpaced took ${unpaced} s`);
    assert.ok(took >= 2.4 && took < 15 * slowdown, `paced took ${took} s`);
  } finally {
    assert.equal((await paced.stop()).code, 0);
    await rm(dir, { recursive: true, force: true });
  }
});
