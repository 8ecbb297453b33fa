// Puts one small JSON record every --interval-ms (default 1000) into the stream, forever or --count times,
// and prints each put as: put <TAB> shard id <TAB> sequence number <TAB> data.
//   node producer.mjs [--stream NAME] [--count N] [--interval-ms MS]
import { parseArgs } from 'node:util';
import { hostname } from 'node:os';
import { PutRecordCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { endpoint, intFlag, makeClient, sleep, streamName } from './kinesis.mjs';

const { values } = parseArgs({
  options: {
    stream: { type: 'string' },
    count: { type: 'string', default: '0' }, // 0: forever
    'interval-ms': { type: 'string', default: '1000' },
  },
});
const stream = streamName(values.stream);
const count = intFlag(values, 'count');
const intervalMs = intFlag(values, 'interval-ms');
const client = makeClient();

let sent = 0;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    console.error(`producer: ${sig} after ${sent} records`);
    process.exit(0);
  });
}

// The stream may still be CREATING (or not yet created) when this starts; poll every second for up to 60.
await waitUntilStreamExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { StreamName: stream });
console.error(`producer: putting into ${stream} at ${endpoint}`);

const source = hostname();
for (let n = 1; count === 0 || n <= count; n++) {
  const data = JSON.stringify({ source, n, at: new Date().toISOString() });
  const out = await client.send(
    new PutRecordCommand({ StreamName: stream, PartitionKey: `key-${n % 16}`, Data: Buffer.from(data) }),
  );
  sent = n;
  console.log(`put\t${out.ShardId}\t${out.SequenceNumber}\t${data}`);
  if (intervalMs > 0 && n !== count) await sleep(intervalMs);
}
client.destroy();
