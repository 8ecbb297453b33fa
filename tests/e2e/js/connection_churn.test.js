// The JS SDK opens a new HTTP/2 session for every call. A broker that leaks per connection dies slowly
// under it; check file descriptors and resident memory after thousands of calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { CreateStreamCommand, DescribeStreamSummaryCommand, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { startEddy, client, uniqueName } from './helpers.js';

const openFds = (pid) => readdirSync(`/proc/${pid}/fd`).length;
const rssKiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);

// Resolves when fn() returns true, polling the condition rather than sleeping a guessed time.
async function eventually(fn, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setImmediate(r));
  }
  return true;
}

test('a new HTTP/2 connection per call leaks no descriptors or memory', async () => {
  const eddy = await startEddy();
  const kinesis = client(eddy.endpoint, 'h2');
  try {
    assert.equal(kinesis.config.requestHandler.constructor.name, 'NodeHttp2Handler');
    const name = uniqueName();
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
    const warm = async (n) => {
      for (let i = 0; i < n; i += 10) {
        await Promise.all(Array.from({ length: 10 }, () => kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))));
      }
    };
    await warm(500);
    const fdsBefore = openFds(eddy.pid);
    const rssBefore = rssKiB(eddy.pid);
    await warm(3000);
    await kinesis.send(new ListStreamsCommand({}));
    // Sessions close asynchronously after the last response; wait for the count to settle.
    const settled = await eventually(() => openFds(eddy.pid) <= fdsBefore + 2);
    assert.ok(settled, `descriptors grew from ${fdsBefore} to ${openFds(eddy.pid)}`);
    // Under a sanitizer (scripts/sanitize.sh) freed memory sits in the allocator's quarantine, so RSS
    // says nothing about leaks there; LeakSanitizer checks at exit instead. Descriptors are still checked.
    const growth = rssKiB(eddy.pid) - rssBefore;
    if (!process.env.EDDY_SANITIZER) assert.ok(growth < 8 * 1024, `RSS grew by ${growth} KiB over 3000 connections`);
  } finally {
    kinesis.destroy();
    assert.equal((await eddy.stop()).code, 0);
  }
});
