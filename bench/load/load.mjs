// Connection and memory load against a running eddy (bench/load/run.sh starts one and calls this):
//
//   node bench/load/load.mjs idle   --endpoint URL --pid PID [--connections 10000] [--hold 60] [--kinds http1,h2]
//   node bench/load/load.mjs active --endpoint URL --pid PID [--clients 1000] [--duration 120] [--shards 8]
//   node bench/load/load.mjs churn  --endpoint URL --pid PID [--duration 600] [--workers 16] [--warmup 60]
//                                   [--pattern client|handler]
//   common: [--sample SECONDS] [--json FILE]
//   idle --rounds N: open, hold and close N times on one eddy; the RSS left after each close must not grow
//   idle --expect-refused 1: eddy's --max-connections is the number held, so fresh connections must be refused
//
// idle:   opens --connections connections and leaves them idle: http1 ones after one keep-alive GET /health,
//         h2 ones after the preface and the SETTINGS exchange (tcp ones send nothing: eddy's sniffer holds
//         them until its idle deadline). While they are held it checks that eddy answers a fresh
//         connection, that none of them was closed, and at the end that held ones still answer (GET
//         /health, an HTTP/2 PING); then it closes them all and waits for eddy's descriptors to go back.
// active: --clients keep-alive HTTP/1.1 connections, each looping PutRecord then GetRecords on one shard.
// churn:  the JS SDK v3's pattern of a new KinesisClient (HTTP/2 default handler, so a new h2c connection)
//         per call, destroyed after it, from --workers loops at full rate; fails unless eddy's RSS and open
//         descriptors stay flat (see `flat` below).
//
// Every mode samples eddy's VmRSS, VmHWM, open descriptors (/proc/PID/fd) and threads every --sample
// seconds, checks at the end that eddy's own connection gauge (eddy_connections_open) is back to zero and
// its descriptors back to where they started, prints one JSON report on stdout and exits 1 if a check failed.
// Requests are signed only as far as eddy's default presence check needs (no --auth=sigv4).
import net from 'node:net';
import http from 'node:http';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const here = path.dirname(fileURLToPath(import.meta.url));
const [mode, ...rest] = process.argv.slice(2);
const args = {};
for (let i = 0; i < rest.length; i++) {
  if (!rest[i].startsWith('--')) throw new Error(`unexpected argument ${rest[i]}`);
  args[rest[i].slice(2)] = rest[i + 1];
  i++;
}
const num = (name, dflt) => (args[name] === undefined ? dflt : Number(args[name]));
const endpoint = args.endpoint || 'http://127.0.0.1:4567';
const { hostname: host, port: portText } = new URL(endpoint);
const port = Number(portText);
const pid = Number(args.pid);
if (!pid) throw new Error('--pid PID of the eddy process is required');
const sampleSeconds = num('sample', 10);
const MiB = 1024;  // samples are in KiB

// ---------------------------------------------------------------------------------------------------
// eddy's process, from /proc

function processSample() {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)[1]);
  return {
    t: Number(((performance.now() - t0) / 1000).toFixed(1)),
    rss_kib: field('VmRSS'),
    hwm_kib: field('VmHWM'),
    fds: readdirSync(`/proc/${pid}/fd`).length,
    threads: field('Threads'),
  };
}
const t0 = performance.now();
const samples = [];
let progress = () => '';
function sampleNow() {
  const s = processSample();
  samples.push(s);
  // RocksDB's memtables hold what was written since the last flush (up to 64 MiB per column family of
  // logs): memory that grows with the data, not with connections. Filled in when /metrics answers.
  memtablesKib().then((m) => { s.memtables_kib = m; }, () => {});
  process.stderr.write(`[${s.t.toFixed(0).padStart(4)} s] rss ${(s.rss_kib / MiB).toFixed(1)} MiB, fds ${s.fds}, threads ${s.threads}${progress()}\n`);
  return s;
}
function startSampling() {
  const timer = setInterval(sampleNow, sampleSeconds * 1000);
  return () => clearInterval(timer);
}

// eddy's /metrics text, fetched on a fresh connection (no agent), so the scrape never reuses a held one.
function scrapeMetrics() {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: '/metrics', agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
  });
}

// The connection gauges of /metrics: { open: {http1, h2}, accepted: {http1, h2} }.
async function connectionMetrics() {
  const body = await scrapeMetrics();
  const read = (metric, protocol) => {
    const m = new RegExp(`^${metric}\\{[^}]*protocol="${protocol}"[^}]*\\} (\\S+)$`, 'm').exec(body);
    return m ? Number(m[1]) : 0;
  };
  return {
    open: { http1: read('eddy_connections_open', 'http1'), h2: read('eddy_connections_open', 'h2') },
    accepted: { http1: read('eddy_connections_accepted_total', 'http1'), h2: read('eddy_connections_accepted_total', 'h2') },
  };
}

async function memtablesKib() {
  const body = await scrapeMetrics();
  let total = 0;
  for (const m of body.matchAll(/^eddy_rocksdb_size_all_mem_tables_bytes\{[^}]*\} (\S+)$/gm)) total += Number(m[1]);
  return Math.round(total / 1024);
}

// ---------------------------------------------------------------------------------------------------
// A minimal keep-alive HTTP/1.1 client on one socket, one request at a time (eddy answers every
// non-streamed response with a Content-Length).

const amzDate = () => new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
function kinesisRequest(operation, body) {
  const payload = JSON.stringify(body);
  const date = amzDate();
  return `POST / HTTP/1.1\r\nHost: ${host}:${port}\r\nContent-Type: application/x-amz-json-1.1\r\n` +
    `X-Amz-Target: Kinesis_20131202.${operation}\r\nX-Amz-Date: ${date}\r\n` +
    `Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${date.slice(0, 8)}/us-east-1/kinesis/aws4_request, ` +
    `SignedHeaders=host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}\r\n` +
    `Content-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`;
}

class Http1Connection {
  constructor(socket) {
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    this.waiter = null;
    this.closed = false;
    socket.on('data', (d) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, d]) : d;
      this.tryComplete();
    });
    const onClose = (err) => {
      if (this.closed) return;
      this.closed = true;
      if (this.waiter) this.waiter.reject(err || new Error('connection closed'));
      this.waiter = null;
    };
    socket.on('close', () => onClose());
    socket.on('error', (e) => onClose(e));
  }

  static open(timeoutMs = 30000) {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => { socket.destroy(); reject(new Error('connect timeout')); }, timeoutMs);
      socket.once('connect', () => { clearTimeout(timer); resolve(new Http1Connection(socket)); });
      socket.once('error', (e) => { clearTimeout(timer); reject(e); });
    });
  }

  tryComplete() {
    if (!this.waiter) return;
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.buffer.subarray(0, end).toString('latin1');
    const length = Number((/\r\ncontent-length:\s*(\d+)/i.exec(head) || [0, 0])[1]);
    if (this.buffer.length < end + 4 + length) return;
    const status = Number(head.slice(9, 12));
    const body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
    this.buffer = this.buffer.subarray(end + 4 + length);
    const w = this.waiter;
    this.waiter = null;
    w.resolve({ status, body });
  }

  send(raw) {
    if (this.closed) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.socket.write(raw);
    });
  }

  get(target) { return this.send(`GET ${target} HTTP/1.1\r\nHost: ${host}:${port}\r\n\r\n`); }

  async call(operation, body) {
    const r = await this.send(kinesisRequest(operation, body));
    const parsed = r.body ? JSON.parse(r.body) : {};
    if (r.status !== 200) {
      const e = new Error(`${operation}: ${r.status} ${parsed.__type || ''} ${parsed.message || ''}`);
      e.type = (parsed.__type || `HTTP ${r.status}`).split('#').pop();
      throw e;
    }
    return parsed;
  }

  close() { this.socket.destroy(); }
}

// One call on a fresh connection, closed after it.
async function callOnce(operation, body) {
  const c = await Http1Connection.open();
  try {
    return await c.call(operation, body);
  } finally {
    c.close();
  }
}

// The round trip in ms of one call on a fresh connection.
async function freshCall(operation, body) {
  const started = performance.now();
  await callOnce(operation, body);
  return performance.now() - started;
}

async function createStream(name, shards) {
  const c = await Http1Connection.open();
  try {
    await c.call('CreateStream', { StreamName: name, ShardCount: shards });
    for (;;) {
      const d = await c.call('DescribeStreamSummary', { StreamName: name });
      if (d.StreamDescriptionSummary.StreamStatus === 'ACTIVE') return;
      await sleep(20);
    }
  } finally {
    c.close();
  }
}

// Runs fn(i) for i in [0, n) with at most `width` at a time.
async function bounded(n, width, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, n) }, async () => {
    while (next < n) await fn(next++);
  }));
}

// After a mode's connections are closed: eddy's descriptors back to the baseline (give or take `slack`)
// and its connection gauges at zero (the /metrics request itself is one open http1 connection).
async function settles(baselineFds, slack = 2, timeoutMs = 30000) {
  const deadline = performance.now() + timeoutMs;
  let m, s;
  for (;;) {
    s = processSample();
    m = await connectionMetrics();
    const ok = s.fds <= baselineFds + slack && m.open.h2 === 0 && m.open.http1 <= 1;
    if (ok || performance.now() > deadline) {
      return { ok, fds: s.fds, baseline_fds: baselineFds, rss_kib: s.rss_kib, open: m.open, waited_s: Number(((timeoutMs - (deadline - performance.now())) / 1000).toFixed(1)) };
    }
    await sleep(250);
  }
}

// "Flat": after the warm-up, the largest value of the last third of the samples is within `pct` of the
// largest of the first third, or within `abs` of it, whichever allows more. Maxima, not means: a leak
// raises the floor and the peaks alike, while one busy sample moves a mean.
function flat(values, pct, abs) {
  const third = Math.floor(values.length / 3);
  if (third < 1) return { ok: false, reason: 'fewer than 3 samples after the warm-up' };
  const first = Math.max(...values.slice(0, third));
  const last = Math.max(...values.slice(values.length - third));
  const allowed = Math.max(first * pct, abs);
  return { ok: last - first <= allowed, first_third_max: first, last_third_max: last, growth: last - first, allowed };
}

function finish(report, checks) {
  report.checks = checks;
  report.ok = Object.values(checks).every((c) => c === true || c?.ok === true);
  report.samples = samples;
  const text = JSON.stringify(report, null, 1);
  if (args.json) writeFileSync(args.json, text + '\n');
  const { samples: _, ...summary } = report;
  console.log(JSON.stringify(summary, null, 1));
  process.exit(report.ok ? 0 : 1);
}

// ---------------------------------------------------------------------------------------------------
// idle

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
const h2Frame = (type, flags, payload = Buffer.alloc(0)) => {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  return Buffer.concat([head, payload]);
};
const H2_SETTINGS = h2Frame(4, 0);
const H2_SETTINGS_ACK = h2Frame(4, 1);

// A held connection: `kind` http1 (after one GET /health), h2 (after SETTINGS both ways) or tcp (silent).
async function openIdle(kind) {
  const socket = await new Promise((resolve, reject) => {
    const s = net.connect({ host, port });
    const timer = setTimeout(() => { s.destroy(); reject(new Error('connect timeout')); }, 30000);
    s.once('connect', () => { clearTimeout(timer); resolve(s); });
    s.once('error', (e) => { clearTimeout(timer); reject(e); });
  });
  const conn = { kind, socket, closed: false, received: 0 };
  socket.on('close', () => { conn.closed = true; });
  socket.on('error', () => {});
  if (kind === 'tcp') return conn;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind}: no answer in 30 s`)), 30000);
    const onData = (d) => {
      conn.received += d.length;
      const text = d.toString('latin1');
      if (kind === 'http1' && text.includes('\r\n\r\n')) {
        clearTimeout(timer);
        socket.off('data', onData);
        if (!text.startsWith('HTTP/1.1 200')) return reject(new Error(`GET /health: ${text.slice(0, 40)}`));
        return resolve();
      }
      if (kind === 'h2' && d.length >= 9 && d[3] === 4) {  // the server's SETTINGS come first
        clearTimeout(timer);
        socket.off('data', onData);
        socket.write(H2_SETTINGS_ACK);
        return resolve();
      }
    };
    socket.on('data', onData);
    socket.once('close', () => { clearTimeout(timer); reject(new Error(`${kind}: closed by eddy before answering`)); });
    socket.write(kind === 'http1' ? `GET /health HTTP/1.1\r\nHost: ${host}:${port}\r\n\r\n` : Buffer.concat([H2_PREFACE, H2_SETTINGS]));
  });
  return conn;
}

// A held connection still answers: GET /health on http1, PING on h2.
function stillAnswers(conn) {
  return new Promise((resolve) => {
    if (conn.closed) return resolve(false);
    const timer = setTimeout(() => { conn.socket.off('data', onData); resolve(false); }, 30000);
    const onData = (d) => {
      const text = d.toString('latin1');
      const ok = conn.kind === 'http1' ? text.startsWith('HTTP/1.1 200') : d.length >= 9 && d[3] === 6 && (d[4] & 1) === 1;
      if (!ok && conn.kind === 'h2') return;  // e.g. a SETTINGS ACK or WINDOW_UPDATE before the PING ACK
      clearTimeout(timer);
      conn.socket.off('data', onData);
      resolve(ok);
    };
    conn.socket.on('data', onData);
    conn.socket.write(conn.kind === 'http1' ? `GET /health HTTP/1.1\r\nHost: ${host}:${port}\r\n\r\n` : h2Frame(6, 0, Buffer.alloc(8, 7)));
  });
}

async function idleRound(baseline) {
  const count = num('connections', 10000);
  const hold = num('hold', 60);
  const kinds = (args.kinds || 'http1,h2').split(',');
  const conns = [];
  const failures = {};
  let opened = 0;
  progress = () => `, held ${conns.filter((c) => !c.closed).length}`;
  const stop = startSampling();
  const openStarted = performance.now();
  await bounded(count, num('connect-concurrency', 256), async (i) => {
    try {
      conns.push(await openIdle(kinds[i % kinds.length]));
      opened++;
    } catch (e) {
      failures[e.message] = (failures[e.message] || 0) + 1;
    }
  });
  const openSeconds = (performance.now() - openStarted) / 1000;
  const afterOpen = sampleNow();
  const metricsHeld = await connectionMetrics().catch((e) => ({ open: { http1: 0, h2: 0 }, error: e.message }));
  // A fresh connection beyond the held ones: answered while eddy's --max-connections leaves room,
  // refused (closed unanswered) when the held ones fill it.
  const freshLatencies = [];
  const freshFailures = {};
  const fresh = async () => {
    try {
      freshLatencies.push(await freshCall('ListStreams', {}));
    } catch (e) {
      freshFailures[e.message] = (freshFailures[e.message] || 0) + 1;
    }
  };
  await fresh();
  // eddy closes a connection idle for --idle-timeout (120 s, fixed), counted from its last bytes; on a
  // loaded machine opening 10,000 can take a minute, so the hold ends 10 s before the oldest would go.
  const idleTimeout = num('idle-timeout', 120);
  const holdUntil = Math.min(performance.now() + hold * 1000, openStarted + (idleTimeout - 10) * 1000);
  const holdStarted = performance.now();
  while (performance.now() < holdUntil) {
    await sleep(Math.min(sampleSeconds * 1000, Math.max(0, holdUntil - performance.now())));
    await fresh();
  }
  const endOfHold = sampleNow();
  const heldSeconds = (performance.now() - holdStarted) / 1000;
  const closedDuringHold = conns.filter((c) => c.closed).length;
  const byKind = Object.fromEntries(kinds.map((k) => [k, conns.filter((c) => c.kind === k).length]));
  const closedByKind = Object.fromEntries(kinds.map((k) => [k, conns.filter((c) => c.kind === k && c.closed).length]));
  // Up to 200 held connections of each talking kind must still answer.
  const probes = {};
  for (const k of kinds.filter((x) => x !== 'tcp')) {
    const some = conns.filter((c) => c.kind === k).slice(0, 200);
    const answers = await Promise.all(some.map(stillAnswers));
    probes[k] = { asked: some.length, answered: answers.filter(Boolean).length };
  }
  stop();
  for (const c of conns) c.socket.destroy();
  const settled = await settles(baseline.fds);
  const heldKib = afterOpen.rss_kib - baseline.rss_kib;
  return [{
    connections: count, opened, open_failures: failures, by_kind: byKind, open_seconds: Number(openSeconds.toFixed(1)),
    hold_seconds: Number(heldSeconds.toFixed(1)), oldest_connection_age_s: Number(((performance.now() - openStarted) / 1000).toFixed(1)),
    baseline: { rss_kib: baseline.rss_kib, fds: baseline.fds },
    held: { rss_kib: afterOpen.rss_kib, fds: afterOpen.fds, end_of_hold_rss_kib: endOfHold.rss_kib, end_of_hold_fds: endOfHold.fds, eddy_connections_open: metricsHeld.open, metrics_error: metricsHeld.error },
    kib_per_connection: Number((heldKib / Math.max(1, opened)).toFixed(2)),
    closed_during_hold: closedDuringHold,
    closed_during_hold_by_kind: closedByKind,
    fresh_list_streams_ms: freshLatencies.map((x) => Number(x.toFixed(2))),
    fresh_failures: freshFailures,
    held_probes: probes,
    after_close: settled,
  }, {
    all_opened: opened === count,
    eddy_counts_them: kinds.includes('tcp') || args['expect-refused'] !== undefined || metricsHeld.open.http1 + metricsHeld.open.h2 >= opened,
    none_closed_during_hold: closedDuringHold === 0,
    fresh_connections_answered: args['expect-refused'] === undefined ? Object.keys(freshFailures).length === 0 : freshLatencies.length === 0,
    held_ones_answer: Object.values(probes).every((p) => p.answered === p.asked),
    descriptors_return: settled,
  }];
}

// --rounds N: the whole open, hold, close cycle N times on one eddy. What a round leaves behind that
// the next does not reuse is a leak: eddy's RSS after the last round's close must be within 10 % or
// 8 MiB of its RSS after the first round's (the allocator keeps some freed memory; it must not grow).
async function idle() {
  const rounds = num('rounds', 1);
  const baseline = sampleNow();
  const results = [];
  const checks = {};
  for (let r = 0; r < rounds; r++) {
    const [report, roundChecks] = await idleRound(baseline);
    results.push(report);
    for (const [name, c] of Object.entries(roundChecks)) checks[rounds > 1 ? `round${r + 1}_${name}` : name] = c;
  }
  if (rounds > 1) {
    const first = results[0].after_close.rss_kib;
    const last = results[rounds - 1].after_close.rss_kib;
    checks.rss_after_close_does_not_grow = { ok: last - first <= Math.max(first * 0.1, 8 * MiB), first_round_kib: first, last_round_kib: last };
  }
  finish({ mode: 'idle', rounds, baseline: { rss_kib: baseline.rss_kib, fds: baseline.fds }, ...(rounds === 1 ? results[0] : { results }) }, checks);
}

// ---------------------------------------------------------------------------------------------------
// active

async function active() {
  const clients = num('clients', 1000);
  const duration = num('duration', 120);
  const shards = num('shards', 8);
  const payload = Buffer.alloc(num('payload', 100), 'x').toString('base64');
  const maxRssMib = num('max-rss-mib', 1024);
  const stream = `load-active-${Date.now().toString(36)}`;
  await createStream(stream, shards);
  const baseline = sampleNow();
  let calls = 0, puts = 0, recordsRead = 0, connected = 0, closedEarly = 0;
  const errors = {};
  const latencies = [];
  progress = () => `, clients ${connected}, calls ${calls}`;
  const stop = startSampling();
  const conns = [];
  await bounded(clients, 128, async (i) => {
    try {
      conns[i] = await Http1Connection.open();
      connected++;
    } catch (e) {
      errors[`connect: ${e.message}`] = (errors[`connect: ${e.message}`] || 0) + 1;
    }
  });
  const allConnected = sampleNow();
  const started = performance.now();
  // Halfway through, once every client has sent something (eddy counts a session from its first bytes).
  const metricsMid = sleep(duration * 500).then(connectionMetrics);
  const deadline = started + duration * 1000;
  const shardIds = (await callOnce('ListShards', { StreamName: stream })).Shards.map((s) => s.ShardId);
  await Promise.all(conns.map(async (c, i) => {
    if (!c) return;
    try {
      let iterator = (await c.call('GetShardIterator', { StreamName: stream, ShardId: shardIds[i % shardIds.length], ShardIteratorType: 'LATEST' })).ShardIterator;
      let n = 0;
      while (performance.now() < deadline) {
        const a = performance.now();
        await c.call('PutRecord', { StreamName: stream, PartitionKey: `c${i}-${n++}`, Data: payload });
        puts++;
        const b = performance.now();
        const r = await c.call('GetRecords', { ShardIterator: iterator, Limit: 100 });
        recordsRead += r.Records.length;
        iterator = r.NextShardIterator;
        calls += 2;
        if (latencies.length < 200000) latencies.push(b - a, performance.now() - b);
      }
    } catch (e) {
      if (c.closed) closedEarly++;
      const key = e.type || e.message;
      errors[key] = (errors[key] || 0) + 1;
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  const metricsAll = await metricsMid;
  const end = sampleNow();
  stop();
  for (const c of conns) c?.close();
  const settled = await settles(baseline.fds);
  latencies.sort((x, y) => x - y);
  const pct = (p) => Number((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] || 0).toFixed(2));
  const during = samples.filter((s) => s.t >= allConnected.t && s.t <= end.t);
  const peakRss = Math.max(...during.map((s) => s.rss_kib));
  const peakFds = Math.max(...during.map((s) => s.fds));
  finish({
    mode: 'active', clients, connected, duration_s: Number(elapsed.toFixed(1)), shards,
    calls, calls_per_s: Math.round(calls / elapsed), puts, records_read: recordsRead, errors,
    latency_ms: { p50: pct(0.5), p90: pct(0.9), p99: pct(0.99), max: pct(1) },
    baseline: { rss_kib: baseline.rss_kib, fds: baseline.fds },
    all_connected: { rss_kib: allConnected.rss_kib, fds: allConnected.fds }, halfway_eddy_connections_open: metricsAll.open,
    during: { peak_rss_kib: peakRss, peak_fds: peakFds, end_rss_kib: end.rss_kib, end_hwm_kib: end.hwm_kib, end_memtables_kib: end.memtables_kib },
    after_close: settled,
  }, {
    all_connected: connected === clients && metricsAll.open.http1 >= clients,
    no_errors: Object.keys(errors).length === 0 && closedEarly === 0,
    rss_bounded: { ok: peakRss <= maxRssMib * MiB, peak_mib: Number((peakRss / MiB).toFixed(1)), limit_mib: maxRssMib },
    // What is not the stored data: after the first third of the run, as `flat` defines it.
    rss_without_memtables_flat: flat(during.filter((x) => x.memtables_kib !== undefined).slice(1).map((x) => x.rss_kib - x.memtables_kib), 0.1, 8 * MiB),
    fds_bounded: { ok: peakFds <= baseline.fds + clients + 16, peak: peakFds, limit: baseline.fds + clients + 16 },
    descriptors_return: settled,
  });
}

// ---------------------------------------------------------------------------------------------------
// churn

async function churn() {
  const require = createRequire(path.join(here, '../../tests/e2e/js/package.json'));
  const sdk = require('@aws-sdk/client-kinesis');
  const duration = num('duration', 600);
  const workers = num('workers', 16);
  const warmup = num('warmup', Math.min(60, duration / 5));
  const rssPct = num('rss-pct', 10) / 100;
  const rssAbsMib = num('rss-abs-mib', 4);
  const fdTolerance = num('fd-tolerance', Math.max(8, workers));
  const stream = `load-churn-${Date.now().toString(36)}`;
  await createStream(stream, 2);
  const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 };
  // client: a new KinesisClient per call (default handler), destroyed after it. handler: one client whose
  // NodeHttp2Handler opens an isolated session per request and closes it after the response
  // (disableConcurrentStreams), the same connection pattern at a fraction of the client's CPU.
  const pattern = args.pattern || 'client';
  const { NodeHttp2Handler } = require('@smithy/node-http-handler');
  const shared = pattern === 'handler'
    ? new sdk.KinesisClient({ ...config, requestHandler: new NodeHttp2Handler({ disableConcurrentStreams: true }) })
    : null;
  if (!shared && pattern !== 'client') throw new Error('--pattern is client or handler');
  const shardIds = (await callOnce('ListShards', { StreamName: stream })).Shards.map((s) => s.ShardId);
  const before = await connectionMetrics();
  const baseline = sampleNow();
  let calls = 0;
  const counts = {};
  const errors = {};
  progress = () => `, calls ${calls}`;
  const stop = startSampling();
  const data = Buffer.from('0123456789');
  const started = performance.now();
  const deadline = started + duration * 1000;
  // Each call: a new client (so a new HTTP/2 session: the default NodeHttp2Handler), one request, destroy.
  const once = async (command) => {
    if (shared) return shared.send(command);
    const kinesis = new sdk.KinesisClient(config);
    try {
      return await kinesis.send(command);
    } finally {
      kinesis.destroy();
    }
  };
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    const shard = shardIds[w % shardIds.length];
    let iterator = null;
    for (let n = 0; performance.now() < deadline; n++) {
      const op = ['PutRecord', 'DescribeStreamSummary', 'GetRecords', 'ListShards'][n % 4];
      try {
        if (op === 'PutRecord') {
          await once(new sdk.PutRecordCommand({ StreamName: stream, PartitionKey: `w${w}`, Data: data }));
        } else if (op === 'DescribeStreamSummary') {
          await once(new sdk.DescribeStreamSummaryCommand({ StreamName: stream }));
        } else if (op === 'ListShards') {
          await once(new sdk.ListShardsCommand({ StreamName: stream }));
        } else if (iterator) {
          iterator = (await once(new sdk.GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }))).NextShardIterator;
        } else {
          iterator = (await once(new sdk.GetShardIteratorCommand({ StreamName: stream, ShardId: shard, ShardIteratorType: 'LATEST' }))).ShardIterator;
        }
        calls++;
        counts[op] = (counts[op] || 0) + 1;
      } catch (e) {
        errors[e.name] = (errors[e.name] || 0) + 1;
      }
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  sampleNow();
  stop();
  const after = await connectionMetrics();
  const settled = await settles(baseline.fds);
  const steady = samples.filter((s) => s.t >= baseline.t + warmup && s.t <= baseline.t + elapsed + 1);
  const newH2 = after.accepted.h2 - before.accepted.h2;
  finish({
    mode: 'churn', pattern, workers, duration_s: Number(elapsed.toFixed(1)), warmup_s: warmup, calls, calls_per_s: Math.round(calls / elapsed), by_operation: counts, errors,
    new_h2_connections: newH2,
    rss_with_memtables: flat(steady.map((s) => s.rss_kib), rssPct, rssAbsMib * MiB),  // for the record, not a check
    baseline: { rss_kib: baseline.rss_kib, fds: baseline.fds },
    steady: { samples: steady.length, min_rss_kib: Math.min(...steady.map((s) => s.rss_kib)), max_rss_kib: Math.max(...steady.map((s) => s.rss_kib)), min_fds: Math.min(...steady.map((s) => s.fds)), max_fds: Math.max(...steady.map((s) => s.fds)) },
    after_close: settled,
  }, {
    no_errors: Object.keys(errors).length === 0,
    a_connection_per_call: { ok: newH2 >= calls, new_h2_connections: newH2, calls },
    // Minus RocksDB's memtables: the PutRecords' data grows them (about 7 MiB over 10 minutes at 230
    // calls/s), which says nothing about connections.
    rss_flat: flat(steady.filter((s) => s.memtables_kib !== undefined).map((s) => s.rss_kib - s.memtables_kib), rssPct, rssAbsMib * MiB),
    fds_flat: flat(steady.map((s) => s.fds), 0, fdTolerance),
    descriptors_return: settled,
  });
}

const modes = { idle, active, churn };
if (!modes[mode]) {
  console.error('usage: node bench/load/load.mjs idle|active|churn --endpoint URL --pid PID [options]');
  process.exit(2);
}
await modes[mode]();
