// Credentials and region for signing, kept in sessionStorage: they last as long as the tab and never reach
// a cookie or localStorage. The defaults suit eddy's default --auth=none, which checks only that requests
// carry a signature; with --auth=sigv4 enter a key of the credentials file.
const KEY = 'eddy-console-settings';

export const DEFAULTS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'console', sessionToken: '', region: 'us-east-1' };

export function loadSettings() {
  try {
    return { ...DEFAULTS, ...JSON.parse(sessionStorage.getItem(KEY) || '{}') };
  } catch {
    return { ...DEFAULTS };
  }
}

export function saveSettings(s) {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}
