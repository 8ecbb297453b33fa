// The stream's registered (enhanced fan-out) consumers with their status, and per shard the live
// SubscribeToShard subscriptions with their iterator age, from /metrics.
import React, { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import {
  DeregisterStreamConsumerCommand, ListStreamConsumersCommand, RegisterStreamConsumerCommand,
} from '@aws-sdk/client-kinesis';
import { all, errorText, send } from '../lib/kinesis.js';
import { useStreamRates } from '../lib/metrics.js';

export function Consumers({ arn, scope, shards }) {
  const [consumers, setConsumers] = useState([]);
  const [error, setError] = useState('');
  const [newName, setNewName] = useState('');
  const live = useStreamRates(scope);
  const refresh = useCallback(async () => {
    try {
      setConsumers(await all(async (token) => {
        const r = await send(new ListStreamConsumersCommand(token ? { StreamARN: arn, NextToken: token } : { StreamARN: arn }));
        return [r.Consumers, r.NextToken];
      }));
      setError('');
    } catch (e) {
      setError(errorText(e));
    }
  }, [arn]);
  useEffect(() => {
    refresh();
    const t = setInterval(refresh, 3000);
    return () => clearInterval(t);
  }, [refresh]);
  const act = async (cmd) => {
    try {
      await send(cmd);
      setError('');
      refresh();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const open = shards.filter((s) => !s.SequenceNumberRange?.EndingSequenceNumber);
  return (
    <Stack>
      {error && <Alert color="red">{error}</Alert>}
      <Table data-testid="consumers-table">
        <Table.Thead>
          <Table.Tr><Table.Th>Consumer</Table.Th><Table.Th>Status</Table.Th><Table.Th>Registered</Table.Th><Table.Th>Live subscriptions (shard: iterator age)</Table.Th><Table.Th /></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {consumers.map((c) => {
            const subs = live.consumers.filter((s) => s.consumer === c.ConsumerName);
            return (
              <Table.Tr key={c.ConsumerARN} data-testid={`consumer-row-${c.ConsumerName}`}>
                <Table.Td>{c.ConsumerName}</Table.Td>
                <Table.Td><Badge color={c.ConsumerStatus === 'ACTIVE' ? 'green' : 'yellow'}>{c.ConsumerStatus}</Badge></Table.Td>
                <Table.Td><Text size="xs">{c.ConsumerCreationTimestamp?.toISOString()}</Text></Table.Td>
                <Table.Td>
                  {subs.length === 0 ? <Text size="xs" c="dimmed">none</Text>
                    : subs.map((s) => <Badge key={s.shard} variant="light" mr={4} data-testid="subscription">{s.shard}: {s.ageSeconds.toFixed(1)} s</Badge>)}
                </Table.Td>
                <Table.Td><Button size="xs" color="red" variant="light" onClick={() => act(new DeregisterStreamConsumerCommand({ ConsumerARN: c.ConsumerARN }))}>Deregister</Button></Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {consumers.length === 0 && <Text c="dimmed">No consumers registered.</Text>}
      <Group align="flex-end">
        <TextInput label="New consumer" name="consumerName" value={newName} onChange={(e) => setNewName(e.currentTarget.value)} />
        <Button onClick={() => act(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: newName }))} disabled={!newName}>Register</Button>
      </Group>
      <Text size="sm" fw={600}>Subscribers per open shard</Text>
      <Group gap="xs">
        {open.map((s) => <Badge key={s.ShardId} variant="outline">{s.ShardId}: {live.shards[s.ShardId]?.subscribers ?? 0}</Badge>)}
      </Group>
    </Stack>
  );
}
