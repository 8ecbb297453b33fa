// One stream: live rates per stream and per shard from /metrics, the shard map with its lineage, the
// record browser and the consumers.
import React, { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Paper, SimpleGrid, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { DescribeStreamSummaryCommand, ListShardsCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import { all, errorText, send } from '../lib/kinesis.js';
import { go } from '../lib/router.js';
import { useStreamRates } from '../lib/metrics.js';
import { formatBytes } from '../lib/records.js';
import { RateChart } from '../components/RateChart.jsx';
import { ShardMap } from '../components/ShardMap.jsx';
import { RecordBrowser } from '../components/RecordBrowser.jsx';
import { Consumers } from '../components/Consumers.jsx';

// arn:aws:kinesis:REGION:ACCOUNT:stream/NAME -> the labels /metrics uses.
function scopeOf(arn, name) {
  const p = (arn || '').split(':');
  return { region: p[3], account: p[4], stream: name };
}

export function StreamPage({ name, tab }) {
  const [summary, setSummary] = useState(null);
  const [shards, setShards] = useState([]);
  const [error, setError] = useState('');
  const refresh = useCallback(async () => {
    try {
      const [s, list] = await Promise.all([
        send(new DescribeStreamSummaryCommand({ StreamName: name })).then((r) => r.StreamDescriptionSummary),
        all(async (token) => {
          const r = await send(new ListShardsCommand(token ? { NextToken: token } : { StreamName: name }));
          return [r.Shards, r.NextToken];
        }),
      ]);
      setSummary(s);
      setShards(list);
      setError('');
    } catch (e) {
      setError(errorText(e));
    }
  }, [name]);
  useEffect(() => {
    refresh();
    const t = setInterval(refresh, 3000);
    return () => clearInterval(t);
  }, [refresh]);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{name}</Title>
        {summary && (
          <Group gap="xs">
            <Badge color={summary.StreamStatus === 'ACTIVE' ? 'green' : 'yellow'}>{summary.StreamStatus}</Badge>
            <Badge variant="light">{summary.StreamModeDetails?.StreamMode}</Badge>
            <Badge variant="light">{summary.RetentionPeriodHours} h retention</Badge>
          </Group>
        )}
      </Group>
      {error && <Alert color="red" title="Request failed" data-testid="error">{error}</Alert>}
      <Tabs value={tab} onChange={(t) => go('streams', name, t)} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="overview">Traffic and shards</Tabs.Tab>
          <Tabs.Tab value="records">Records</Tabs.Tab>
          <Tabs.Tab value="consumers">Consumers</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          {summary && <Overview name={name} scope={scopeOf(summary.StreamARN, name)} shards={shards} onChange={refresh} />}
        </Tabs.Panel>
        <Tabs.Panel value="records" pt="md">
          <RecordBrowser name={name} shards={shards} />
        </Tabs.Panel>
        <Tabs.Panel value="consumers" pt="md">
          {summary && <Consumers name={name} arn={summary.StreamARN} scope={scopeOf(summary.StreamARN, name)} shards={shards} />}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function Overview({ name, scope, shards, onChange }) {
  const live = useStreamRates(scope);
  const [error, setError] = useState('');
  const split = async (s) => {
    const start = BigInt(s.HashKeyRange.StartingHashKey);
    const end = BigInt(s.HashKeyRange.EndingHashKey);
    try {
      await send(new SplitShardCommand({ StreamName: name, ShardToSplit: s.ShardId,
        NewStartingHashKey: ((start + end + 1n) / 2n).toString() }));
      setError('');
      onChange();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const rate = (v) => v.toFixed(v && v < 10 ? 1 : 0);
  return (
    <Stack>
      {live.error && <Alert color="yellow">/metrics: {live.error}</Alert>}
      {error && <Alert color="red" data-testid="split-error">{error}</Alert>}
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Paper withBorder p="xs"><RateChart title="Records per second" history={live.history} inKey="inRecords" outKey="outRecords" unit="records/s" testId="chart-records" /></Paper>
        <Paper withBorder p="xs"><RateChart title="Bytes per second" history={live.history} inKey="inBytes" outKey="outBytes" unit="bytes/s" testId="chart-bytes" /></Paper>
      </SimpleGrid>
      <Title order={4}>Shards</Title>
      <Table data-testid="shard-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Shard</Table.Th><Table.Th>State</Table.Th><Table.Th>Parents</Table.Th><Table.Th>In rec/s</Table.Th>
            <Table.Th>In bytes/s</Table.Th><Table.Th>Out rec/s</Table.Th><Table.Th>Out bytes/s</Table.Th>
            <Table.Th>Iterator age</Table.Th><Table.Th>Subscribers</Table.Th><Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shards.map((s) => {
            const r = live.shards[s.ShardId] || { inRecords: 0, inBytes: 0, outRecords: 0, outBytes: 0, age: 0, subscribers: 0 };
            const closed = !!s.SequenceNumberRange?.EndingSequenceNumber;
            return (
              <Table.Tr key={s.ShardId} data-testid={`shard-row-${s.ShardId}`}>
                <Table.Td>{s.ShardId}</Table.Td>
                <Table.Td><Badge color={closed ? 'gray' : 'blue'}>{closed ? 'closed' : 'open'}</Badge></Table.Td>
                <Table.Td><Text size="xs">{[s.ParentShardId, s.AdjacentParentShardId].filter(Boolean).join(', ') || '—'}</Text></Table.Td>
                <Table.Td>{rate(r.inRecords)}</Table.Td>
                <Table.Td>{formatBytes(r.inBytes)}</Table.Td>
                <Table.Td>{rate(r.outRecords)}</Table.Td>
                <Table.Td>{formatBytes(r.outBytes)}</Table.Td>
                <Table.Td>{r.age.toFixed(1)} s</Table.Td>
                <Table.Td>{r.subscribers}</Table.Td>
                <Table.Td>{!closed && <Button size="xs" variant="default" onClick={() => split(s)}>Split</Button>}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <Title order={4}>Shard map</Title>
      <ShardMap shards={shards} />
    </Stack>
  );
}
