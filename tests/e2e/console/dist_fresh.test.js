// console/dist is committed (the broker embeds it and must build without npm), so it must be exactly what
// `npm ci && npm run build` makes from console/'s sources and lockfile: this rebuilds into a temporary folder
// and compares every file. If it fails, run `cd console && npm ci && npm run build` and commit dist/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repo } from './helpers.js';

const consoleDir = path.join(repo, 'console');

function files(dir, prefix = '') {
  return readdirSync(dir).sort().flatMap((f) => {
    const full = path.join(dir, f);
    return statSync(full).isDirectory() ? files(full, `${prefix}${f}/`) : [`${prefix}${f}`];
  });
}

test('the committed console/dist is what a fresh build of console/ makes', { timeout: 600_000 }, () => {
  const lock = path.join(consoleDir, 'package-lock.json');
  const installed = path.join(consoleDir, 'node_modules/.package-lock.json');
  if (!existsSync(installed) || statSync(lock).mtimeMs > statSync(installed).mtimeMs) {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: consoleDir, stdio: 'inherit' });
  }
  const out = mkdtempSync(path.join(os.tmpdir(), 'eddy-console-dist-'));
  try {
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', out, '--emptyOutDir'], { cwd: consoleDir, stdio: 'inherit' });
    const committed = path.join(consoleDir, 'dist');
    assert.deepEqual(files(committed), files(out), 'the same files (Vite names them by content hash)');
    for (const f of files(out)) {
      assert.ok(readFileSync(path.join(committed, f)).equals(readFileSync(path.join(out, f))), `${f} differs`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
