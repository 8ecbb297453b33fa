// The web console in Debian's chromium against a real eddy: create a stream, put records (one JSON, one KPL
// aggregate, one binary), read them back in text, JSON and hex, see a consumer's live subscription, watch the
// rate chart move under live traffic, split a shard and see its lineage, change the retention, delete the
// stream. Then strict SigV4 with credentials typed into the page, and --console=off. Screenshots go to
// artifacts/; with EDDY_CONSOLE_DOC_SCREENSHOT=1 the live-traffic one is also written to docs/console.png.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import agg from 'aws-kinesis-agg';
import {
  CreateStreamCommand, DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient,
  ListStreamConsumersCommand, PutRecordCommand, PutRecordsCommand, SubscribeToShardCommand,
} from '@aws-sdk/client-kinesis';
import { launchBrowser, openPage, repo, shot, startEddy, uniqueName } from './helpers.js';

const sdk = (endpoint, credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' }) =>
  new KinesisClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });

async function kplAggregate(userRecords) {
  const encoded = [];
  await new Promise((resolve, reject) => agg.aggregate(userRecords, (rec, cb) => { encoded.push(rec); cb(); }, resolve, reject));
  assert.equal(encoded.length, 1);
  return encoded[0];
}

describe('web console', () => {
  let eddy;
  let browser;
  before(async () => {
    eddy = await startEddy();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    assert.equal((await eddy.stop()).code, 0, eddy.stderr());
  });

  test('the page and its files are served with their types and caching', async () => {
    const page = await fetch(`${eddy.endpoint}/console`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    const html = await page.text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)[1];
    const js = await fetch(eddy.endpoint + script);
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.match(js.headers.get('cache-control'), /immutable/);
    assert.equal((await fetch(`${eddy.endpoint}/console/nope.js`)).status, 404);
    assert.equal((await fetch(`${eddy.endpoint}/console/..%2f..%2fetc/passwd`)).status, 404);
    assert.equal((await fetch(`${eddy.endpoint}/console/`, { method: 'POST', body: '{}' })).status, 405);
    assert.equal((await fetch(`${eddy.endpoint}/console/`, { method: 'HEAD' })).status, 405);
    assert.equal((await fetch(`${eddy.endpoint}/health`)).status, 200, 'eddy still serves after the bad requests');
  });

  test('create, browse records, live rates, split and delete a stream', async () => {
    const { page, problems, close } = await openPage(browser);
    const name = uniqueName();
    const client = sdk(eddy.endpoint);
    let traffic;
    try {
      await page.goto(`${eddy.endpoint}/console/`);
      await page.getByRole('heading', { name: 'Streams' }).waitFor();

      // Create through the page.
      await page.getByRole('button', { name: 'Create stream' }).click();
      await page.locator('input[name=streamName]').fill(name);
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      const row = page.getByTestId(`stream-row-${name}`);
      await row.getByText('ACTIVE').waitFor();
      assert.match(await row.innerText(), /PROVISIONED\s+1\s+0\s+24 h\s+NONE\s+0/);
      const summary = (await client.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary;
      assert.equal(summary.OpenShardCount, 1, 'the page created a real stream');
      await shot(page, '01-streams');

      // Records: one put by the page's form (JSON), a KPL aggregate and a binary record by the SDK.
      await row.getByRole('link', { name, exact: true }).click();
      await page.getByRole('tab', { name: 'Records' }).click();
      await page.locator('textarea[name=putData]').fill('{"order":42,"items":["tea","cake"]}');
      await page.locator('input[name=putKey]').fill('json-key');
      await page.getByRole('button', { name: 'Put record' }).click();
      await page.getByTestId('put-result').getByText(/shardId-000000000000 · 49\d{54}/).waitFor();
      const aggregate = await kplAggregate([
        { partitionKey: 'user-a', data: Buffer.from('first user record') },
        { partitionKey: 'user-b', data: Buffer.from('{"second":true}') },
        { partitionKey: 'user-c', data: Buffer.from('third') },
      ]);
      await client.send(new PutRecordCommand({ StreamName: name, PartitionKey: aggregate.partitionKey,
        ExplicitHashKey: aggregate.explicitHashKey, Data: Buffer.from(aggregate.data) }));
      await client.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'bin', Data: Uint8Array.from([0, 1, 0xfe, 0xff]) }));

      await page.getByRole('button', { name: 'Read', exact: true }).click();
      const rows = page.getByTestId('record-row');
      await page.getByTestId('page-info').getByText(/^3 record\(s\)/).waitFor();
      assert.equal(await rows.count(), 3);
      const first = rows.nth(0);
      assert.match(await first.innerText(), /49\d{54}\s+json-key\s+\d{4}-\d\d-\d\dT/);
      assert.equal(await first.getByTestId('record-data').innerText(), '{"order":42,"items":["tea","cake"]}');
      const kpl = rows.nth(1).getByTestId('kpl-aggregate');
      await kpl.getByText('KPL aggregate · 3 user records').waitFor();
      assert.deepEqual(await kpl.getByTestId('record-data').allInnerTexts(), ['first user record', '{"second":true}', 'third']);
      assert.match(await kpl.innerText(), /user-a[\s\S]*user-b[\s\S]*user-c/i);  // badges are upper-cased by CSS
      await shot(page, '02-records-text');

      await page.getByTestId('data-mode').getByText('JSON').click();
      assert.equal(await first.getByTestId('record-data').innerText(),
        '{\n  "order": 42,\n  "items": [\n    "tea",\n    "cake"\n  ]\n}');
      assert.equal(await kpl.getByTestId('record-data').nth(1).innerText(), '{\n  "second": true\n}');
      assert.match(await kpl.getByTestId('record-data').nth(0).innerText(), /^\(not JSON\) first user record$/);
      await shot(page, '03-records-json');

      await page.getByTestId('data-mode').getByText('Hex').click();
      assert.equal(await rows.nth(2).getByTestId('record-data').innerText(),
        `00000000  00 01 fe ff${' '.repeat(36)}  |....|`);
      assert.match(await first.getByTestId('record-data').innerText(), /^00000000  7b 22 6f 72 64 65 72 22 3a 34 32 2c 22 69 74 65  \|\{"order":42,"ite\|/);
      await shot(page, '04-records-hex');

      // Consumers: one registered through the page, then subscribed by the SDK; the page lists its live
      // subscription on the shard with its iterator age (eddy_consumer_iterator_age_seconds).
      await page.getByRole('tab', { name: 'Consumers' }).click();
      await page.locator('input[name=consumerName]').fill('analytics');
      await page.getByRole('button', { name: 'Register' }).click();
      const consumerRow = page.getByTestId('consumer-row-analytics');
      await consumerRow.getByText('ACTIVE').waitFor();
      const { Consumers } = await client.send(new ListStreamConsumersCommand({ StreamARN: summary.StreamARN }));
      const stop = new AbortController();
      const sub = await client.send(new SubscribeToShardCommand({ ConsumerARN: Consumers[0].ConsumerARN,
        ShardId: 'shardId-000000000000', StartingPosition: { Type: 'TRIM_HORIZON' } }), { abortSignal: stop.signal });
      const events = sub.EventStream[Symbol.asyncIterator]();
      const firstEvent = (await events.next()).value;
      assert.equal(firstEvent.SubscribeToShardEvent.Records.length, 3);
      await consumerRow.getByTestId('subscription').getByText(/^shardId-000000000000: \d+\.\d s$/).waitFor();
      await shot(page, '05-consumers');
      stop.abort();
      await events.return?.().catch(() => {});
      await consumerRow.getByText('none').waitFor({ timeout: 15_000 });

      // Live traffic: a producer and a reader for a few seconds; the chart's latest point must move.
      traffic = runTraffic(client, name, 12_000);
      await page.getByRole('tab', { name: 'Traffic and shards' }).click();
      const chart = page.getByTestId('chart-records');
      await page.waitForFunction(() => {
        const el = document.querySelector('[data-testid=chart-records]');
        return el && Number(el.dataset.in) > 5 && Number(el.dataset.out) > 5 && Number(el.dataset.points) >= 4;
      }, null, { timeout: 15_000 });
      const inRate = Number(await chart.getAttribute('data-in'));
      assert.ok(inRate > 5 && inRate < 1000, `records in per second: ${inRate}`);
      const bytesIn = Number(await page.getByTestId('chart-bytes').getAttribute('data-in'));
      assert.ok(bytesIn > inRate * 10, `bytes in per second: ${bytesIn}`);
      const shardRow = await page.getByTestId('shard-row-shardId-000000000000').innerText();
      assert.doesNotMatch(shardRow, /open\s+—\s+0\s+0 B/, 'the shard row shows the traffic');
      await shot(page, '06-live-traffic');
      if (process.env.EDDY_CONSOLE_DOC_SCREENSHOT) {
        await page.screenshot({ path: path.join(repo, 'docs/console.png') });
      }

      // Split the shard from the page: two children under it in the map, the parent closed.
      await page.getByTestId('shard-row-shardId-000000000000').getByRole('button', { name: 'Split' }).click();
      for (const child of ['shardId-000000000001', 'shardId-000000000002']) {
        const box = page.getByTestId(`shard-${child}`);
        await box.waitFor();
        assert.equal(await box.getAttribute('data-parents'), 'shardId-000000000000');
        assert.equal(await box.getAttribute('data-closed'), 'false');
      }
      await page.locator('[data-testid=shard-shardId-000000000000][data-closed=true]').waitFor();
      await shot(page, '07-split-lineage');
      await traffic;
      traffic = null;

      // Change the retention from the list; the row shows the stream's new setting.
      await page.goto(`${eddy.endpoint}/console/#/streams`);
      await row.getByRole('button', { name: 'Change' }).click();
      await page.locator('input[name=retentionHours]').fill('48');
      await page.getByRole('button', { name: 'Set retention' }).click();
      await row.getByText('48 h').waitFor();
      assert.match(await row.innerText(), /PROVISIONED\s+2\s+1\s+48 h/, 'two open children, one closed parent');
      const after = (await client.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary;
      assert.equal(after.RetentionPeriodHours, 48);

      // Delete, confirmed by typing the name.
      await row.getByRole('button', { name: 'Delete' }).click();
      const confirm = page.getByRole('button', { name: 'Delete stream' });
      assert.equal(await confirm.isDisabled(), true, 'disabled until the name is typed');
      await page.locator('input[name=confirmName]').fill(name);
      await confirm.click();
      await row.waitFor({ state: 'detached' });
      await assert.rejects(client.send(new DescribeStreamSummaryCommand({ StreamName: name })), { name: 'ResourceNotFoundException' });
      await shot(page, '08-deleted');
      assert.deepEqual(problems, [], 'no page errors, and no request failed (not even a favicon)');
    } catch (e) {
      await shot(page, 'failure-walkthrough').catch(() => {});
      throw new Error(`${e.message}\npage problems: ${problems.join('\n')}`, { cause: e });
    } finally {
      await traffic?.catch(() => {});
      client.destroy();
      await close();
    }
  });
});

// Puts 10 records every 100 ms and reads them back, for `ms`.
async function runTraffic(client, name, ms) {
  const until = Date.now() + ms;
  let iterator = (await client.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000',
    ShardIteratorType: 'LATEST' }))).ShardIterator;
  let i = 0;
  while (Date.now() < until) {
    const Records = Array.from({ length: 10 }, () => ({ PartitionKey: `k${i++}`, Data: Buffer.from(JSON.stringify({ i, at: Date.now() })) }));
    await client.send(new PutRecordsCommand({ StreamName: name, Records }));
    if (iterator) {
      const r = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
      iterator = r.NextShardIterator;  // none once the shard is split and read to its end
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('web console with strict SigV4', () => {
  const ALICE = { accessKeyId: 'AKIAALICE0000000000A', secretAccessKey: 'alicesecret', account: '111111111111' };
  let eddy;
  let browser;
  let dir;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'eddy-console-'));
    const file = path.join(dir, 'credentials');
    writeFileSync(file, `${ALICE.accessKeyId} ${ALICE.secretAccessKey} ${ALICE.account}\n`);
    eddy = await startEddy(['--auth', 'sigv4', '--credentials-file', file]);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    assert.equal((await eddy.stop()).code, 0, eddy.stderr());
    rmSync(dir, { recursive: true, force: true });
  });

  test('refused with the default key, served once the right key is typed in', async () => {
    const { page, close } = await openPage(browser);
    const alice = sdk(eddy.endpoint, { accessKeyId: ALICE.accessKeyId, secretAccessKey: ALICE.secretAccessKey });
    const name = uniqueName('strict');
    try {
      await alice.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
      await page.goto(`${eddy.endpoint}/console/`);
      await page.getByTestId('error').getByText(/UnrecognizedClientException/).waitFor();
      await shot(page, '09-sigv4-refused');

      await page.getByRole('button', { name: 'Credentials' }).click();
      await page.locator('input[name=accessKeyId]').fill(ALICE.accessKeyId);
      await page.locator('input[name=secretAccessKey]').fill('wrong');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByTestId('error').getByText(/InvalidSignatureException/).waitFor();

      await page.getByRole('button', { name: 'Credentials' }).click();
      await page.locator('input[name=secretAccessKey]').fill(ALICE.secretAccessKey);
      await page.getByRole('button', { name: 'Save' }).click();
      const row = page.getByTestId(`stream-row-${name}`);
      await row.getByText('ACTIVE').waitFor();
      assert.equal(await page.getByTestId('error').count(), 0);
      assert.match(await row.innerText(), /PROVISIONED\s+2\s+0/);
      // Kept for the tab in sessionStorage, and used after a reload.
      const stored = JSON.parse(await page.evaluate(() => sessionStorage.getItem('eddy-console-settings')));
      assert.equal(stored.accessKeyId, ALICE.accessKeyId);
      await page.reload();
      await row.getByText('ACTIVE').waitFor();
      await shot(page, '10-sigv4-signed-in');
    } finally {
      alice.destroy();
      await close();
    }
  });
});

describe('--console=off', () => {
  test('answers 404 on every console path while the API still serves', async () => {
    const eddy = await startEddy(['--console=off']);
    try {
      assert.equal((await fetch(`${eddy.endpoint}/console`)).status, 404);
      assert.equal((await fetch(`${eddy.endpoint}/console/index.html`)).status, 404);
      assert.equal((await fetch(`${eddy.endpoint}/health`)).status, 200);
    } finally {
      assert.equal((await eddy.stop()).code, 0, eddy.stderr());
    }
  });
});

