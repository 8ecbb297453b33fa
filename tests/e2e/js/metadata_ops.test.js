// Stream metadata operations through the stock JS SDK v3 (HTTP/2): retention, tags, enhanced monitoring,
// encryption, resource policies, account settings, record size, stream mode, warm throughput and the
// record distribution strategy. Each answer and error is checked as AWS gives it; stored state must
// survive a restart; the UPDATING transition is timed with --update-stream-ms.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AddTagsToStreamCommand, CreateStreamCommand, DecreaseStreamRetentionPeriodCommand, DeleteResourcePolicyCommand,
  DeregisterStreamConsumerCommand, DescribeAccountSettingsCommand, DescribeStreamCommand,
  DescribeStreamSummaryCommand, DisableEnhancedMonitoringCommand, EnableEnhancedMonitoringCommand,
  GetRecordsCommand, GetResourcePolicyCommand, GetShardIteratorCommand, IncreaseStreamRetentionPeriodCommand,
  ListTagsForResourceCommand, ListTagsForStreamCommand, PutRecordCommand, PutRecordsCommand,
  PutResourcePolicyCommand, RegisterStreamConsumerCommand, RemoveTagsFromStreamCommand,
  StartStreamEncryptionCommand, StopStreamEncryptionCommand, TagResourceCommand, UntagResourceCommand,
  UpdateAccountSettingsCommand, UpdateMaxRecordSizeCommand, UpdateStreamModeCommand,
  UpdateStreamRecordDistributionStrategyCommand, UpdateStreamWarmThroughputCommand,
} from '@aws-sdk/client-kinesis';
import { startEddy, client, uniqueName, expectAwsError } from './helpers.js';

const ACCOUNT = '000000000000';
const arnOf = (name) => `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${name}`;
const ALL_METRICS = ['IncomingBytes', 'OutgoingRecords', 'IteratorAgeMilliseconds', 'IncomingRecords',
  'ReadProvisionedThroughputExceeded', 'WriteProvisionedThroughputExceeded', 'OutgoingBytes'];
const MIB = 1024 * 1024;

async function summary(kinesis, name) {
  return (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary;
}

async function readAll(kinesis, name, ShardId) {
  const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: name, ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
  return (await kinesis.send(new GetRecordsCommand({ ShardIterator }))).Records;
}

async function waitForStatus(kinesis, name, status, ms = 5000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await summary(kinesis, name);
    if (s.StreamStatus === status) return s;
    if (Date.now() > deadline) assert.fail(`stream ${name} stayed ${s.StreamStatus}, expected ${status}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('metadata operations', () => {
  let eddy;
  let kinesis;
  before(async () => {
    eddy = await startEddy(['--in-memory']);
    kinesis = client(eddy.endpoint, 'h2');
  });
  after(async () => {
    kinesis.destroy();
    assert.equal((await eddy.stop()).code, 0);
  });

  test('retention: increase and decrease within 24..8760 hours, in the right direction', async () => {
    const name = uniqueName('ret');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    await kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 48 }));
    assert.equal((await summary(kinesis, name)).RetentionPeriodHours, 48);
    await kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamARN: arnOf(name), RetentionPeriodHours: 8760 }));
    assert.equal((await summary(kinesis, name)).RetentionPeriodHours, 8760);
    await kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 72 }));
    assert.equal((await kinesis.send(new DescribeStreamCommand({ StreamName: name }))).StreamDescription.RetentionPeriodHours, 72);

    await expectAwsError(assert, kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 24 })),
      'InvalidArgumentException',
      `Requested retention period (24 hours) for stream ${name} can not be shorter than existing retention period (72 hours). Use DecreaseRetentionPeriod API.`);
    await expectAwsError(assert, kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 100 })),
      'InvalidArgumentException',
      `Requested retention period (100 hours) for stream ${name} can not be longer than existing retention period (72 hours). Use IncreaseRetentionPeriod API.`);
    await expectAwsError(assert, kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 23 })),
      'InvalidArgumentException',
      'Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.');
    await expectAwsError(assert, kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 8761 })),
      'InvalidArgumentException',
      'Maximum allowed retention period is 8760 hours. Requested retention period (8761 hours) is too long.');
    await expectAwsError(assert, kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'nope', RetentionPeriodHours: 48 })),
      'ResourceNotFoundException', `Stream nope under account ${ACCOUNT} not found.`);
    await expectAwsError(assert, kinesis.send(new IncreaseStreamRetentionPeriodCommand({ RetentionPeriodHours: 48 })),
      'InvalidArgumentException', 'Either StreamName or StreamARN should be provided.');
    assert.equal((await summary(kinesis, name)).RetentionPeriodHours, 72, 'failed calls changed nothing');
  });

  test('stream tags: add, overwrite, list in pages, remove; CreateStream tags', async () => {
    const name = uniqueName('tags');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1, Tags: { owner: 'team-a', 'cost:center': '42' } }));
    let listed = await kinesis.send(new ListTagsForStreamCommand({ StreamName: name }));
    assert.deepEqual(listed.Tags, [{ Key: 'cost:center', Value: '42' }, { Key: 'owner', Value: 'team-a' }]);
    assert.equal(listed.HasMoreTags, false);

    await kinesis.send(new AddTagsToStreamCommand({ StreamARN: arnOf(name), Tags: { owner: 'team-b', env: '', 'é/=+-@ x': 'Ünïcode' } }));
    listed = await kinesis.send(new ListTagsForStreamCommand({ StreamName: name, Limit: 2 }));
    assert.deepEqual(listed.Tags, [{ Key: 'cost:center', Value: '42' }, { Key: 'env', Value: '' }]);
    assert.equal(listed.HasMoreTags, true);
    listed = await kinesis.send(new ListTagsForStreamCommand({ StreamName: name, ExclusiveStartTagKey: 'env', Limit: 2 }));
    assert.deepEqual(listed.Tags, [{ Key: 'owner', Value: 'team-b' }, { Key: 'é/=+-@ x', Value: 'Ünïcode' }]);
    assert.equal(listed.HasMoreTags, false);

    await kinesis.send(new RemoveTagsFromStreamCommand({ StreamName: name, TagKeys: ['env', 'never-there'] }));
    listed = await kinesis.send(new ListTagsForStreamCommand({ StreamName: name }));
    assert.deepEqual(listed.Tags.map((t) => t.Key), ['cost:center', 'owner', 'é/=+-@ x']);
    // ListTagsForResource sees the same tags.
    const byArn = await kinesis.send(new ListTagsForResourceCommand({ ResourceARN: arnOf(name) }));
    assert.deepEqual(byArn.Tags, listed.Tags);
  });

  test('tag rules: characters, the aws: prefix, 50 per stream, the model lengths', async () => {
    const name = uniqueName('tagrules');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    await expectAwsError(assert, kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { 'a#b': 'v' } })),
      'InvalidArgumentException',
      'Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = + - % @ :.');
    await expectAwsError(assert, kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { k: '50%' } })),
      'InvalidArgumentException',
      `Failed to add tags to stream ${name} under account ${ACCOUNT} because some tags contained illegal characters. ` +
      "The allowed characters are Unicode letters, white-spaces, '_',',','/','=','+','-','@',':'.");
    await expectAwsError(assert, kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { 'aws:owner': 'v' } })),
      'InvalidArgumentException', /^Failed to add tags to stream .* the reserved prefix 'aws:'\. Invalid key: aws:owner\.$/);
    await expectAwsError(assert, kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { ['k'.repeat(129)]: 'v' } })),
      'ValidationException',
      `1 validation error detected: Value '{${'k'.repeat(129)}=v}' at 'tags' failed to satisfy constraint: Map key must satisfy constraint: ` +
      '[Member must have length less than or equal to 128, Member must have length greater than or equal to 1]');
    await expectAwsError(assert, kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { k: 'v'.repeat(257), ok: 'fine' } })),
      'ValidationException', /^1 validation error detected: Value '\{k=v{257}, ok=fine\}' at 'tags' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 256, Member must have length greater than or equal to 0\]$/);
    await expectAwsError(assert, kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: {} })),
      'ValidationException', "1 validation error detected: Value '{}' at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1");
    await expectAwsError(assert, kinesis.send(new RemoveTagsFromStreamCommand({ StreamName: name, TagKeys: ['bad*key'] })),
      'InvalidArgumentException', /^Some tags contain invalid characters\./);

    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${String(i).padStart(2, '0')}`, `${i}`]));
    await kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: Object.fromEntries(Object.entries(fifty).slice(0, 30)) }));
    await kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: Object.fromEntries(Object.entries(fifty).slice(30)) }));
    await kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { k00: 'overwritten' } }));  // still 50
    await expectAwsError(assert, kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { k51: 'v' } })),
      'InvalidArgumentException',
      `Failed to add tags to stream ${name} under account ${ACCOUNT} because a given stream cannot have more than 10 tags associated with it.`);
    const { Tags, HasMoreTags } = await kinesis.send(new ListTagsForStreamCommand({ StreamName: name, Limit: 50 }));
    assert.equal(Tags.length, 50);
    assert.equal(HasMoreTags, false);
    assert.equal(Tags[0].Value, 'overwritten');
    await expectAwsError(assert, kinesis.send(new ListTagsForStreamCommand({ StreamName: name, Limit: 51 })),
      'ValidationException', /Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50$/);
    await expectAwsError(assert, kinesis.send(new CreateStreamCommand({ StreamName: uniqueName(), ShardCount: 1, Tags: { 'aws:x': '1' } })),
      'InvalidArgumentException', /reserved prefix 'aws:'/);
    await expectAwsError(assert, kinesis.send(new ListTagsForStreamCommand({ StreamName: 'missing' })),
      'ResourceNotFoundException', `Stream missing under account ${ACCOUNT} not found.`);
  });

  test('TagResource, UntagResource, ListTagsForResource on streams and consumers', async () => {
    const name = uniqueName('res');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({
      StreamARN: arnOf(name), ConsumerName: 'reader', Tags: { app: 'kcl' } }));
    let tags = await kinesis.send(new ListTagsForResourceCommand({ ResourceARN: Consumer.ConsumerARN }));
    assert.deepEqual(tags.Tags, [{ Key: 'app', Value: 'kcl' }]);

    await kinesis.send(new TagResourceCommand({ ResourceARN: Consumer.ConsumerARN, Tags: { tier: 'gold', app: 'kcl3' } }));
    await kinesis.send(new TagResourceCommand({ ResourceARN: arnOf(name), Tags: { stream: 'yes' } }));
    tags = await kinesis.send(new ListTagsForResourceCommand({ ResourceARN: Consumer.ConsumerARN }));
    assert.deepEqual(tags.Tags, [{ Key: 'app', Value: 'kcl3' }, { Key: 'tier', Value: 'gold' }]);
    const streamTags = await kinesis.send(new ListTagsForResourceCommand({ ResourceARN: arnOf(name) }));
    assert.deepEqual(streamTags.Tags, [{ Key: 'stream', Value: 'yes' }], 'consumer tags stay on the consumer');

    await kinesis.send(new UntagResourceCommand({ ResourceARN: Consumer.ConsumerARN, TagKeys: ['app', 'absent'] }));
    tags = await kinesis.send(new ListTagsForResourceCommand({ ResourceARN: Consumer.ConsumerARN }));
    assert.deepEqual(tags.Tags, [{ Key: 'tier', Value: 'gold' }]);

    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`t${i}`, 'v']));
    await expectAwsError(assert, kinesis.send(new TagResourceCommand({ ResourceARN: Consumer.ConsumerARN, Tags: many })),
      'InvalidArgumentException',
      `Failed to add tags to consumer reader of stream ${name} under account ${ACCOUNT} because a given consumer cannot have more than 10 tags associated with it.`);
    await expectAwsError(assert, kinesis.send(new TagResourceCommand({ ResourceARN: Consumer.ConsumerARN, Tags: { 'x!': 'v' } })),
      'InvalidArgumentException', /^Some tags contain invalid characters\./);
    await expectAwsError(assert, kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: arnOf(name), ConsumerName: 'bad', Tags: { 'aws:k': 'v' } })),
      'InvalidArgumentException', /reserved prefix 'aws:'/);

    // A consumer that is gone, or an older registration of the same name, is not found.
    await kinesis.send(new DeregisterStreamConsumerCommand({ ConsumerARN: Consumer.ConsumerARN }));
    await expectAwsError(assert, kinesis.send(new ListTagsForResourceCommand({ ResourceARN: Consumer.ConsumerARN })),
      'ResourceNotFoundException', `Consumer reader under stream ${name} and account ${ACCOUNT} not found.`);
    await expectAwsError(assert, kinesis.send(new TagResourceCommand({ ResourceARN: `${arnOf(name)}/consumer/reader:1`, Tags: { a: 'b' } })),
      'ResourceNotFoundException', `Consumer reader under stream ${name} and account ${ACCOUNT} not found.`);
    await expectAwsError(assert, kinesis.send(new ListTagsForResourceCommand({ ResourceARN: arnOf('missing') })),
      'ResourceNotFoundException', `Stream missing under account ${ACCOUNT} not found.`);
    await expectAwsError(assert, kinesis.send(new ListTagsForResourceCommand({ ResourceARN: 'arn:aws:s3:::bucket' })),
      'ValidationException', /at 'resourceARN' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws\.\*:kinesis:/);
  });

  test('enhanced monitoring: ALL expands, answers carry current and desired metrics', async () => {
    const name = uniqueName('mon');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    let r = await kinesis.send(new EnableEnhancedMonitoringCommand({ StreamName: name, ShardLevelMetrics: ['OutgoingBytes', 'IncomingBytes'] }));
    assert.equal(r.StreamName, name);
    assert.equal(r.StreamARN, arnOf(name));
    assert.deepEqual(r.CurrentShardLevelMetrics, []);
    assert.deepEqual(r.DesiredShardLevelMetrics, ['IncomingBytes', 'OutgoingBytes']);
    r = await kinesis.send(new EnableEnhancedMonitoringCommand({ StreamARN: arnOf(name), ShardLevelMetrics: ['ALL'] }));
    assert.deepEqual(r.CurrentShardLevelMetrics, ['IncomingBytes', 'OutgoingBytes']);
    assert.deepEqual(r.DesiredShardLevelMetrics, ALL_METRICS);
    const d = (await kinesis.send(new DescribeStreamCommand({ StreamName: name }))).StreamDescription;
    assert.deepEqual(d.EnhancedMonitoring, [{ ShardLevelMetrics: ALL_METRICS }]);
    r = await kinesis.send(new DisableEnhancedMonitoringCommand({ StreamName: name, ShardLevelMetrics: ['IncomingBytes', 'IteratorAgeMilliseconds'] }));
    assert.deepEqual(r.CurrentShardLevelMetrics, ALL_METRICS);
    assert.deepEqual(r.DesiredShardLevelMetrics, ALL_METRICS.filter((m) => m !== 'IncomingBytes' && m !== 'IteratorAgeMilliseconds'));
    r = await kinesis.send(new DisableEnhancedMonitoringCommand({ StreamName: name, ShardLevelMetrics: ['ALL'] }));
    assert.deepEqual(r.DesiredShardLevelMetrics, []);
    assert.deepEqual((await summary(kinesis, name)).EnhancedMonitoring, [{ ShardLevelMetrics: [] }]);

    await expectAwsError(assert, kinesis.send(new EnableEnhancedMonitoringCommand({ StreamName: name, ShardLevelMetrics: ['IncomingBytes', 'Bogus'] })),
      'ValidationException',
      "1 validation error detected: Value '[IncomingBytes, Bogus]' at 'shardLevelMetrics' failed to satisfy constraint: Member must satisfy constraint: " +
      '[Member must satisfy enum value set: [IncomingBytes, IncomingRecords, OutgoingBytes, OutgoingRecords, WriteProvisionedThroughputExceeded, ReadProvisionedThroughputExceeded, IteratorAgeMilliseconds, ALL]]');
    await expectAwsError(assert, kinesis.send(new EnableEnhancedMonitoringCommand({ StreamName: name, ShardLevelMetrics: [] })),
      'ValidationException', /at 'shardLevelMetrics' failed to satisfy constraint: Member must have length greater than or equal to 1$/);
    await expectAwsError(assert, kinesis.send(new DisableEnhancedMonitoringCommand({ StreamName: 'missing', ShardLevelMetrics: ['ALL'] })),
      'ResourceNotFoundException', `Stream missing under account ${ACCOUNT} not found.`);
  });

  test('encryption: KMS marks records written after it, StopStreamEncryption clears it', async () => {
    const name = uniqueName('kms');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const plain = await kinesis.send(new PutRecordCommand({ StreamName: name, Data: Buffer.from('plain'), PartitionKey: 'k' }));
    assert.equal(plain.EncryptionType, undefined);
    await kinesis.send(new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }));
    let s = await summary(kinesis, name);
    assert.equal(s.EncryptionType, 'KMS');
    assert.equal(s.KeyId, 'alias/aws/kinesis');
    const one = await kinesis.send(new PutRecordCommand({ StreamName: name, Data: Buffer.from('secret'), PartitionKey: 'k' }));
    assert.equal(one.EncryptionType, 'KMS');
    const many = await kinesis.send(new PutRecordsCommand({ StreamName: name, Records: [{ Data: Buffer.from('x'), PartitionKey: 'k' }] }));
    assert.equal(many.EncryptionType, 'KMS');
    const records = await readAll(kinesis, name, 'shardId-000000000000');
    assert.equal(records.at(-1).EncryptionType, 'KMS');

    await expectAwsError(assert, kinesis.send(new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'NONE', KeyId: 'k' })),
      'InvalidArgumentException', 'Invalid EncryptionType NONE for StartStreamEncryption. The only valid value is KMS.');
    await expectAwsError(assert, kinesis.send(new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: '' })),
      'ValidationException', /at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1$/);
    await kinesis.send(new StopStreamEncryptionCommand({ StreamARN: arnOf(name), EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }));
    s = await summary(kinesis, name);
    assert.equal(s.EncryptionType, 'NONE');
    assert.equal(s.KeyId, undefined);
    const after = await kinesis.send(new PutRecordCommand({ StreamName: name, Data: Buffer.from('again'), PartitionKey: 'k' }));
    assert.equal(after.EncryptionType, undefined);
  });

  test('resource policies on streams and consumers: put, get, delete', async () => {
    const name = uniqueName('pol');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: arnOf(name), ConsumerName: 'c' }));
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'kinesis:PutRecord', Resource: arnOf(name) }] });
    assert.equal((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN: arnOf(name) }))).Policy, '{}');
    await kinesis.send(new PutResourcePolicyCommand({ ResourceARN: arnOf(name), Policy: policy }));
    assert.equal((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN: arnOf(name) }))).Policy, policy);
    assert.equal((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN: Consumer.ConsumerARN }))).Policy, '{}');
    await kinesis.send(new PutResourcePolicyCommand({ ResourceARN: Consumer.ConsumerARN, Policy: '{"Statement":[]}' }));
    assert.equal((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN: Consumer.ConsumerARN }))).Policy, '{"Statement":[]}');

    await kinesis.send(new DeleteResourcePolicyCommand({ ResourceARN: arnOf(name) }));
    assert.equal((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN: arnOf(name) }))).Policy, '{}');
    assert.equal((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN: Consumer.ConsumerARN }))).Policy, '{"Statement":[]}');
    await expectAwsError(assert, kinesis.send(new DeleteResourcePolicyCommand({ ResourceARN: arnOf(name) })),
      'ResourceNotFoundException', `No resource policy found for resource ARN ${arnOf(name)}`);
    await expectAwsError(assert, kinesis.send(new PutResourcePolicyCommand({ ResourceARN: arnOf(name), Policy: 'not json' })),
      'InvalidArgumentException', `Policy for ${arnOf(name)} is not a valid JSON policy document.`);
    await expectAwsError(assert, kinesis.send(new GetResourcePolicyCommand({ ResourceARN: arnOf('missing') })),
      'ResourceNotFoundException', `Stream missing under account ${ACCOUNT} not found.`);
    await expectAwsError(assert, kinesis.send(new PutResourcePolicyCommand({ ResourceARN: `${arnOf(name)}/consumer/other:123`, Policy: '{}' })),
      'ResourceNotFoundException', `Consumer other under stream ${name} and account ${ACCOUNT} not found.`);
  });

  test('UpdateMaxRecordSize lets PutRecord and PutRecords take records up to 10 MiB', async () => {
    const name = uniqueName('big');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const big = Buffer.alloc(10 * MIB - 1, 7);
    await expectAwsError(assert, kinesis.send(new PutRecordCommand({ StreamName: name, Data: big, PartitionKey: 'k' })),
      'ValidationException',
      `1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=${big.length} cap=${big.length}]' at 'data' failed to satisfy constraint: Member must have length less than or equal to 1048576`);
    await kinesis.send(new UpdateMaxRecordSizeCommand({ StreamARN: arnOf(name), MaxRecordSizeInKiB: 10240 }));
    assert.equal((await summary(kinesis, name)).MaxRecordSizeInKiB, 10240);
    await kinesis.send(new PutRecordCommand({ StreamName: name, Data: big, PartitionKey: 'k' }));
    // Data and partition key together: one byte too many.
    await expectAwsError(assert, kinesis.send(new PutRecordCommand({ StreamName: name, Data: big, PartitionKey: 'kk' })),
      'InvalidArgumentException', /more than the stream's limit of 10485760 bytes\.$/);
    const r = await kinesis.send(new PutRecordsCommand({ StreamName: name, Records: [{ Data: big, PartitionKey: 'k' }] }));
    assert.equal(r.FailedRecordCount, 0);
    await expectAwsError(assert, kinesis.send(new PutRecordsCommand({ StreamName: name, Records: [{ Data: big, PartitionKey: 'k' }, { Data: Buffer.from('xy'), PartitionKey: 'k' }] })),
      'InvalidArgumentException', /^Records size exceeds the 10 MiB limit of a PutRecords request/);
    // Each 10 MiB record fills a GetRecords answer (10 MiB at most): one call each.
    let { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
    for (let i = 0; i < 2; i++) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
      assert.equal(page.Records.length, 1);
      assert.equal(Buffer.compare(Buffer.from(page.Records[0].Data), big), 0);
      ShardIterator = page.NextShardIterator;
    }

    await expectAwsError(assert, kinesis.send(new UpdateMaxRecordSizeCommand({ StreamARN: arnOf(name), MaxRecordSizeInKiB: 10241 })),
      'ValidationException',
      "1 validation error detected: Value '10241' at 'maxRecordSizeInKiB' failed to satisfy constraint: Member must have value less than or equal to 10240");
    await expectAwsError(assert, kinesis.send(new UpdateMaxRecordSizeCommand({ StreamARN: arnOf(name), MaxRecordSizeInKiB: 1023 })),
      'ValidationException', /Member must have value greater than or equal to 1024$/);
    await kinesis.send(new UpdateMaxRecordSizeCommand({ StreamARN: arnOf(name), MaxRecordSizeInKiB: 1024 }));
    await expectAwsError(assert, kinesis.send(new PutRecordCommand({ StreamName: name, Data: Buffer.alloc(MIB + 1), PartitionKey: 'k' })),
      'ValidationException', /Member must have length less than or equal to 1048576$/);
  });

  test('account settings: the billing commitment and warm throughput', async () => {
    const name = uniqueName('warm');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
    const initial = await kinesis.send(new DescribeAccountSettingsCommand({}));
    assert.deepEqual(initial.MinimumThroughputBillingCommitment, { Status: 'DISABLED' });
    await expectAwsError(assert, kinesis.send(new UpdateStreamWarmThroughputCommand({ StreamName: name, WarmThroughputMiBps: 100 })),
      'InvalidArgumentException', `Warm throughput requires MinimumThroughputBillingCommitment to be enabled for account ${ACCOUNT}.`);

    const before = Date.now();
    const enabled = (await kinesis.send(new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'ENABLED' } })))
      .MinimumThroughputBillingCommitment;
    assert.equal(enabled.Status, 'ENABLED');
    assert.ok(enabled.StartedAt.getTime() >= before - 1000 && enabled.StartedAt.getTime() <= Date.now());
    assert.equal(enabled.EarliestAllowedEndAt.getTime() - enabled.StartedAt.getTime(), 24 * 3600 * 1000);
    assert.equal(enabled.EndedAt, undefined);

    const warm = await kinesis.send(new UpdateStreamWarmThroughputCommand({ StreamARN: arnOf(name), WarmThroughputMiBps: 100 }));
    assert.equal(warm.StreamName, name);
    assert.equal(warm.StreamARN, arnOf(name));
    assert.deepEqual(warm.WarmThroughput, { TargetMiBps: 100, CurrentMiBps: 100 });
    assert.deepEqual((await summary(kinesis, name)).WarmThroughput, { TargetMiBps: 100, CurrentMiBps: 100 });
    await expectAwsError(assert, kinesis.send(new UpdateStreamWarmThroughputCommand({ StreamName: name, WarmThroughputMiBps: 10241 })),
      'LimitExceededException', `Requested warm throughput of 10241 MiBps for stream ${name} under account ${ACCOUNT} exceeds the limit of 10240 MiBps.`);
    await expectAwsError(assert, kinesis.send(new UpdateStreamWarmThroughputCommand({ StreamName: name, WarmThroughputMiBps: -1 })),
      'ValidationException', /at 'warmThroughputMiBps' failed to satisfy constraint: Member must have value greater than or equal to 0$/);
    const provisioned = uniqueName('prov');
    await kinesis.send(new CreateStreamCommand({ StreamName: provisioned, ShardCount: 1 }));
    await expectAwsError(assert, kinesis.send(new UpdateStreamWarmThroughputCommand({ StreamName: provisioned, WarmThroughputMiBps: 10 })),
      'InvalidArgumentException',
      `Warm throughput can only be configured for streams in ON_DEMAND mode. Stream ${provisioned} under account ${ACCOUNT} is in PROVISIONED mode.`);

    const pending = (await kinesis.send(new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'DISABLED' } })))
      .MinimumThroughputBillingCommitment;
    assert.equal(pending.Status, 'ENABLED_UNTIL_EARLIEST_ALLOWED_END');
    assert.equal(pending.EndedAt.getTime(), enabled.EarliestAllowedEndAt.getTime());
    const again = (await kinesis.send(new DescribeAccountSettingsCommand({}))).MinimumThroughputBillingCommitment;
    assert.equal(again.Status, 'ENABLED_UNTIL_EARLIEST_ALLOWED_END');
    // Enabling again cancels the pending end and keeps the same commitment.
    const resumed = (await kinesis.send(new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'ENABLED' } })))
      .MinimumThroughputBillingCommitment;
    assert.equal(resumed.Status, 'ENABLED');
    assert.equal(resumed.StartedAt.getTime(), enabled.StartedAt.getTime());
    assert.equal(resumed.EndedAt, undefined);
    await expectAwsError(assert, kinesis.send(new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'PAUSED' } })),
      'ValidationException',
      "1 validation error detected: Value 'PAUSED' at 'minimumThroughputBillingCommitment.status' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]");
    // Other accounts have their own settings.
    const other = client(eddy.endpoint, 'h2', { credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' } });
    assert.equal((await other.send(new DescribeAccountSettingsCommand({}))).MinimumThroughputBillingCommitment.Status, 'DISABLED');
    other.destroy();
  });

  test('UpdateStreamMode switches capacity modes; warm throughput only with ON_DEMAND', async () => {
    const name = uniqueName('mode');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
    await expectAwsError(assert, kinesis.send(new UpdateStreamModeCommand({ StreamARN: arnOf(name), StreamModeDetails: { StreamMode: 'PROVISIONED' } })),
      'InvalidArgumentException', `Stream ${name} under account ${ACCOUNT} is already in PROVISIONED mode.`);
    await kinesis.send(new UpdateStreamModeCommand({ StreamARN: arnOf(name), StreamModeDetails: { StreamMode: 'ON_DEMAND' }, WarmThroughputMiBps: 50 }));
    let s = await summary(kinesis, name);
    assert.equal(s.StreamModeDetails.StreamMode, 'ON_DEMAND');
    assert.equal(s.OpenShardCount, 2, 'shards stay as they are');
    assert.deepEqual(s.WarmThroughput, { TargetMiBps: 50, CurrentMiBps: 50 });
    assert.equal(s.RecordDistributionStrategy, 'USER_PARTITION_KEY');
    await expectAwsError(assert, kinesis.send(new UpdateStreamModeCommand({ StreamARN: arnOf(name), StreamModeDetails: { StreamMode: 'PROVISIONED' }, WarmThroughputMiBps: 5 })),
      'InvalidArgumentException', /can only be configured for streams in ON_DEMAND mode/);
    await kinesis.send(new UpdateStreamModeCommand({ StreamARN: arnOf(name), StreamModeDetails: { StreamMode: 'PROVISIONED' } }));
    s = await summary(kinesis, name);
    assert.equal(s.StreamModeDetails.StreamMode, 'PROVISIONED');
    assert.equal(s.WarmThroughput, undefined);
    assert.equal(s.RecordDistributionStrategy, undefined);
    await expectAwsError(assert, kinesis.send(new UpdateStreamModeCommand({ StreamModeDetails: { StreamMode: 'ON_DEMAND' } })),
      'ValidationException', "1 validation error detected: Value null at 'streamARN' failed to satisfy constraint: Member must not be null");
    await expectAwsError(assert, kinesis.send(new UpdateStreamModeCommand({ StreamARN: arnOf('missing'), StreamModeDetails: { StreamMode: 'ON_DEMAND' } })),
      'ResourceNotFoundException', `Stream missing under account ${ACCOUNT} not found.`);
  });

  test('RecordDistributionStrategy AUTO spreads records over shards and needs no partition key', async () => {
    const provisioned = uniqueName('dist');
    await kinesis.send(new CreateStreamCommand({ StreamName: provisioned, ShardCount: 2 }));
    await expectAwsError(assert, kinesis.send(new UpdateStreamRecordDistributionStrategyCommand({ StreamARN: arnOf(provisioned), RecordDistributionStrategy: 'AUTO' })),
      'InvalidArgumentException',
      `The AUTO record distribution strategy is only supported for streams in ON_DEMAND mode. Stream ${provisioned} under account ${ACCOUNT} is in PROVISIONED mode.`);
    await expectAwsError(assert, kinesis.send(new PutRecordCommand({ StreamName: provisioned, Data: Buffer.from('x') })),
      'ValidationException', "1 validation error detected: Value null at 'partitionKey' failed to satisfy constraint: Member must not be null");
    await expectAwsError(assert, kinesis.send(new PutRecordsCommand({ StreamName: provisioned, Records: [{ Data: Buffer.from('x'), PartitionKey: 'k' }, { Data: Buffer.from('y') }, { Data: Buffer.from('z') }] })),
      'ValidationException',
      "2 validation errors detected: Value null at 'records.2.member.partitionKey' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'records.3.member.partitionKey' failed to satisfy constraint: Member must not be null");

    const name = uniqueName('auto');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
    await kinesis.send(new UpdateStreamRecordDistributionStrategyCommand({ StreamARN: arnOf(name), RecordDistributionStrategy: 'AUTO' }));
    assert.equal((await summary(kinesis, name)).RecordDistributionStrategy, 'AUTO');
    const shards = new Set();
    for (let i = 0; i < 8; i++) {
      const r = await kinesis.send(new PutRecordsCommand({ StreamName: name, Records: Array.from({ length: 50 }, () => ({ Data: Buffer.from('a'), PartitionKey: 'same-key' })) }));
      r.Records.forEach((x) => shards.add(x.ShardId));
    }
    assert.equal(shards.size, 4, 'one partition key, yet every shard got records');
    const keyless = await kinesis.send(new PutRecordCommand({ StreamName: name, Data: Buffer.from('no key'), ExplicitHashKey: '0' }));
    assert.match(keyless.ShardId, /^shardId-00000000000[0-3]$/);
    const rs = await kinesis.send(new PutRecordsCommand({ StreamName: name, Records: [{ Data: Buffer.from('a') }] }));
    assert.equal(rs.FailedRecordCount, 0);

    await kinesis.send(new UpdateStreamRecordDistributionStrategyCommand({ StreamARN: arnOf(name), RecordDistributionStrategy: 'USER_PARTITION_KEY' }));
    const first = await kinesis.send(new PutRecordCommand({ StreamName: name, Data: Buffer.from('1'), PartitionKey: 'pk' }));
    for (let i = 0; i < 5; i++) {
      const again = await kinesis.send(new PutRecordCommand({ StreamName: name, Data: Buffer.from('2'), PartitionKey: 'pk' }));
      assert.equal(again.ShardId, first.ShardId, 'USER_PARTITION_KEY routes by key again');
    }
    await expectAwsError(assert, kinesis.send(new UpdateStreamRecordDistributionStrategyCommand({ StreamARN: arnOf(name), RecordDistributionStrategy: 'RANDOM' })),
      'ValidationException', /Member must satisfy enum value set: \[AUTO, USER_PARTITION_KEY\]$/);
  });
});

describe('UPDATING transitions (--update-stream-ms)', () => {
  let eddy;
  let kinesis;
  before(async () => {
    eddy = await startEddy(['--in-memory', '--update-stream-ms', '400']);
    kinesis = client(eddy.endpoint, 'h2');
  });
  after(async () => {
    kinesis.destroy();
    assert.equal((await eddy.stop()).code, 0);
  });

  test('retention, encryption, monitoring, record size and mode show UPDATING, then take effect', async () => {
    const name = uniqueName('upd');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const steps = [
      [new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 96 }), (s) => s.RetentionPeriodHours === 96],
      [new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: 'alias/k' }), (s) => s.EncryptionType === 'KMS'],
      [new EnableEnhancedMonitoringCommand({ StreamName: name, ShardLevelMetrics: ['IncomingRecords'] }),
        (s) => s.EnhancedMonitoring[0].ShardLevelMetrics[0] === 'IncomingRecords'],
      [new UpdateMaxRecordSizeCommand({ StreamARN: arnOf(name), MaxRecordSizeInKiB: 2048 }), (s) => s.MaxRecordSizeInKiB === 2048],
      [new UpdateStreamModeCommand({ StreamARN: arnOf(name), StreamModeDetails: { StreamMode: 'ON_DEMAND' } }),
        (s) => s.StreamModeDetails.StreamMode === 'ON_DEMAND'],
    ];
    for (const [command, applied] of steps) {
      await kinesis.send(command);
      const during = await summary(kinesis, name);
      assert.equal(during.StreamStatus, 'UPDATING', command.constructor.name);
      assert.equal(applied(during), false, `${command.constructor.name} waits for UPDATING to end`);
      // Writes go on while UPDATING; other updates wait for ACTIVE.
      await kinesis.send(new PutRecordCommand({ StreamName: name, Data: Buffer.from('during'), PartitionKey: 'k' }));
      await expectAwsError(assert, kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 24 })),
        'ResourceInUseException', `Stream ${name} under account ${ACCOUNT} not ACTIVE, instead in state UPDATING`);
      const done = await waitForStatus(kinesis, name, 'ACTIVE');
      assert.equal(applied(done), true, `${command.constructor.name} took effect`);
    }
    // Tags and policies do not need ACTIVE; the distribution strategy takes effect at once.
    await kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 100 }));
    await kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { during: 'updating' } }));
    await kinesis.send(new PutResourcePolicyCommand({ ResourceARN: arnOf(name), Policy: '{}' }));
    await expectAwsError(assert, kinesis.send(new UpdateStreamRecordDistributionStrategyCommand({ StreamARN: arnOf(name), RecordDistributionStrategy: 'AUTO' })),
      'ResourceInUseException', `Stream ${name} under account ${ACCOUNT} not ACTIVE, instead in state UPDATING`);
    await waitForStatus(kinesis, name, 'ACTIVE');
    await kinesis.send(new UpdateStreamRecordDistributionStrategyCommand({ StreamARN: arnOf(name), RecordDistributionStrategy: 'AUTO' }));
    const s = await summary(kinesis, name);
    assert.equal(s.StreamStatus, 'ACTIVE');
    assert.equal(s.RecordDistributionStrategy, 'AUTO');
    assert.deepEqual((await kinesis.send(new ListTagsForStreamCommand({ StreamName: name }))).Tags, [{ Key: 'during', Value: 'updating' }]);
  });
});

test('tags, policies, settings and account settings survive a restart', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'eddy-meta-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let eddy = await startEddy(['--data-dir', dir]);
  let kinesis = client(eddy.endpoint, 'h2');
  const name = uniqueName('keep');
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1, Tags: { a: '1' } }));
  const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: arnOf(name), ConsumerName: 'c', Tags: { ct: 'x' } }));
  await kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { b: '2' } }));
  await kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 168 }));
  await kinesis.send(new EnableEnhancedMonitoringCommand({ StreamName: name, ShardLevelMetrics: ['IncomingBytes'] }));
  await kinesis.send(new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }));
  await kinesis.send(new PutResourcePolicyCommand({ ResourceARN: arnOf(name), Policy: '{"Version":"2012-10-17"}' }));
  await kinesis.send(new PutResourcePolicyCommand({ ResourceARN: Consumer.ConsumerARN, Policy: '{"Id":"c"}' }));
  await kinesis.send(new UpdateMaxRecordSizeCommand({ StreamARN: arnOf(name), MaxRecordSizeInKiB: 4096 }));
  await kinesis.send(new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'ENABLED' } }));
  await kinesis.send(new UpdateStreamModeCommand({ StreamARN: arnOf(name), StreamModeDetails: { StreamMode: 'ON_DEMAND' }, WarmThroughputMiBps: 20 }));
  await kinesis.send(new UpdateStreamRecordDistributionStrategyCommand({ StreamARN: arnOf(name), RecordDistributionStrategy: 'AUTO' }));
  const settingsBefore = (await kinesis.send(new DescribeAccountSettingsCommand({}))).MinimumThroughputBillingCommitment;

  kinesis.destroy();
  assert.equal((await eddy.stop()).code, 0);
  eddy = await startEddy(['--data-dir', dir]);
  kinesis = client(eddy.endpoint, 'h2');
  t.after(async () => {
    kinesis.destroy();
    await eddy.stop();
  });

  const s = await summary(kinesis, name);
  assert.equal(s.RetentionPeriodHours, 168);
  assert.deepEqual(s.EnhancedMonitoring, [{ ShardLevelMetrics: ['IncomingBytes'] }]);
  assert.equal(s.EncryptionType, 'KMS');
  assert.equal(s.KeyId, 'alias/aws/kinesis');
  assert.equal(s.MaxRecordSizeInKiB, 4096);
  assert.equal(s.StreamModeDetails.StreamMode, 'ON_DEMAND');
  assert.deepEqual(s.WarmThroughput, { TargetMiBps: 20, CurrentMiBps: 20 });
  assert.equal(s.RecordDistributionStrategy, 'AUTO');
  assert.deepEqual((await kinesis.send(new ListTagsForStreamCommand({ StreamName: name }))).Tags,
    [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }]);
  assert.deepEqual((await kinesis.send(new ListTagsForResourceCommand({ ResourceARN: Consumer.ConsumerARN }))).Tags, [{ Key: 'ct', Value: 'x' }]);
  assert.equal((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN: arnOf(name) }))).Policy, '{"Version":"2012-10-17"}');
  assert.equal((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN: Consumer.ConsumerARN }))).Policy, '{"Id":"c"}');
  const settingsAfter = (await kinesis.send(new DescribeAccountSettingsCommand({}))).MinimumThroughputBillingCommitment;
  assert.deepEqual(settingsAfter, settingsBefore);
  assert.equal(settingsAfter.Status, 'ENABLED');
});
