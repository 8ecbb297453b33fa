// End-to-end load through the stock JS SDK v3 (its default HTTP/2 handler, a new session per call):
// PutRecords throughput with concurrent workers, then sequential PutRecord latency. The native load
// generator replaces this in the speed issue; the SDK itself tops out near 130k records/s per core.
//
//   node bench/e2e/put_load.mjs --endpoint http://127.0.0.1:4567 [--seconds 10] [--workers 8]
//        [--batch 500] [--payload 100] [--shards 4] [--latency-calls 2000]
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tests/e2e/js/package.json'));
const { KinesisClient, CreateStreamCommand, PutRecordsCommand, PutRecordCommand } = require('@aws-sdk/client-kinesis');

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const endpoint = args.endpoint || 'http://127.0.0.1:4567';
const seconds = Number(args.seconds || 10);
const workers = Number(args.workers || 8);
const batch = Number(args.batch || 500);
const payload = Number(args.payload || 100);
const shards = Number(args.shards || 4);
const latencyCalls = Number(args['latency-calls'] || 2000);

const kinesis = new KinesisClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1 });
const stream = `bench-${Date.now().toString(36)}`;
await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: shards }));

const data = Buffer.alloc(payload, 'x');
let records = 0;
let errors = 0;
const deadline = performance.now() + seconds * 1000;
const started = performance.now();
await Promise.all(Array.from({ length: workers }, async (_, w) => {
  let n = 0;
  while (performance.now() < deadline) {
    const Records = Array.from({ length: batch }, (_, i) => ({ PartitionKey: `w${w}-${n}-${i}`, Data: data }));
    try {
      const r = await kinesis.send(new PutRecordsCommand({ StreamName: stream, Records }));
      records += batch - r.FailedRecordCount;
      errors += r.FailedRecordCount;
    } catch {
      errors += batch;
    }
    n++;
  }
}));
const elapsed = (performance.now() - started) / 1000;

const latencies = [];
for (let i = 0; i < latencyCalls; i++) {
  const t0 = performance.now();
  await kinesis.send(new PutRecordCommand({ StreamName: stream, PartitionKey: `l${i}`, Data: data }));
  latencies.push(performance.now() - t0);
}
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];

const result = {
  endpoint, workers, batch, payload_bytes: payload, shards, seconds: Number(elapsed.toFixed(2)),
  put_records_per_s: Math.round(records / elapsed),
  put_mb_per_s: Number(((records * payload) / elapsed / 1e6).toFixed(2)),
  errors,
  put_record_latency_ms: { p50: Number(pct(50).toFixed(2)), p90: Number(pct(90).toFixed(2)), p99: Number(pct(99).toFixed(2)), max: Number(latencies.at(-1).toFixed(2)) },
};
console.log(JSON.stringify(result));
kinesis.destroy();
