// How a record's data is shown (text, pretty JSON, hex), and KPL aggregates unpacked with the schema of
// proto/kpl_aggregation.proto, read by protobufjs in the browser.
import protobuf from 'protobufjs';
import schema from '../../../proto/kpl_aggregation.proto?raw';

const root = protobuf.parse(schema, { keepCase: true }).root;
const Aggregated = root.lookupType('eddy.kpl.AggregatedRecord');
const MAGIC = [0xf3, 0x89, 0x9a, 0xc2];

// The user records of a KPL aggregate ({partitionKey, explicitHashKey, data}), or null when `data` is not
// one (no magic, too short, or a body protobuf cannot read).
export function unpackKpl(data) {
  if (!data || data.length < MAGIC.length + 16 || !MAGIC.every((b, i) => data[i] === b)) return null;
  try {
    const msg = Aggregated.decode(data.subarray(MAGIC.length, data.length - 16));
    // uint64 indexes come as numbers, or as Long objects where protobufjs finds the long package.
    const index = (v) => (typeof v === 'object' && v !== null ? v.toNumber() : Number(v));
    return msg.records.map((r) => ({
      partitionKey: msg.partition_key_table[index(r.partition_key_index)] ?? '',
      explicitHashKey: r.explicit_hash_key_index != null ? msg.explicit_hash_key_table[index(r.explicit_hash_key_index)] : undefined,
      data: r.data,
    }));
  } catch {
    return null;
  }
}

const decoder = new TextDecoder('utf-8', { fatal: false });

export function asText(data) {
  return decoder.decode(data);
}

// Pretty JSON, or null when the data is not JSON.
export function asJson(data) {
  try {
    return JSON.stringify(JSON.parse(decoder.decode(data)), null, 2);
  } catch {
    return null;
  }
}

// "00000000  7b 22 61 22 3a 31 7d                              |{"a":1}|"
export function asHex(data, max = 4096) {
  const lines = [];
  const n = Math.min(data.length, max);
  for (let off = 0; off < n; off += 16) {
    const row = data.subarray(off, Math.min(off + 16, n));
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex.padEnd(47, ' ')}  |${ascii}|`);
  }
  if (data.length > max) lines.push(`... ${data.length - max} more bytes`);
  return lines.join('\n');
}

export function render(data, mode) {
  if (mode === 'hex') return asHex(data);
  if (mode === 'json') return asJson(data) ?? `(not JSON) ${asText(data)}`;
  return asText(data);
}

// Human units for the charts and tables.
export function formatBytes(n) {
  if (n < 1024) return `${n.toFixed(n % 1 ? 1 : 0)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
