// Reads every shard of the stream from its oldest record (TRIM_HORIZON) with GetShardIterator and GetRecords,
// follows resharding into child shards, and prints each record as: got <TAB> shard id <TAB> sequence number
// <TAB> data. Runs forever, or exits 0 after --count records.
//   node consumer.mjs [--stream NAME] [--count N] [--poll-ms MS] [--from TRIM_HORIZON|LATEST]
import { parseArgs } from 'node:util';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { endpoint, intFlag, makeClient, sleep, streamName } from './kinesis.mjs';

const { values } = parseArgs({
  options: {
    stream: { type: 'string' },
    count: { type: 'string', default: '0' }, // 0: forever
    'poll-ms': { type: 'string', default: '1000' },
    from: { type: 'string', default: 'TRIM_HORIZON' },
  },
});
const stream = streamName(values.stream);
const count = intFlag(values, 'count');
const pollMs = intFlag(values, 'poll-ms');
const client = makeClient();

let received = 0;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    console.error(`consumer: ${sig} after ${received} records`);
    process.exit(0);
  });
}

await waitUntilStreamExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { StreamName: stream });
console.error(`consumer: reading ${stream} at ${endpoint}`);

async function iterator(shardId, type) {
  const out = await client.send(
    new GetShardIteratorCommand({ StreamName: stream, ShardId: shardId, ShardIteratorType: type }),
  );
  return out.ShardIterator;
}

// Start at the shards without a listed parent; children join when their parent is read to its end, so each
// partition key's records come out in order.
const shards = [];
for (let token; ;) {
  const page = await client.send(new ListShardsCommand(token ? { NextToken: token } : { StreamName: stream }));
  shards.push(...page.Shards);
  if (!(token = page.NextToken)) break;
}
const listed = new Set(shards.map((s) => s.ShardId));
const seen = new Set();
const readers = new Map(); // shard id -> next iterator
for (const s of shards) {
  if (s.ParentShardId && listed.has(s.ParentShardId)) continue;
  seen.add(s.ShardId);
  readers.set(s.ShardId, await iterator(s.ShardId, values.from));
}

while (readers.size > 0) {
  let got = 0;
  for (const [shardId, it] of [...readers]) {
    let out;
    try {
      out = await client.send(new GetRecordsCommand({ ShardIterator: it, Limit: 1000 }));
    } catch (e) {
      if (e.name !== 'ProvisionedThroughputExceededException') throw e;
      continue; // over the shard's read limit: try again next round
    }
    for (const r of out.Records) {
      console.log(`got\t${shardId}\t${r.SequenceNumber}\t${Buffer.from(r.Data).toString('utf8')}`);
      got++;
      if (++received === count) {
        client.destroy();
        process.exit(0);
      }
    }
    if (out.NextShardIterator) {
      readers.set(shardId, out.NextShardIterator);
    } else {
      readers.delete(shardId); // closed and read to its end
      for (const child of out.ChildShards ?? []) {
        if (seen.has(child.ShardId)) continue;
        seen.add(child.ShardId);
        readers.set(child.ShardId, await iterator(child.ShardId, 'TRIM_HORIZON'));
      }
    }
  }
  if (got === 0) await sleep(pollMs);
}
console.error('consumer: every shard is closed and read');
client.destroy();
