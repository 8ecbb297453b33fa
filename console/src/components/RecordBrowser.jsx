// The record browser: a shard and a starting position, then pages of GetRecords, each record with its
// sequence number, partition key, arrival time and data as text, pretty JSON or hex; KPL aggregates are
// shown unpacked. Below, a form that puts a test record.
import React, { useEffect, useState } from 'react';
import {
  Alert, Badge, Button, Code, Group, Paper, SegmentedControl, Select, Stack, Table, Text, TextInput, Textarea, Title,
} from '@mantine/core';
import { GetRecordsCommand, GetShardIteratorCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { errorText, send } from '../lib/kinesis.js';
import { render, unpackKpl } from '../lib/records.js';

const TYPES = ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER', 'AT_TIMESTAMP'];

export function RecordBrowser({ name, shards }) {
  const [shard, setShard] = useState(null);
  const [type, setType] = useState('TRIM_HORIZON');
  const [seq, setSeq] = useState('');
  const [at, setAt] = useState('');
  const [mode, setMode] = useState('text');
  const [page, setPage] = useState(null);
  const [error, setError] = useState('');
  useEffect(() => { if (!shard && shards.length) setShard(shards[0].ShardId); }, [shards, shard]);

  const read = async (iterator) => {
    try {
      const r = await send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 25 }));
      setPage({ records: r.Records, next: r.NextShardIterator, behind: r.MillisBehindLatest, children: r.ChildShards });
      setError('');
    } catch (e) {
      setError(errorText(e));
    }
  };
  const start = async () => {
    try {
      const input = { StreamName: name, ShardId: shard, ShardIteratorType: type };
      if (type.endsWith('SEQUENCE_NUMBER')) input.StartingSequenceNumber = seq;
      if (type === 'AT_TIMESTAMP') input.Timestamp = new Date(at);
      const r = await send(new GetShardIteratorCommand(input));
      await read(r.ShardIterator);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <Stack>
      <Group align="flex-end">
        <Select label="Shard" data={shards.map((s) => s.ShardId)} value={shard} onChange={setShard} data-testid="browse-shard" />
        <Select label="Start at" data={TYPES} value={type} onChange={setType} data-testid="browse-type" allowDeselect={false} />
        {type.endsWith('SEQUENCE_NUMBER') && <TextInput label="Sequence number" name="startSeq" w={420} value={seq} onChange={(e) => setSeq(e.currentTarget.value)} />}
        {type === 'AT_TIMESTAMP' && <TextInput label="Timestamp (ISO 8601)" name="startTime" placeholder="2026-11-27T01:00:00Z" value={at} onChange={(e) => setAt(e.currentTarget.value)} />}
        <Button onClick={start} disabled={!shard}>Read</Button>
        <Button variant="default" disabled={!page?.next} onClick={() => read(page.next)}>Next page</Button>
        <SegmentedControl value={mode} onChange={setMode} data-testid="data-mode"
          data={[{ label: 'Text', value: 'text' }, { label: 'JSON', value: 'json' }, { label: 'Hex', value: 'hex' }]} />
      </Group>
      {error && <Alert color="red" data-testid="browse-error">{error}</Alert>}
      {page && (
        <Text size="sm" c="dimmed" data-testid="page-info">
          {page.records.length} record(s) · {page.behind ?? 0} ms behind latest
          {page.children?.length ? ` · shard closed, children ${page.children.map((c) => c.ShardId).join(', ')}` : ''}
        </Text>
      )}
      {page && (
        <Table data-testid="records-table" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr><Table.Th>Sequence number</Table.Th><Table.Th>Partition key</Table.Th><Table.Th>Arrival</Table.Th><Table.Th>Data</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {page.records.map((r) => <RecordRow key={r.SequenceNumber} r={r} mode={mode} />)}
          </Table.Tbody>
        </Table>
      )}
      <PutRecordForm name={name} />
    </Stack>
  );
}

function RecordRow({ r, mode }) {
  const users = unpackKpl(r.Data);
  return (
    <Table.Tr data-testid="record-row">
      <Table.Td><Code style={{ fontSize: 11 }}>{r.SequenceNumber}</Code></Table.Td>
      <Table.Td>{r.PartitionKey}</Table.Td>
      <Table.Td><Text size="xs">{r.ApproximateArrivalTimestamp?.toISOString()}</Text></Table.Td>
      <Table.Td>
        {users ? (
          <Stack gap={4} data-testid="kpl-aggregate">
            <Badge variant="light" color="grape">KPL aggregate · {users.length} user records</Badge>
            {users.map((u, i) => (
              <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
                <Badge variant="outline" size="sm">{u.partitionKey}</Badge>
                <Code block data-testid="record-data">{render(u.data, mode)}</Code>
              </Group>
            ))}
          </Stack>
        ) : <Code block data-testid="record-data">{render(r.Data, mode)}</Code>}
      </Table.Td>
    </Table.Tr>
  );
}

function PutRecordForm({ name }) {
  const [key, setKey] = useState('test');
  const [data, setData] = useState('{"hello":"eddy"}');
  const [result, setResult] = useState('');
  const [error, setError] = useState('');
  const put = async () => {
    try {
      const r = await send(new PutRecordCommand({ StreamName: name, PartitionKey: key, Data: new TextEncoder().encode(data) }));
      setResult(`${r.ShardId} · ${r.SequenceNumber}`);
      setError('');
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Paper withBorder p="md">
      <Title order={5} mb="xs">Put a test record</Title>
      <Group align="flex-end">
        <TextInput label="Partition key" name="putKey" value={key} onChange={(e) => setKey(e.currentTarget.value)} />
        <Textarea label="Data (UTF-8)" name="putData" autosize minRows={1} w={420} value={data} onChange={(e) => setData(e.currentTarget.value)} />
        <Button onClick={put}>Put record</Button>
      </Group>
      {result && <Text size="sm" mt="xs" data-testid="put-result">Stored in {result}</Text>}
      {error && <Alert color="red" mt="xs" data-testid="put-error">{error}</Alert>}
    </Paper>
  );
}
