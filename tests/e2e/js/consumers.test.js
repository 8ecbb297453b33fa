// Stream consumers (enhanced fan-out registration) through the JS SDK v3 over HTTP/2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateStreamCommand, DeleteStreamCommand, DeregisterStreamConsumerCommand, DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand, ListStreamConsumersCommand, RegisterStreamConsumerCommand,
} from '@aws-sdk/client-kinesis';
import { startEddy, client, uniqueName, expectAwsError } from './helpers.js';

test('register, describe, list, deregister; limits; DeleteStream needs EnforceConsumerDeletion; restart keeps them', async (t) => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const dir = mkdtempSync(path.join(tmpdir(), 'eddy-consumers-'));
  let eddy = await startEddy(['--data-dir', dir]);
  let kinesis = client(eddy.endpoint, 'h2');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const name = uniqueName('efo');
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
  const StreamARN = `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;

  const before = Math.floor(Date.now() / 1000);
  const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'app-1' }));
  assert.equal(Consumer.ConsumerName, 'app-1');
  assert.equal(Consumer.ConsumerStatus, 'ACTIVE');
  const m = new RegExp(`^${StreamARN}/consumer/app-1:(\\d+)$`).exec(Consumer.ConsumerARN);
  assert.ok(m, Consumer.ConsumerARN);
  assert.ok(Number(m[1]) >= before && Number(m[1]) <= Math.ceil(Date.now() / 1000));
  assert.ok(Consumer.ConsumerCreationTimestamp instanceof Date);

  const byArn = await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer.ConsumerARN }));
  assert.equal(byArn.ConsumerDescription.StreamARN, StreamARN);
  assert.equal(byArn.ConsumerDescription.ConsumerARN, Consumer.ConsumerARN);
  const byName = await kinesis.send(new DescribeStreamConsumerCommand({ StreamARN, ConsumerName: 'app-1' }));
  assert.equal(byName.ConsumerDescription.ConsumerARN, Consumer.ConsumerARN);

  await expectAwsError(assert, kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'app-1' })), 'ResourceInUseException');
  for (let i = 2; i <= 20; i++) await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: `app-${i}` }));
  await expectAwsError(assert, kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'app-21' })), 'LimitExceededException');
  const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
  assert.equal(summary.StreamDescriptionSummary.ConsumerCount, 20);

  const names = [];
  let page = await kinesis.send(new ListStreamConsumersCommand({ StreamARN, MaxResults: 7 }));
  names.push(...page.Consumers.map((c) => c.ConsumerName));
  while (page.NextToken) {
    page = await kinesis.send(new ListStreamConsumersCommand({ StreamARN, MaxResults: 7, NextToken: page.NextToken }));
    names.push(...page.Consumers.map((c) => c.ConsumerName));
  }
  assert.deepEqual(names, Array.from({ length: 20 }, (_, i) => `app-${i + 1}`));

  // Consumers survive a restart with the same ARNs.
  kinesis.destroy();
  assert.equal((await eddy.stop()).code, 0);
  eddy = await startEddy(['--data-dir', dir]);
  kinesis = client(eddy.endpoint, 'h2');
  const again = await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer.ConsumerARN }));
  assert.equal(again.ConsumerDescription.ConsumerStatus, 'ACTIVE');

  await kinesis.send(new DeregisterStreamConsumerCommand({ ConsumerARN: Consumer.ConsumerARN }));
  await expectAwsError(assert, kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer.ConsumerARN })), 'ResourceNotFoundException',
    `Consumer app-1 under stream ${name} and account 000000000000 not found.`);
  await kinesis.send(new DeregisterStreamConsumerCommand({ StreamARN, ConsumerName: 'app-2' }));
  // A re-registered consumer gets a new ARN; the old one no longer resolves.
  await expectAwsError(assert, kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: `${StreamARN}/consumer/app-3:1` })), 'ResourceNotFoundException');
  await expectAwsError(assert, kinesis.send(new DescribeStreamConsumerCommand({ StreamARN })), 'InvalidArgumentException');

  await expectAwsError(assert, kinesis.send(new DeleteStreamCommand({ StreamName: name })), 'ResourceInUseException');
  await kinesis.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true }));
  await expectAwsError(assert, kinesis.send(new ListStreamConsumersCommand({ StreamARN })), 'ResourceNotFoundException');
  kinesis.destroy();
  assert.equal((await eddy.stop()).code, 0);
});

test('CREATING then ACTIVE, DELETING then gone, with configured delays; five CREATING at most', async () => {
  const eddy = await startEddy(['--in-memory', '--create-consumer-ms', '300', '--delete-consumer-ms', '300']);
  const kinesis = client(eddy.endpoint, 'http1');
  try {
    const name = uniqueName('efo');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const StreamARN = `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;
    const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'c0' }));
    assert.equal(Consumer.ConsumerStatus, 'CREATING');
    for (let i = 1; i < 5; i++) await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: `c${i}` }));
    await expectAwsError(assert, kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'c5' })), 'LimitExceededException');
    let status = 'CREATING';
    while (status === 'CREATING') {
      status = (await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer.ConsumerARN }))).ConsumerDescription.ConsumerStatus;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(status, 'ACTIVE');
    await kinesis.send(new DeregisterStreamConsumerCommand({ ConsumerARN: Consumer.ConsumerARN }));
    const deleting = await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer.ConsumerARN }));
    assert.equal(deleting.ConsumerDescription.ConsumerStatus, 'DELETING');
  } finally {
    kinesis.destroy();
    assert.equal((await eddy.stop()).code, 0);
  }
});
