// The shard map: each shard's hash range drawn to scale over 0..2^128-1, one row per generation, with its
// parents named, so a split or merge shows as children under their parent.
import React from 'react';
import { Badge, Box, Group, Stack, Text, Tooltip } from '@mantine/core';

const SPACE = 2n ** 128n;

function fraction(key) {
  return Number((BigInt(key) * 10000n) / SPACE) / 10000;
}

export function generations(shards) {
  const byId = Object.fromEntries(shards.map((s) => [s.ShardId, s]));
  const depth = {};
  const of = (s) => {
    if (depth[s.ShardId] !== undefined) return depth[s.ShardId];
    depth[s.ShardId] = 0;  // guards a cycle, which a broker never makes
    const parents = [s.ParentShardId, s.AdjacentParentShardId].filter((p) => p && byId[p]);
    depth[s.ShardId] = parents.length ? 1 + Math.max(...parents.map((p) => of(byId[p]))) : 0;
    return depth[s.ShardId];
  };
  const rows = [];
  for (const s of shards) (rows[of(s)] ??= []).push(s);
  return rows;
}

export function ShardMap({ shards }) {
  const rows = generations(shards);
  return (
    <Stack gap="xs" data-testid="shard-map">
      {rows.map((row, gen) => (
        <Box key={gen} pos="relative" h={54} style={{ background: '#f8f9fa', borderRadius: 4 }}>
          {row.map((s) => {
            const start = fraction(s.HashKeyRange.StartingHashKey);
            const end = fraction((BigInt(s.HashKeyRange.EndingHashKey) + 1n).toString());
            const closed = !!s.SequenceNumberRange?.EndingSequenceNumber;
            const parents = [s.ParentShardId, s.AdjacentParentShardId].filter(Boolean);
            return (
              <Tooltip key={s.ShardId} multiline w={420} label={`${s.HashKeyRange.StartingHashKey} .. ${s.HashKeyRange.EndingHashKey}`}>
                <Box data-testid={`shard-${s.ShardId}`} data-parents={parents.join(',')} data-closed={closed}
                  pos="absolute" top={2} bottom={2} left={`${start * 100}%`} w={`calc(${(end - start) * 100}% - 2px)`}
                  style={{ border: '1px solid #adb5bd', borderRadius: 4, background: closed ? '#e9ecef' : '#d0ebff',
                    overflow: 'hidden', padding: '2px 6px' }}>
                  <Group gap={4} wrap="nowrap">
                    <Text size="xs" fw={600}>{s.ShardId.replace('shardId-', '#')}</Text>
                    <Badge size="xs" color={closed ? 'gray' : 'blue'}>{closed ? 'closed' : 'open'}</Badge>
                  </Group>
                  {parents.length > 0 && <Text size="xs" c="dimmed" truncate>from {parents.map((p) => p.replace('shardId-', '#')).join(' + ')}</Text>}
                </Box>
              </Tooltip>
            );
          })}
        </Box>
      ))}
      <Group justify="space-between"><Text size="xs" c="dimmed">hash key 0</Text><Text size="xs" c="dimmed">2^128 − 1</Text></Group>
    </Stack>
  );
}
