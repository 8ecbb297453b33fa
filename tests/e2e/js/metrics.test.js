// GET /metrics seen from the JS SDK v3, which makes every call on a new HTTP/2 (h2c) connection: the h2
// connection counters, and the per-operation and per-shard series of calls made over h2. The exposition
// itself is parsed with the official parser in tests/e2e/python/test_metrics.py; here a sample is a line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateStreamCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { startEddy, client, uniqueName } from './helpers.js';

async function scrape(endpoint) {
  const res = await fetch(`${endpoint}/metrics`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const text = await res.text();
  return (series) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };
}

async function eventually(fn, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

test('calls over h2 count as h2 connections, requests and shard traffic', async () => {
  const eddy = await startEddy(['--in-memory']);
  const kinesis = client(eddy.endpoint, 'h2');
  try {
    assert.equal(kinesis.config.requestHandler.constructor.name, 'NodeHttp2Handler');
    const before = await scrape(eddy.endpoint);
    assert.equal(before('eddy_connections_accepted_total{protocol="h2"}'), 0);

    const name = uniqueName('m');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const records = Array.from({ length: 25 }, (_, i) => ({ Data: Buffer.alloc(40 + i, 'a'), PartitionKey: 'key' }));
    const bytes = records.reduce((n, r) => n + r.Data.length + r.PartitionKey.length, 0);
    const calls = 4;
    for (let i = 0; i < calls; i++) {
      const out = await kinesis.send(new PutRecordsCommand({ StreamName: name, Records: records }));
      assert.equal(out.FailedRecordCount, 0);
    }

    const after = await scrape(eddy.endpoint);
    assert.equal(after('eddy_connections_accepted_total{protocol="h2"}'), 1 + calls, 'one h2 connection per call');
    assert.equal(after('eddy_api_requests_total{operation="PutRecords"}'), calls);
    assert.equal(after('eddy_api_request_duration_seconds_count{operation="PutRecords"}'), calls);
    assert.equal(after('eddy_api_requests_total{operation="CreateStream"}'), 1);
    const shard = `{account="000000000000",region="us-east-1",stream="${name}",shard="shardId-000000000000"}`;
    assert.equal(after(`eddy_shard_incoming_records_total${shard}`), calls * records.length);
    assert.equal(after(`eddy_shard_incoming_bytes_total${shard}`), calls * bytes);
    assert.equal(after('eddy_connections_open{protocol="http1"}'), 1, 'fetch() scrapes over HTTP/1.1');

    kinesis.destroy();
    const closed = await eventually(async () => (await scrape(eddy.endpoint))('eddy_connections_open{protocol="h2"}') === 0);
    assert.ok(closed, 'h2 connections are no longer counted once the SDK has closed them');
  } finally {
    kinesis.destroy();
    assert.equal((await eddy.stop()).code, 0);
  }
});
