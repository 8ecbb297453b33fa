// The shell: header with the credentials in use, and the page the hash route names.
import React, { useState } from 'react';
import { AppShell, Anchor, Badge, Button, Group, Title } from '@mantine/core';
import { useRoute } from './lib/router.js';
import { loadSettings } from './lib/settings.js';
import { CredentialsModal } from './components/CredentialsModal.jsx';
import { StreamsPage } from './pages/StreamsPage.jsx';
import { StreamPage } from './pages/StreamPage.jsx';

export function App() {
  const route = useRoute();
  const [settings, setSettings] = useState(loadSettings());
  const [editing, setEditing] = useState(false);
  const stream = route[0] === 'streams' && route[1] ? route[1] : null;
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Anchor href="#/streams" underline="never"><Title order={3}>Eddy</Title></Anchor>
            {stream && <Badge variant="light" size="lg">{stream}</Badge>}
          </Group>
          <Group>
            <Badge variant="outline" data-testid="signing-as">{settings.accessKeyId} · {settings.region}</Badge>
            <Button variant="default" size="xs" onClick={() => setEditing(true)}>Credentials</Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        {stream ? <StreamPage key={`${stream}/${settings.accessKeyId}`} name={stream} tab={route[2] || 'overview'} />
          : <StreamsPage key={settings.accessKeyId + settings.region} />}
      </AppShell.Main>
      <CredentialsModal opened={editing} onClose={() => setEditing(false)} onSaved={(s) => { setSettings(s); setEditing(false); }} />
    </AppShell>
  );
}
