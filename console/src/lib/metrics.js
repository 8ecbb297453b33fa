// GET /metrics (Prometheus text, docs/metrics.md) parsed into series, and per-second rates from two
// scrapes. The console reads only the per-shard and per-consumer families.
import { useEffect, useRef, useState } from 'react';

const WANTED = new Set([
  'eddy_shard_incoming_records_total', 'eddy_shard_incoming_bytes_total',
  'eddy_shard_outgoing_records_total', 'eddy_shard_outgoing_bytes_total',
  'eddy_shard_iterator_age_seconds', 'eddy_shard_subscribers', 'eddy_consumer_iterator_age_seconds',
]);

function unescapeLabel(v) {
  return v.replace(/\\(["\\n])/g, (_, c) => (c === 'n' ? '\n' : c));
}

// [{name, labels, value}] for the wanted families; other lines are skipped unparsed.
export function parseMetrics(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line || line[0] === '#') continue;
    const brace = line.indexOf('{');
    const name = brace < 0 ? line.slice(0, line.indexOf(' ')) : line.slice(0, brace);
    if (!WANTED.has(name)) continue;
    const labels = {};
    let rest = line;
    if (brace >= 0) {
      const close = line.lastIndexOf('}');
      const re = /(\w+)="((?:[^"\\]|\\.)*)"/g;
      let m;
      const body = line.slice(brace + 1, close);
      while ((m = re.exec(body))) labels[m[1]] = unescapeLabel(m[2]);
      rest = line.slice(close + 1);
    } else {
      rest = line.slice(name.length);
    }
    out.push({ name, labels, value: Number(rest.trim().split(' ')[0]) });
  }
  return out;
}

const FIELDS = {
  eddy_shard_incoming_records_total: 'inRecords',
  eddy_shard_incoming_bytes_total: 'inBytes',
  eddy_shard_outgoing_records_total: 'outRecords',
  eddy_shard_outgoing_bytes_total: 'outBytes',
};

// Per shard of one stream: counters, iterator age and subscribers; plus the per-consumer series.
export function streamSample(series, scope) {
  const shards = {};
  const consumers = [];
  for (const s of series) {
    const l = s.labels;
    if (l.stream !== scope.stream || (scope.account && l.account !== scope.account) ||
        (scope.region && l.region !== scope.region)) continue;
    if (s.name === 'eddy_consumer_iterator_age_seconds') {
      consumers.push({ consumer: l.consumer, shard: l.shard, ageSeconds: s.value });
      continue;
    }
    const shard = (shards[l.shard] ??= { inRecords: 0, inBytes: 0, outRecords: 0, outBytes: 0, age: 0, subscribers: 0 });
    if (FIELDS[s.name]) shard[FIELDS[s.name]] = s.value;
    else if (s.name === 'eddy_shard_iterator_age_seconds') shard.age = s.value;
    else if (s.name === 'eddy_shard_subscribers') shard.subscribers = s.value;
  }
  return { shards, consumers };
}

// Rates per second between two samples; a counter that went down (a restart) counts from zero.
export function rates(prev, next, seconds) {
  const out = {};
  for (const [id, n] of Object.entries(next.shards)) {
    const p = prev?.shards[id];
    const rate = (k) => (p ? Math.max(0, n[k] - (n[k] < p[k] ? 0 : p[k])) / seconds : 0);
    out[id] = {
      inRecords: rate('inRecords'), inBytes: rate('inBytes'), outRecords: rate('outRecords'), outBytes: rate('outBytes'),
      age: n.age, subscribers: n.subscribers,
    };
  }
  return out;
}

export const HISTORY = 60;

// Scrapes /metrics every second while mounted; returns per-shard rates, the stream's history (the last 60 s
// of records/s and bytes/s in and out) and the per-consumer series.
export function useStreamRates(scope) {
  const [state, setState] = useState({ shards: {}, consumers: [], history: [], error: '' });
  const last = useRef(null);
  const key = `${scope.account}/${scope.region}/${scope.stream}`;
  useEffect(() => {
    let stopped = false;
    last.current = null;
    let history = [];
    async function tick() {
      try {
        const res = await fetch(`${window.location.origin}/metrics`, { cache: 'no-store' });
        const sample = streamSample(parseMetrics(await res.text()), scope);
        const now = Date.now() / 1000;
        const prev = last.current;
        last.current = { ...sample, t: now };
        if (!prev) return;
        const shardRates = rates(prev, sample, Math.max(0.001, now - prev.t));
        const sum = (k) => Object.values(shardRates).reduce((a, r) => a + r[k], 0);
        history = [...history, { t: now, inRecords: sum('inRecords'), outRecords: sum('outRecords'),
          inBytes: sum('inBytes'), outBytes: sum('outBytes') }].slice(-HISTORY);
        if (!stopped) setState({ shards: shardRates, consumers: sample.consumers, history, error: '' });
      } catch (e) {
        if (!stopped) setState((s) => ({ ...s, error: String(e.message || e) }));
      }
    }
    tick();
    const timer = setInterval(tick, 1000);
    return () => { stopped = true; clearInterval(timer); };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state;
}
