// Starts a real eddy process for a test file and builds SDK clients pointed at it.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const eddyBin = process.env.EDDY_BIN || path.join(repo, 'build/bin/eddy');

// Resolves once eddy prints its address line; no sleeping.
export async function startEddy(args = ['--in-memory']) {
  const child = spawn(eddyBin, ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const lines = createInterface({ input: child.stdout });
  const wantTls = args.includes('--tls-port');
  const [endpoint, tlsEndpoint] = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`eddy exited with ${code}: ${stderr}`)));
    const seen = [];
    lines.on('line', (line) => {
      const m = /^eddy listening on (https?:\/\/\S+)$/.exec(line);
      if (!m) return reject(new Error(`unexpected line: ${line}`));
      seen.push(m[1]);
      if (seen.length === (wantTls ? 2 : 1)) resolve(seen);
    });
  });
  return {
    endpoint,
    tlsEndpoint,
    pid: child.pid,
    stderr: () => stderr,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
      child.kill('SIGTERM');
      return exited;
    },
  };
}

export const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

// transport: 'h2' is the SDK's default handler (HTTP/2, one session per call); 'http1' is NodeHttpHandler.
export function client(endpoint, transport, extra = {}) {
  const config = { endpoint, region: 'us-east-1', credentials, maxAttempts: 1, ...extra };
  if (transport === 'http1' && !extra.requestHandler) config.requestHandler = new NodeHttpHandler();
  return new KinesisClient(config);
}

export function uniqueName(prefix = 's') {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

// Asserts that `promise` rejects with an AWS error of `name` whose message equals or matches `message`.
export async function expectAwsError(assert, promise, name, message) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    if (message instanceof RegExp) assert.match(e.message, message);
    else if (message !== undefined) assert.equal(e.message, message);
    assert.equal(e.$metadata.httpStatusCode, 400);
    assert.ok(e.$metadata.requestId, 'x-amzn-RequestId is present');
    return e;
  }
  assert.fail(`expected ${name} but the call succeeded`);
}
