// The control plane through the stock JS SDK v3: its default HTTP/2 handler and NodeHttpHandler.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateStreamCommand, DeleteStreamCommand, DescribeLimitsCommand, DescribeStreamCommand,
  DescribeStreamSummaryCommand, ListShardsCommand, ListStreamsCommand, waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { startEddy, client, uniqueName, expectAwsError } from './helpers.js';

const TWO_128 = 1n << 128n;

function expectEvenRanges(shards, n) {
  const size = TWO_128 / BigInt(n);
  assert.equal(shards.length, n);
  shards.forEach((s, i) => {
    assert.equal(s.ShardId, `shardId-${String(i).padStart(12, '0')}`);
    assert.equal(BigInt(s.HashKeyRange.StartingHashKey), size * BigInt(i));
    const end = i === n - 1 ? TWO_128 - 1n : size * BigInt(i + 1) - 1n;
    assert.equal(BigInt(s.HashKeyRange.EndingHashKey), end);
    assert.match(s.SequenceNumberRange.StartingSequenceNumber, /^49\d{54}$/);
    assert.equal(s.SequenceNumberRange.EndingSequenceNumber, undefined);
  });
}

for (const transport of ['h2', 'http1']) {
  describe(`control plane over ${transport}`, () => {
    let eddy;
    let kinesis;
    before(async () => {
      eddy = await startEddy(['--in-memory', '--shard-limit', '60']);
      kinesis = client(eddy.endpoint, transport);
    });
    after(async () => {
      kinesis.destroy();
      const { code } = await eddy.stop();
      assert.equal(code, 0, 'SIGTERM drains and exits 0');
    });

    test('the SDK uses the expected HTTP handler', () => {
      const handler = kinesis.config.requestHandler.constructor.name;
      assert.equal(handler, transport === 'h2' ? 'NodeHttp2Handler' : 'NodeHttpHandler');
    });

    test('CreateStream, DescribeStream and DescribeStreamSummary', async () => {
      const name = uniqueName();
      const created = await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 3 }));
      assert.equal(created.$metadata.httpStatusCode, 200);
      await waitUntilStreamExists({ client: kinesis, maxWaitTime: 10, minDelay: 1 }, { StreamName: name });
      const { StreamDescription: d } = await kinesis.send(new DescribeStreamCommand({ StreamName: name }));
      assert.equal(d.StreamName, name);
      assert.equal(d.StreamStatus, 'ACTIVE');
      assert.equal(d.StreamARN, `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`);
      assert.equal(d.StreamModeDetails.StreamMode, 'PROVISIONED');
      assert.equal(d.RetentionPeriodHours, 24);
      assert.equal(d.HasMoreShards, false);
      assert.equal(d.EncryptionType, 'NONE');
      assert.ok(d.StreamCreationTimestamp instanceof Date);
      assert.ok(Math.abs(d.StreamCreationTimestamp.getTime() - Date.now()) < 60_000);
      expectEvenRanges(d.Shards, 3);

      const { StreamDescriptionSummary: s } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamARN: d.StreamARN }));
      assert.equal(s.OpenShardCount, 3);
      assert.equal(s.ConsumerCount, 0);
      assert.equal(s.StreamName, name);
      assert.equal(s.StreamCreationTimestamp.getTime(), d.StreamCreationTimestamp.getTime());
    });

    test('CreateStream errors: duplicate, validation, shard limit', async () => {
      const name = uniqueName();
      await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
      await expectAwsError(assert, kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 })),
        'ResourceInUseException', `Stream ${name} under account 000000000000 already exists.`);
      await expectAwsError(assert, kinesis.send(new CreateStreamCommand({ StreamName: 'bad name!', ShardCount: 0 })),
        'ValidationException',
        "2 validation errors detected: Value '0' at 'shardCount' failed to satisfy constraint: Member must have value " +
        "greater than or equal to 1; Value 'bad name!' at 'streamName' failed to satisfy constraint: Member must " +
        'satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
      await expectAwsError(assert, kinesis.send(new CreateStreamCommand({ StreamName: 'x'.repeat(129), ShardCount: 1 })),
        'ValidationException', /Member must have length less than or equal to 128$/);
      await expectAwsError(assert, kinesis.send(new CreateStreamCommand({ StreamName: uniqueName(), ShardCount: 61 })),
        'LimitExceededException', /^This request would exceed the shard limit for the account 000000000000 in us-east-1\. .*Limit: 60\. Number of additional shards that would have resulted from this request: 61\./);
    });

    test('on-demand streams start with four shards', async () => {
      const name = uniqueName();
      await kinesis.send(new CreateStreamCommand({ StreamName: name, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
      const { StreamDescriptionSummary: s } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
      assert.equal(s.StreamModeDetails.StreamMode, 'ON_DEMAND');
      assert.equal(s.OpenShardCount, 4);
      const limits = await kinesis.send(new DescribeLimitsCommand({}));
      assert.ok(limits.OnDemandStreamCount >= 1);
      await kinesis.send(new DeleteStreamCommand({ StreamName: name }));
    });

    test('DescribeStream pages shards with Limit and ExclusiveStartShardId', async () => {
      const name = uniqueName();
      await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 5 }));
      const first = await kinesis.send(new DescribeStreamCommand({ StreamName: name, Limit: 2 }));
      assert.deepEqual(first.StreamDescription.Shards.map((s) => s.ShardId), ['shardId-000000000000', 'shardId-000000000001']);
      assert.equal(first.StreamDescription.HasMoreShards, true);
      const rest = await kinesis.send(new DescribeStreamCommand({ StreamName: name, ExclusiveStartShardId: 'shardId-000000000001' }));
      assert.deepEqual(rest.StreamDescription.Shards.map((s) => s.ShardId),
        ['shardId-000000000002', 'shardId-000000000003', 'shardId-000000000004']);
      assert.equal(rest.StreamDescription.HasMoreShards, false);
      await kinesis.send(new DeleteStreamCommand({ StreamName: name }));
    });

    test('ListShards: paging, exclusive start, filters, token rules', async () => {
      const name = uniqueName();
      await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 5 }));
      const ids = [];
      let page = await kinesis.send(new ListShardsCommand({ StreamName: name, MaxResults: 2 }));
      ids.push(...page.Shards.map((s) => s.ShardId));
      while (page.NextToken) {
        page = await kinesis.send(new ListShardsCommand({ NextToken: page.NextToken, MaxResults: 2 }));
        ids.push(...page.Shards.map((s) => s.ShardId));
      }
      assert.deepEqual(ids, [0, 1, 2, 3, 4].map((i) => `shardId-00000000000${i}`));

      const after = await kinesis.send(new ListShardsCommand({ StreamName: name, ExclusiveStartShardId: 'shardId-000000000003' }));
      assert.deepEqual(after.Shards.map((s) => s.ShardId), ['shardId-000000000004']);
      assert.equal(after.NextToken, undefined);

      const byFilter = async (ShardFilter) =>
        (await kinesis.send(new ListShardsCommand({ StreamName: name, ShardFilter }))).Shards.map((s) => s.ShardId);
      assert.deepEqual(await byFilter({ Type: 'AFTER_SHARD_ID', ShardId: 'shardId-000000000002' }),
        ['shardId-000000000003', 'shardId-000000000004']);
      for (const Type of ['AT_TRIM_HORIZON', 'FROM_TRIM_HORIZON', 'AT_LATEST']) {
        assert.equal((await byFilter({ Type })).length, 5, Type);
      }
      for (const Type of ['AT_TIMESTAMP', 'FROM_TIMESTAMP']) {
        assert.equal((await byFilter({ Type, Timestamp: new Date() })).length, 5, Type);
        await expectAwsError(assert, kinesis.send(new ListShardsCommand({ StreamName: name, ShardFilter: { Type } })),
          'InvalidArgumentException');
      }
      await expectAwsError(assert, kinesis.send(new ListShardsCommand({ StreamName: name, ShardFilter: { Type: 'AFTER_SHARD_ID' } })),
        'InvalidArgumentException');

      const { StreamDescription: d } = await kinesis.send(new DescribeStreamCommand({ StreamName: name }));
      const same = await kinesis.send(new ListShardsCommand({ StreamName: name, StreamCreationTimestamp: d.StreamCreationTimestamp }));
      assert.equal(same.Shards.length, 5);
      await expectAwsError(assert, kinesis.send(new ListShardsCommand({ StreamName: name, StreamCreationTimestamp: new Date(0) })),
        'ResourceNotFoundException');

      await expectAwsError(assert, kinesis.send(new ListShardsCommand({ StreamName: name, NextToken: page.NextToken || 'x' })),
        'InvalidArgumentException', 'NextToken and StreamName cannot be provided together.');
      await expectAwsError(assert, kinesis.send(new ListShardsCommand({})),
        'InvalidArgumentException', 'Either NextToken or StreamName should be provided.');
      await expectAwsError(assert, kinesis.send(new ListShardsCommand({ NextToken: 'not-a-token' })),
        'InvalidArgumentException', 'Invalid NextToken.');
      await expectAwsError(assert, kinesis.send(new ListShardsCommand({ StreamName: uniqueName('missing') })),
        'ResourceNotFoundException', /^Stream missing-\S+ under account 000000000000 not found\.$/);
      await kinesis.send(new DeleteStreamCommand({ StreamName: name }));
    });

    test('ListStreams pages with Limit, NextToken and ExclusiveStartStreamName', async () => {
      const prefix = uniqueName('list');
      const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
      for (const StreamName of names) await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
      const all = [];
      let page = await kinesis.send(new ListStreamsCommand({ Limit: 2 }));
      all.push(...page.StreamNames);
      assert.equal(page.StreamSummaries.length, page.StreamNames.length);
      while (page.HasMoreStreams) {
        assert.ok(page.NextToken);
        page = await kinesis.send(new ListStreamsCommand({ Limit: 2, NextToken: page.NextToken }));
        all.push(...page.StreamNames);
      }
      assert.deepEqual(all, [...all].sort(), 'names come in order');
      for (const n of names) assert.ok(all.includes(n), n);
      const after = await kinesis.send(new ListStreamsCommand({ ExclusiveStartStreamName: names[0] }));
      assert.ok(!after.StreamNames.includes(names[0]));
      assert.ok(after.StreamNames.includes(names[1]));
      const summary = after.StreamSummaries.find((s) => s.StreamName === names[1]);
      assert.equal(summary.StreamStatus, 'ACTIVE');
      assert.equal(summary.StreamARN, `arn:aws:kinesis:us-east-1:000000000000:stream/${names[1]}`);
      assert.ok(summary.StreamCreationTimestamp instanceof Date);
      for (const StreamName of names) await kinesis.send(new DeleteStreamCommand({ StreamName }));
    });

    test('DeleteStream by name and by ARN, then not found', async () => {
      const a = uniqueName();
      const b = uniqueName();
      await kinesis.send(new CreateStreamCommand({ StreamName: a, ShardCount: 1 }));
      await kinesis.send(new CreateStreamCommand({ StreamName: b, ShardCount: 1 }));
      await kinesis.send(new DeleteStreamCommand({ StreamName: a }));
      await kinesis.send(new DeleteStreamCommand({ StreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${b}`, EnforceConsumerDeletion: true }));
      for (const name of [a, b]) {
        await expectAwsError(assert, kinesis.send(new DescribeStreamCommand({ StreamName: name })),
          'ResourceNotFoundException', `Stream ${name} under account 000000000000 not found.`);
      }
      await expectAwsError(assert, kinesis.send(new DeleteStreamCommand({ StreamName: a })), 'ResourceNotFoundException');
      await expectAwsError(assert, kinesis.send(new DeleteStreamCommand({})), 'InvalidArgumentException');
    });

    test('DescribeLimits counts open shards of the account', async () => {
      const before = await kinesis.send(new DescribeLimitsCommand({}));
      assert.equal(before.ShardLimit, 60);
      const name = uniqueName();
      await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
      const afterCreate = await kinesis.send(new DescribeLimitsCommand({}));
      assert.equal(afterCreate.OpenShardCount, before.OpenShardCount + 2);
      assert.equal(afterCreate.OnDemandStreamCountLimit, 50);
      await kinesis.send(new DeleteStreamCommand({ StreamName: name }));
    });

    test('accounts (12-digit access keys) and regions are isolated', async () => {
      const name = uniqueName();
      const other = client(eddy.endpoint, transport, { credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' } });
      const west = client(eddy.endpoint, transport, { region: 'eu-west-1' });
      try {
        await other.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
        const { StreamDescriptionSummary: s } = await other.send(new DescribeStreamSummaryCommand({ StreamName: name }));
        assert.equal(s.StreamARN, `arn:aws:kinesis:us-east-1:111122223333:stream/${name}`);
        await expectAwsError(assert, kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name })), 'ResourceNotFoundException');
        await west.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
        const w = await west.send(new DescribeStreamSummaryCommand({ StreamName: name }));
        assert.equal(w.StreamDescriptionSummary.StreamARN, `arn:aws:kinesis:eu-west-1:000000000000:stream/${name}`);
        assert.equal(w.StreamDescriptionSummary.OpenShardCount, 2);
        // An ARN naming another account does not reach that account's stream.
        await expectAwsError(assert, kinesis.send(new DescribeStreamSummaryCommand({ StreamARN: s.StreamARN })), 'ResourceNotFoundException');
      } finally {
        other.destroy();
        west.destroy();
      }
    });
  });
}

describe('state transitions with delays', () => {
  test('CREATING then ACTIVE, DELETING then gone', async () => {
    const eddy = await startEddy(['--in-memory', '--create-stream-ms', '300', '--delete-stream-ms', '300']);
    const kinesis = client(eddy.endpoint, 'h2');
    try {
      const name = uniqueName();
      await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
      const creating = await kinesis.send(new DescribeStreamCommand({ StreamName: name }));
      assert.equal(creating.StreamDescription.StreamStatus, 'CREATING');
      assert.deepEqual(creating.StreamDescription.Shards, []);
      await expectAwsError(assert, kinesis.send(new ListShardsCommand({ StreamName: name })), 'ResourceInUseException');
      await waitUntilStreamExists({ client: kinesis, maxWaitTime: 10, minDelay: 1 }, { StreamName: name });
      await kinesis.send(new DeleteStreamCommand({ StreamName: name }));
      const deleting = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
      assert.equal(deleting.StreamDescriptionSummary.StreamStatus, 'DELETING');
      await expectAwsError(assert, kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 })), 'ResourceInUseException');
    } finally {
      kinesis.destroy();
      assert.equal((await eddy.stop()).code, 0);
    }
  });
});
