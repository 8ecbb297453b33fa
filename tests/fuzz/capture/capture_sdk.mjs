// The JavaScript SDK's part of tests/fuzz/capture/capture.py: a few calls over HTTP/2 (the SDK's default
// handler for Kinesis, h2c with prior knowledge on http://) and over HTTP/1.1 (NodeHttpHandler), and a
// SubscribeToShard, which the SDK sends over HTTP/2. Run from tests/e2e/js, module on stdin:
//   node --input-type=module - http://127.0.0.1:PORT < capture_sdk.mjs
import {
  KinesisClient, CreateStreamCommand, DeleteStreamCommand, DescribeStreamSummaryCommand, GetRecordsCommand,
  GetShardIteratorCommand, ListShardsCommand, PutRecordCommand, PutRecordsCommand, RegisterStreamConsumerCommand,
  SubscribeToShardCommand, DeregisterStreamConsumerCommand, ListStreamConsumersCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

const endpoint = process.argv[2];
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const StreamName = 'fuzz';
const StreamARN = 'arn:aws:kinesis:us-east-1:000000000000:stream/fuzz';

async function quietly(p) {
  try {
    return await p;
  } catch (e) {
    return { error: e.name };
  }
}

async function session(transport) {
  const config = { endpoint, region: 'us-east-1', credentials, maxAttempts: 1 };
  if (transport === 'http1') config.requestHandler = new NodeHttpHandler();
  const k = new KinesisClient(config);
  await quietly(k.send(new CreateStreamCommand({ StreamName, ShardCount: 2 })));
  await quietly(k.send(new DescribeStreamSummaryCommand({ StreamName })));
  await quietly(k.send(new PutRecordCommand({ StreamName, Data: new TextEncoder().encode(`js ${transport}`), PartitionKey: 'js' })));
  await quietly(k.send(new PutRecordsCommand({
    StreamARN,
    Records: [
      { Data: new Uint8Array([0, 1, 2, 255]), PartitionKey: 'a' },
      { Data: new TextEncoder().encode('{"json":"inside"}'), PartitionKey: 'b', ExplicitHashKey: '42' },
    ],
  })));
  const it = await quietly(k.send(new GetShardIteratorCommand({
    StreamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(1704067200500),
  })));
  if (it.ShardIterator) await quietly(k.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator, Limit: 25 })));
  await quietly(k.send(new ListShardsCommand({ StreamName, MaxResults: 1 })));
  if (transport === 'h2') {
    const reg = await quietly(k.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'c' })));
    await quietly(k.send(new ListStreamConsumersCommand({ StreamARN })));
    if (reg.Consumer) {
      await new Promise((r) => setTimeout(r, 200));
      const sub = await quietly(k.send(new SubscribeToShardCommand({
        ConsumerARN: reg.Consumer.ConsumerARN, ShardId: 'shardId-000000000000',
        StartingPosition: { Type: 'TRIM_HORIZON' },
      })));
      if (sub.EventStream) {
        for await (const event of sub.EventStream) {
          if (event.SubscribeToShardEvent) break;
        }
      }
      await quietly(k.send(new DeregisterStreamConsumerCommand({ ConsumerARN: reg.Consumer.ConsumerARN })));
    }
  }
  await quietly(k.send(new DeleteStreamCommand({ StreamName, EnforceConsumerDeletion: true })));
  k.destroy();
}

await session('h2');
await session('http1');
