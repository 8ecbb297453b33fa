// Starts a real eddy (EDDY_BIN, default build/bin/eddy) on a free port and Debian's chromium headless
// (CHROMIUM, default /usr/bin/chromium) through playwright-core, which downloads no browser of its own.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../../..');
export const eddyBin = process.env.EDDY_BIN || path.join(repo, 'build/bin/eddy');
export const artifacts = path.join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });

// Resolves once eddy prints its address line.
export async function startEddy(args = []) {
  const child = spawn(eddyBin, ['--port', '0', '--in-memory', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const lines = createInterface({ input: child.stdout });
  const endpoint = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`eddy exited with ${code}: ${stderr}`)));
    lines.once('line', (line) => {
      const m = /^eddy listening on (http:\/\/\S+)$/.exec(line);
      if (m) resolve(m[1]);
      else reject(new Error(`unexpected line: ${line}`));
    });
  });
  return {
    endpoint,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null) return { code: child.exitCode };
      const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
      child.kill('SIGTERM');
      return exited;
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // As root (CI) chromium refuses to start with its sandbox on.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

// A page whose console errors and failed requests are collected, so a test can show them when it fails.
export async function openPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  return { page, problems, close: () => context.close() };
}

export function uniqueName(prefix = 'console') {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}
