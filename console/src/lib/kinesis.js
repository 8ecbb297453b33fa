// One Kinesis client for the page, signed in the browser with the credentials of settings.js and pointed at
// the eddy that served the page: the console uses the same API as any SDK, with no private routes.
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { loadSettings } from './settings.js';

let cached = null;
let cachedFor = '';

export function kinesis() {
  const s = loadSettings();
  const key = JSON.stringify(s);
  if (!cached || cachedFor !== key) {
    cached?.destroy();
    const credentials = { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey };
    if (s.sessionToken) credentials.sessionToken = s.sessionToken;
    cached = new KinesisClient({ endpoint: window.location.origin, region: s.region, credentials, maxAttempts: 2 });
    cachedFor = key;
  }
  return cached;
}

export async function send(command) {
  return kinesis().send(command);
}

// "ResourceNotFoundException: Stream x under account y not found." from an SDK error.
export function errorText(e) {
  if (!e) return '';
  return e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : String(e.message || e);
}

// Every page of a paginated list call: `call(token)` returns [items, nextToken].
export async function all(call) {
  const out = [];
  let token;
  do {
    const [items, next] = await call(token);
    out.push(...items);
    token = next;
  } while (token);
  return out;
}
