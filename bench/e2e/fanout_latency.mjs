// Put -> SubscribeToShard event latency through the stock JS SDK v3 (default HTTP/2 handler): one
// consumer subscribed at LATEST, then --records sequential PutRecord calls. For each record it notes
// when the put was sent, when the put was acknowledged and when the event carrying it arrived, and
// prints percentiles of send->event and send->ack (the producer's own round trip, for scale) as JSON.
// --producer sdk puts through the SDK too (its HTTP/2 handler costs a few ms per call, which then
// dominates); --producer raw puts over one keep-alive HTTP/1.1 connection, so what remains is the
// broker's commit-and-push path. The subscriber is always the stock SDK.
//
//   node bench/e2e/fanout_latency.mjs --endpoint http://127.0.0.1:4567 [--records 2000] [--payload 100]
//        [--producer sdk|raw]
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tests/e2e/js/package.json'));
const {
  KinesisClient, CreateStreamCommand, RegisterStreamConsumerCommand, PutRecordCommand, SubscribeToShardCommand,
} = require('@aws-sdk/client-kinesis');

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const endpoint = args.endpoint || 'http://127.0.0.1:4567';
const total = Number(args.records || 2000);
const payload = Number(args.payload || 100);
const producerKind = args.producer || 'raw';

const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1 };
const producer = new KinesisClient(config);
const consumer = new KinesisClient(config);
const stream = `fanout-${Date.now().toString(36)}`;
await producer.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
const { Consumer } = await producer.send(new RegisterStreamConsumerCommand({
  StreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`, ConsumerName: 'bench' }));
const sub = await consumer.send(new SubscribeToShardCommand({
  ConsumerARN: Consumer.ConsumerARN, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'LATEST' } }));

const sent = new Float64Array(total);
const acked = new Float64Array(total);
const received = new Float64Array(total);
let count = 0;
let wake = null;
const reader = (async () => {
  for await (const ev of sub.EventStream) {
    const now = performance.now();
    for (const r of ev.SubscribeToShardEvent?.Records ?? []) {
      received[Buffer.from(r.Data).readUInt32BE(0)] = now;
      count++;
    }
    if (wake) wake();
    if (count >= total) break;
  }
})();

// A PutRecord over a kept-alive HTTP/1.1 connection, signed only as far as eddy's default checks need.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const url = new URL(endpoint);
function rawPut(data) {
  const body = JSON.stringify({ StreamName: stream, PartitionKey: 'k', Data: data.toString('base64') });
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname, port: url.port, method: 'POST', path: '/', agent,
      headers: {
        'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'Kinesis_20131202.PutRecord', 'X-Amz-Date': amzDate,
        Authorization: `AWS4-HMAC-SHA256 Credential=bench/${amzDate.slice(0, 8)}/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=0`,
        'Content-Length': Buffer.byteLength(body),
      },
    }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`PutRecord ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const data = Buffer.alloc(Math.max(4, payload), 'x');
for (let i = 0; i < total; i++) {
  data.writeUInt32BE(i, 0);
  sent[i] = performance.now();
  if (producerKind === 'sdk') await producer.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'k', Data: data }));
  else await rawPut(data);
  acked[i] = performance.now();
  // One record in flight at a time, so each latency is measured on an otherwise idle path.
  while (received[i] === 0) await new Promise((r) => { wake = r; });
}
await reader;

function percentiles(xs) {
  const s = Array.from(xs).sort((a, b) => a - b);
  const at = (q) => Number(s[Math.min(s.length - 1, Math.floor(q * s.length))].toFixed(3));
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}
const toEvent = received.map((r, i) => r - sent[i]);
const toAck = acked.map((a, i) => a - sent[i]);
const eventBeforeAck = received.filter((r, i) => r <= acked[i]).length;
console.log(JSON.stringify({
  producer: producerKind,
  records: total,
  send_to_event_ms: percentiles(toEvent),
  send_to_ack_ms: percentiles(toAck),
  events_before_ack: eventBeforeAck,
}));
agent.destroy();
producer.destroy();
consumer.destroy();
process.exit(0);
