// The signing credentials: kept in sessionStorage (lib/settings.js), used by every call the page makes.
import React, { useEffect, useState } from 'react';
import { Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { loadSettings, saveSettings } from '../lib/settings.js';

export function CredentialsModal({ opened, onClose, onSaved }) {
  const [s, setS] = useState(loadSettings());
  useEffect(() => { if (opened) setS(loadSettings()); }, [opened]);
  const field = (k) => ({ value: s[k], onChange: (e) => setS({ ...s, [k]: e.currentTarget.value }) });
  return (
    <Modal opened={opened} onClose={onClose} title="Credentials">
      <Stack>
        <Text size="sm" c="dimmed">
          Requests are signed with SigV4 in this browser. Under eddy's default (--auth=none) any key works; with
          --auth=sigv4 use a key of its credentials file. Kept for this tab only (sessionStorage).
        </Text>
        <TextInput label="Access key ID" name="accessKeyId" {...field('accessKeyId')} />
        <PasswordInput label="Secret access key" name="secretAccessKey" {...field('secretAccessKey')} />
        <TextInput label="Session token (optional)" name="sessionToken" {...field('sessionToken')} />
        <TextInput label="Region" name="region" {...field('region')} />
        <Group justify="flex-end">
          <Button onClick={() => { saveSettings(s); onSaved(s); }}>Save</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
