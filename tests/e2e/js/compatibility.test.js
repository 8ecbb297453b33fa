// The compatibility table stays true: docs/compatibility.md matches what scripts/gen-compatibility.mjs
// derives from the SDK model, the served operation list and the tests; every operation of the model (but
// the deferred channel operations) is served, answers through the real SDK's wire format, and is called by
// at least one JS SDK test and one boto3 / CLI / raw test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { coverage, render } from '../../../scripts/gen-compatibility.mjs';
import { startEddy } from './helpers.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

test('docs/compatibility.md is generated from the current model, code and tests', () => {
  const doc = readFileSync(path.join(repo, 'docs/compatibility.md'), 'utf8');
  assert.equal(render(doc), doc, 'run: node scripts/gen-compatibility.mjs');
});

test('every operation of the model is served and tested through both client families', () => {
  for (const row of coverage()) {
    if (row.deferred) continue;
    assert.ok(row.served, `${row.op} is not served`);
    assert.ok(row.js.length > 0, `${row.op} has no JS SDK test`);
    assert.ok(row.py.length > 0, `${row.op} has no boto3 / CLI / raw test`);
  }
});

test('every served operation is routed to a handler (none answers UnknownOperationException)', async () => {
  const eddy = await startEddy(['--in-memory']);
  try {
    for (const { op, served } of coverage()) {
      const res = await fetch(eddy.endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': `Kinesis_20131202.${op}`,
          'X-Amz-Date': '20260101T000000Z',
          Authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
        },
        body: '{}',
      });
      const body = await res.json();
      if (served) assert.notEqual(body.__type, 'UnknownOperationException', op);
      else assert.equal(body.__type, 'UnknownOperationException', op);
    }
  } finally {
    assert.equal((await eddy.stop()).code, 0);
  }
});
