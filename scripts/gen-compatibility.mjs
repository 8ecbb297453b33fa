// Writes the operation table in docs/compatibility.md from the pinned JS SDK's Kinesis model, the operation
// list eddy serves (src/api/operation_list.h) and the end-to-end tests that call each operation, so the
// table cannot drift from the code. Only the block between the two markers is generated.
//
//   node scripts/gen-compatibility.mjs           rewrite the block
//   node scripts/gen-compatibility.mjs --check   exit 1 if the block is out of date (run by the JS suite)
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(repo, 'tests/e2e/js/package.json'));
const sdk = require('@aws-sdk/client-kinesis');
const sdkVersion = require('@aws-sdk/client-kinesis/package.json').version;

const BEGIN = '<!-- generated:begin (scripts/gen-compatibility.mjs) -->';
const END = '<!-- generated:end -->';
// Delivery channels to S3 are a later issue; everything else in the model is served.
const deferred = (op) => /Channels?$/.test(op);

export function modelOperations() {
  return Object.keys(sdk).filter((k) => /^[A-Z]\w*Command$/.test(k)).map((k) => k.slice(0, -7)).sort();
}

export function servedOperations() {
  const text = readFileSync(path.join(repo, 'src/api/operation_list.h'), 'utf8');
  return [...text.matchAll(/^EDDY_OPERATION\((\w+),/gm)].map((m) => m[1]).sort();
}

// Schema arrays are [kind, namespace, name, traits, memberNames, memberSchemas, requiredCount?]; the first
// requiredCount members are the required ones.
function members(schema) {
  if (!schema) return '—';
  const names = schema[4] ?? [];
  const required = schema[6] ?? 0;
  if (names.length === 0) return '—';
  return names.map((n, i) => (i < required ? `**${n}**` : n)).join(', ');
}

const snake = (op) => op.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

function testsCalling(op) {
  const js = readdirSync(path.join(repo, 'tests/e2e/js')).filter((f) => f.endsWith('.test.js')).sort()
    .filter((f) => new RegExp(`\\b${op}Command\\b`).test(readFileSync(path.join(repo, 'tests/e2e/js', f), 'utf8')));
  const py = readdirSync(path.join(repo, 'tests/e2e/python')).filter((f) => /^test_.*\.py$/.test(f)).sort()
    .filter((f) => {
      const text = readFileSync(path.join(repo, 'tests/e2e/python', f), 'utf8');
      return [`.${snake(op)}(`, `Kinesis_20131202.${op}`, `"${op}"`, `'${op}'`].some((needle) => text.includes(needle));
    });
  // Java (SDK v2 and KCL tests) calls client.putRecords(...) or builds a PutRecordsRequest; Go calls
  // client.PutRecords(ctx, &kinesis.PutRecordsInput{...}).
  const camel = op[0].toLowerCase() + op.slice(1);
  const java = ['java', 'kcl'].flatMap((dir) => filesUnder(path.join('tests/e2e', dir, 'src/test/java'), '.java'))
    .filter((f) => {
      const text = readFileSync(path.join(repo, f), 'utf8');
      return new RegExp(`\\.${camel}\\(|\\b${op}Request\\b`).test(text);
    }).map((f) => f.replace(/^tests\/e2e\/(java|kcl)\/src\/test\/java\/.*\//, '$1/'));
  const go = filesUnder('tests/e2e/go', '_test.go')
    .filter((f) => new RegExp(`\\b${op}Input\\b`).test(readFileSync(path.join(repo, f), 'utf8')))
    .map((f) => f.replace(/^tests\/e2e\//, ''));
  return { js, py, java: [...new Set(java)].sort(), go };
}

// Files under `dir` (relative to the repo) whose names end with `suffix`, as repo-relative paths, sorted.
function filesUnder(dir, suffix) {
  let out = [];
  for (const e of readdirSync(path.join(repo, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out = out.concat(filesUnder(rel, suffix));
    else if (e.name.endsWith(suffix)) out.push(rel);
  }
  return out.sort();
}

export function coverage() {
  const served = new Set(servedOperations());
  return modelOperations().map((op) => ({ op, served: served.has(op), deferred: deferred(op), ...testsCalling(op) }));
}

export function table() {
  const served = new Set(servedOperations());
  const rows = [
    `Operations in \`@aws-sdk/client-kinesis\` ${sdkVersion} (the pinned test client). Required request members are in bold.`,
    '',
    '| Operation | Served | Request members | Response members | JS SDK tests | boto3 / CLI / raw tests | Java SDK / KCL tests | Go SDK tests |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const op of modelOperations()) {
    const state = served.has(op) ? 'yes' : deferred(op) ? 'later (channels)' : '**no**';
    const { js, py, java, go } = testsCalling(op);
    rows.push(`| ${op} | ${state} | ${members(sdk[`${op}Input$`])} | ${members(sdk[`${op}Output$`])} | ` +
      `${js.map((f) => `js/${f}`).join(', ') || '—'} | ${py.map((f) => `python/${f}`).join(', ') || '—'} | ` +
      `${java.join(', ') || '—'} | ${go.join(', ') || '—'} |`);
  }
  return rows.join('\n');
}

export function render(doc) {
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error('docs/compatibility.md lacks the generated-block markers');
  return `${doc.slice(0, a + BEGIN.length)}\n${table()}\n${doc.slice(b)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = path.join(repo, 'docs/compatibility.md');
  const doc = readFileSync(file, 'utf8');
  const fresh = render(doc);
  if (process.argv.includes('--check')) {
    if (fresh !== doc) {
      console.error('docs/compatibility.md is out of date: run node scripts/gen-compatibility.mjs');
      process.exit(1);
    }
  } else {
    writeFileSync(file, fresh);
  }
}
