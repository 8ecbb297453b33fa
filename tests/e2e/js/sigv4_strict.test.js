// Strict SigV4 (--auth sigv4 --credentials-file FILE) through the stock JS SDK v3: its default handler
// (HTTP/2, where the SDK moves the host into :authority and signs ":authority") and NodeHttpHandler (HTTP/1.1,
// signs "host"). Correct signatures act in the key's account; unknown keys are UnrecognizedClientException;
// wrong secrets and stale clocks are InvalidSignatureException, as AWS answers them.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateStreamCommand, DeleteStreamCommand, DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand,
  ListStreamsCommand, PutRecordCommand,
} from '@aws-sdk/client-kinesis';
import { startEddy, client, uniqueName, expectAwsError } from './helpers.js';

const ALICE = { accessKeyId: 'AKIAALICE0000000000A', secretAccessKey: 'alicesecret', account: '111111111111' };
const BOB = { accessKeyId: 'AKIABOB00000000000B', secretAccessKey: 'bobsecret', account: '222222222222' };
const UNKNOWN = { accessKeyId: 'AKIAUNKNOWN00000000Z', secretAccessKey: 'whatever' };

const UNRECOGNIZED = 'The security token included in the request is invalid.';
const MISMATCH = /^The request signature we calculated does not match the signature you provided\. /;
const AMZ = String.raw`\d{8}T\d{6}Z`;
const arn = (name, account) => `arn:aws:kinesis:us-east-1:${account}:stream/${name}`;

describe('strict SigV4', () => {
  let eddy;
  let dir;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'eddy-sigv4-'));
    const file = path.join(dir, 'credentials');
    writeFileSync(file, [ALICE, BOB].map((k) => `${k.accessKeyId} ${k.secretAccessKey} ${k.account}\n`).join(''));
    eddy = await startEddy(['--in-memory', '--auth', 'sigv4', '--credentials-file', file]);
  });
  after(async () => {
    assert.equal((await eddy.stop()).code, 0, eddy.stderr());
    rmSync(dir, { recursive: true, force: true });
  });

  for (const transport of ['h2', 'http1']) {
    describe(`over ${transport}`, () => {
      // A client for `key` that records the headers of every signed request it sends.
      async function as(key, fn, extra = {}) {
        const { account, ...credentials } = key;
        const c = client(eddy.endpoint, transport, { credentials, ...extra });
        const sent = [];
        c.middlewareStack.add((next) => async (args) => {
          sent.push({ ...args.request.headers });
          return next(args);
        }, { step: 'deserialize', name: 'captureSignedHeaders', priority: 'low' });
        try {
          return await fn(c, sent);
        } finally {
          c.destroy();
        }
      }
      const signedHeaders = (headers) => /SignedHeaders=([^,]+)/.exec(headers.authorization)[1].split(';');

      test('the request handler is the expected one', async () => {
        await as(ALICE, async (c) => {
          assert.equal(c.config.requestHandler.constructor.name, transport === 'h2' ? 'NodeHttp2Handler' : 'NodeHttpHandler');
        });
      });

      test('a correctly signed request works and acts in the key\'s account', async () => {
        const name = uniqueName('strict');
        await as(ALICE, async (c, sent) => {
          // Over HTTP/2 the SDK moves the host into :authority and signs the header ":authority"; over HTTP/1.1
          // it signs "host". Either must verify.
          const hostHeader = transport === 'h2' ? ':authority' : 'host';
          try {
            await c.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
          } catch (e) {
            assert.fail(`${e.name}: ${e.message}\nsigned request headers: ${JSON.stringify(sent[0])}`);
          }
          assert.ok(signedHeaders(sent[0]).includes(hostHeader), sent[0].authorization);
          assert.equal(sent[0][hostHeader], new URL(eddy.endpoint).host);
          const s = (await c.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary;
          assert.equal(s.StreamARN, arn(name, ALICE.account));
          assert.ok((await c.send(new ListStreamsCommand({}))).StreamNames.includes(name));
          const data = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
          const put = await c.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: data }));
          const it = (await c.send(new GetShardIteratorCommand({
            StreamName: name, ShardId: put.ShardId, ShardIteratorType: 'TRIM_HORIZON',
          }))).ShardIterator;
          const { Records } = await c.send(new GetRecordsCommand({ ShardIterator: it }));
          assert.deepEqual(Records.map((r) => Buffer.from(r.Data)), [data]);
          await c.send(new DeleteStreamCommand({ StreamName: name }));
        });
      });

      test('another account cannot see the stream, even by name', async () => {
        const name = uniqueName('alice');
        await as(ALICE, (c) => c.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 })));
        await as(BOB, async (c) => {
          await expectAwsError(assert, c.send(new DescribeStreamSummaryCommand({ StreamName: name })),
            'ResourceNotFoundException', `Stream ${name} under account ${BOB.account} not found.`);
          await expectAwsError(assert, c.send(new DescribeStreamSummaryCommand({ StreamARN: arn(name, ALICE.account) })),
            'ResourceNotFoundException');
          assert.ok(!(await c.send(new ListStreamsCommand({}))).StreamNames.includes(name));
        });
      });

      test('a session token is signed and still verifies', async () => {
        await as({ ...ALICE, sessionToken: 'FwoGZXIvYXdzEXAMPLE//token+/=' }, async (c, sent) => {
          const r = await c.send(new ListStreamsCommand({}));
          assert.equal(r.$metadata.httpStatusCode, 200);
          assert.ok(signedHeaders(sent[0]).includes('x-amz-security-token'), sent[0].authorization);
        });
      });

      test('an unknown access key is UnrecognizedClientException', async () => {
        await as(UNKNOWN, (c) => expectAwsError(assert, c.send(new ListStreamsCommand({})),
          'UnrecognizedClientException', UNRECOGNIZED));
      });

      test('a wrong secret is InvalidSignatureException', async () => {
        await as({ ...ALICE, secretAccessKey: BOB.secretAccessKey }, (c) => expectAwsError(assert,
          c.send(new ListStreamsCommand({})), 'InvalidSignatureException', MISMATCH));
      });

      test('a signature more than 5 minutes old has expired', async () => {
        // systemClockOffset shifts the SDK's signing clock; maxAttempts 1 keeps it from correcting and retrying.
        await as(ALICE, (c) => expectAwsError(assert, c.send(new ListStreamsCommand({})), 'InvalidSignatureException',
          new RegExp(`^Signature expired: ${AMZ} is now earlier than ${AMZ} \\(${AMZ} - 5 min\\.\\)$`)),
        { systemClockOffset: -6 * 60 * 1000 });
        // Four minutes off is inside the window.
        await as(ALICE, async (c) => {
          assert.equal((await c.send(new ListStreamsCommand({}))).$metadata.httpStatusCode, 200);
        }, { systemClockOffset: -4 * 60 * 1000 });
      });
    });
  }
});
