// HTTPS: ALPN h2 (the JS SDK's default handler), ALPN http/1.1 (NodeHttpHandler with the generated CA), and
// HTTP/2 over TLS with no ALPN at all, as older Java async clients start it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import https from 'node:https';
import tls from 'node:tls';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateStreamCommand, ListStreamsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startEddy, client, uniqueName, credentials } from './helpers.js';

test('TLS with a generated certificate, ALPN h2 and http/1.1, and h2 without ALPN', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'eddy-tls-'));
  const eddy = await startEddy(['--data-dir', dataDir, '--tls-port', '0']);
  try {
    assert.match(eddy.tlsEndpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = readFileSync(path.join(dataDir, 'tls', 'eddy-tls.crt'));

    // HTTP/1.1 over TLS, verifying the certificate against itself (its SAN names 127.0.0.1).
    const http1 = client(eddy.tlsEndpoint, 'http1', {
      requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ ca }) }),
    });
    const name = uniqueName('tls');
    await http1.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const put = await http1.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('over tls') }));
    assert.match(put.SequenceNumber, /^49\d{54}$/);
    http1.destroy();

    // The SDK's default HTTP/2 handler negotiates h2 by ALPN; it cannot take a CA, so skip verification here.
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    const h2 = client(eddy.tlsEndpoint, 'h2');
    assert.equal(h2.config.requestHandler.constructor.name, 'NodeHttp2Handler');
    const listed = await h2.send(new ListStreamsCommand({}));
    assert.ok(listed.StreamNames.includes(name));
    h2.destroy();
    delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;

    // Raw HTTP/2 over TLS with no ALPN offered: recognised by the connection preface.
    const raw = await new Promise((resolve, reject) => {
      const port = Number(new URL(eddy.tlsEndpoint).port);
      const session = http2.connect(eddy.tlsEndpoint, {
        createConnection: () => tls.connect({ host: '127.0.0.1', port, ca, ALPNProtocols: [] }),
      });
      session.on('error', reject);
      const req = session.request({
        ':method': 'POST', ':path': '/', 'x-amz-target': 'Kinesis_20131202.ListStreams',
        'content-type': 'application/x-amz-json-1.1', 'x-amz-date': '20240101T000000Z',
        authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20240101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=abc`,
      });
      let body = '';
      let status;
      req.on('response', (h) => { status = h[':status']; });
      req.on('data', (d) => { body += d; });
      req.on('end', () => { resolve({ status, body, alpn: session.socket.alpnProtocol }); session.close(); });
      req.on('error', reject);
      req.end('{}');
    });
    assert.equal(raw.alpn, false, 'no ALPN was agreed');
    assert.equal(raw.status, 200);
    assert.ok(JSON.parse(raw.body).StreamNames.includes(name));
  } finally {
    assert.equal((await eddy.stop()).code, 0);
  }
  // A restart reuses the certificate it generated.
  const before = readFileSync(path.join(dataDir, 'tls', 'eddy-tls.crt'));
  const again = await startEddy(['--data-dir', dataDir, '--tls-port', '0']);
  assert.ok(readFileSync(path.join(dataDir, 'tls', 'eddy-tls.crt')).equals(before));
  assert.equal((await again.stop()).code, 0);
  rmSync(dataDir, { recursive: true, force: true });
});
