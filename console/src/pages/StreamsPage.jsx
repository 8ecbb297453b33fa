// Every stream of the account and region: status, mode, open and closed shards, retention, encryption,
// consumers and tags; create, delete (confirmed by typing the name), change retention and shard count.
import React, { useCallback, useEffect, useState } from 'react';
import {
  Alert, Anchor, Badge, Button, Group, Modal, NumberInput, SegmentedControl, Stack, Table, Text, TextInput, Title,
} from '@mantine/core';
import {
  CreateStreamCommand, DecreaseStreamRetentionPeriodCommand, DeleteStreamCommand, DescribeStreamSummaryCommand,
  IncreaseStreamRetentionPeriodCommand, ListShardsCommand, ListStreamsCommand, ListTagsForStreamCommand,
  UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis';
import { all, errorText, send } from '../lib/kinesis.js';

async function describeAll() {
  const names = await all(async (token) => {
    const r = await send(new ListStreamsCommand(token ? { NextToken: token } : {}));
    return [r.StreamNames, r.HasMoreStreams ? r.NextToken : undefined];
  });
  return Promise.all(names.map(async (name) => {
    const [summary, shards, tags] = await Promise.all([
      send(new DescribeStreamSummaryCommand({ StreamName: name })).then((r) => r.StreamDescriptionSummary),
      all(async (token) => {
        const r = await send(new ListShardsCommand(token ? { NextToken: token } : { StreamName: name }));
        return [r.Shards, r.NextToken];
      }).catch(() => []),
      send(new ListTagsForStreamCommand({ StreamName: name })).then((r) => r.Tags).catch(() => []),
    ]);
    const closed = shards.filter((s) => s.SequenceNumberRange?.EndingSequenceNumber).length;
    return { name, summary, closed, tags };
  }));
}

export function StreamsPage() {
  const [streams, setStreams] = useState(null);
  const [error, setError] = useState('');
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState(null);
  const [editing, setEditing] = useState(null);
  const refresh = useCallback(async () => {
    try {
      setStreams(await describeAll());
      setError('');
    } catch (e) {
      setError(errorText(e));
    }
  }, []);
  useEffect(() => {
    refresh();
    const t = setInterval(refresh, 3000);
    return () => clearInterval(t);
  }, [refresh]);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Streams</Title>
        <Button onClick={() => setCreating(true)}>Create stream</Button>
      </Group>
      {error && <Alert color="red" title="Request failed" data-testid="error">{error}</Alert>}
      <Table striped highlightOnHover data-testid="streams-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th><Table.Th>Status</Table.Th><Table.Th>Mode</Table.Th><Table.Th>Open shards</Table.Th>
            <Table.Th>Closed shards</Table.Th><Table.Th>Retention</Table.Th><Table.Th>Encryption</Table.Th>
            <Table.Th>Consumers</Table.Th><Table.Th>Tags</Table.Th><Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(streams || []).map(({ name, summary, closed, tags }) => (
            <Table.Tr key={name} data-testid={`stream-row-${name}`}>
              <Table.Td><Anchor href={`#/streams/${encodeURIComponent(name)}`}>{name}</Anchor></Table.Td>
              <Table.Td><Badge color={summary.StreamStatus === 'ACTIVE' ? 'green' : 'yellow'}>{summary.StreamStatus}</Badge></Table.Td>
              <Table.Td>{summary.StreamModeDetails?.StreamMode}</Table.Td>
              <Table.Td>{summary.OpenShardCount}</Table.Td>
              <Table.Td>{closed}</Table.Td>
              <Table.Td>{summary.RetentionPeriodHours} h</Table.Td>
              <Table.Td>{summary.EncryptionType}</Table.Td>
              <Table.Td>{summary.ConsumerCount}</Table.Td>
              <Table.Td>{tags.map((t) => <Badge key={t.Key} variant="light" mr={4}>{t.Key}={t.Value}</Badge>)}</Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Button size="xs" variant="default" onClick={() => setEditing({ name, summary })}>Change</Button>
                  <Button size="xs" color="red" variant="light" onClick={() => setDeleting(name)}>Delete</Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {streams && streams.length === 0 && <Text c="dimmed">No streams in this account and region yet.</Text>}
      <CreateModal opened={creating} onClose={() => setCreating(false)} onDone={refresh} />
      <DeleteModal name={deleting} onClose={() => setDeleting(null)} onDone={refresh} />
      <ChangeModal target={editing} onClose={() => setEditing(null)} onDone={refresh} />
    </Stack>
  );
}

function useAction(onDone, onClose) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const run = async (fn) => {
    setBusy(true);
    setError('');
    try {
      await fn();
      onClose();
      onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, reset: () => setError('') };
}

function CreateModal({ opened, onClose, onDone }) {
  const [name, setName] = useState('');
  const [shards, setShards] = useState(1);
  const [mode, setMode] = useState('PROVISIONED');
  const a = useAction(onDone, onClose);
  return (
    <Modal opened={opened} onClose={onClose} title="Create stream">
      <Stack>
        <TextInput label="Name" name="streamName" value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <SegmentedControl data={['PROVISIONED', 'ON_DEMAND']} value={mode} onChange={setMode} />
        {mode === 'PROVISIONED' && <NumberInput label="Shards" name="shardCount" min={1} value={shards} onChange={setShards} />}
        {a.error && <Alert color="red">{a.error}</Alert>}
        <Button loading={a.busy} onClick={() => a.run(() => send(new CreateStreamCommand({
          StreamName: name, StreamModeDetails: { StreamMode: mode },
          ...(mode === 'PROVISIONED' ? { ShardCount: Number(shards) } : {}),
        })))}>Create</Button>
      </Stack>
    </Modal>
  );
}

function DeleteModal({ name, onClose, onDone }) {
  const [typed, setTyped] = useState('');
  const a = useAction(onDone, onClose);
  useEffect(() => { setTyped(''); a.reset(); }, [name]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <Modal opened={!!name} onClose={onClose} title={`Delete ${name}?`}>
      <Stack>
        <Text size="sm">Its records and consumers go with it. Type the stream's name to confirm.</Text>
        <TextInput name="confirmName" value={typed} onChange={(e) => setTyped(e.currentTarget.value)} />
        {a.error && <Alert color="red">{a.error}</Alert>}
        <Button color="red" disabled={typed !== name} loading={a.busy}
          onClick={() => a.run(() => send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true })))}>
          Delete stream
        </Button>
      </Stack>
    </Modal>
  );
}

function ChangeModal({ target, onClose, onDone }) {
  const [hours, setHours] = useState(24);
  const [shards, setShards] = useState(1);
  const a = useAction(onDone, onClose);
  useEffect(() => {
    if (!target) return;
    setHours(target.summary.RetentionPeriodHours);
    setShards(target.summary.OpenShardCount);
    a.reset();
  }, [target]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!target) return null;
  const { name, summary } = target;
  const retention = () => {
    const h = Number(hours);
    if (h === summary.RetentionPeriodHours) return Promise.resolve();
    const Cmd = h > summary.RetentionPeriodHours ? IncreaseStreamRetentionPeriodCommand : DecreaseStreamRetentionPeriodCommand;
    return send(new Cmd({ StreamName: name, RetentionPeriodHours: h }));
  };
  return (
    <Modal opened onClose={onClose} title={`Change ${name}`}>
      <Stack>
        <NumberInput label="Retention (hours, 24 to 8760)" name="retentionHours" min={24} max={8760} value={hours} onChange={setHours} />
        <Button loading={a.busy} onClick={() => a.run(retention)}>Set retention</Button>
        <NumberInput label="Open shards (uniform scaling)" name="targetShards" min={1} value={shards} onChange={setShards}
          disabled={summary.StreamModeDetails?.StreamMode === 'ON_DEMAND'} />
        <Button loading={a.busy} disabled={summary.StreamModeDetails?.StreamMode === 'ON_DEMAND'}
          onClick={() => a.run(() => send(new UpdateShardCountCommand({
            StreamName: name, TargetShardCount: Number(shards), ScalingType: 'UNIFORM_SCALING' })))}>
          Set shard count
        </Button>
        {a.error && <Alert color="red">{a.error}</Alert>}
      </Stack>
    </Modal>
  );
}
