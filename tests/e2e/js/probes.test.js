// GET /health and GET /ready on the Kinesis port, over HTTP/1.1 and h2c, for orchestrators and fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { startEddy } from './helpers.js';

function h2get(endpoint, path) {
  return new Promise((resolve, reject) => {
    const session = http2.connect(endpoint);
    session.on('error', reject);
    const req = session.request({ ':method': 'GET', ':path': path });
    let body = '';
    let status = 0;
    req.on('response', (h) => { status = h[':status']; });
    req.on('data', (d) => { body += d; });
    req.on('end', () => { session.close(); resolve({ status, body }); });
    req.end();
  });
}

test('/health and /ready answer once eddy has printed its endpoint; other GETs stay AWS errors', async () => {
  const eddy = await startEddy(['--in-memory']);
  try {
    for (const path of ['/health', '/ready', '/ready?verbose=1']) {
      const res = await fetch(eddy.endpoint + path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-type'), 'application/json');
      const body = await res.json();
      assert.equal(body.status, path === '/health' ? 'ok' : 'ready');
      const h2 = await h2get(eddy.endpoint, path);
      assert.equal(h2.status, 200, `h2 ${path}`);
      assert.deepEqual(JSON.parse(h2.body), body);
    }
    const other = await fetch(`${eddy.endpoint}/metrics-not-here`);
    assert.equal(other.status, 403);
    assert.match(await other.text(), /AccessDeniedException/);
    const post = await fetch(`${eddy.endpoint}/health`, { method: 'POST', body: '' });
    assert.notEqual(post.status, 200, 'only GET is a probe');
  } finally {
    assert.equal((await eddy.stop()).code, 0);
  }
});
