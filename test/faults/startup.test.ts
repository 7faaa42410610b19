import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliServer } from './cli-process.js';
import { startCliServer } from './cli-process.js';
import { freePort } from '../support/pg-cluster.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `kpigraph serve` that is expected to give up: its exit status, output and how long it took. */
function failedServe(env: Record<string, string>): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(projectRoot, 'bin/kpigraph.js'), 'serve'], {
    cwd: projectRoot,
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', DEMO_DATA: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(deadline);
      resolve({ code, output, ms: Date.now() - started });
    }),
  );
}

describe('start-up fails fast', () => {
  let blocker: Server | undefined;
  let first: CliServer | undefined;
  let folder: string | undefined;
  afterAll(async () => {
    await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
    await first?.kill();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('exits non-zero at once, naming the port, when the port is taken', async () => {
    const taken = createServer();
    blocker = taken;
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const result = await failedServe({ PORT: String(port), KPIGRAPH_DATA_DIR: 'memory://' });
    expect(result.code, result.output).toBe(1);
    expect(result.output).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
    // Before the database is opened: about the time node and tsx take to load the CLI.
    expect(result.ms).toBeLessThan(8_000);
  }, 30_000);

  it('refuses a second process on the same embedded data folder, naming the folder and the first process', async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'kpigraph-lock-'));
    first = await startCliServer({ KPIGRAPH_DATA_DIR: folder }, 60_000);
    const result = await failedServe({ PORT: String(await freePort()), KPIGRAPH_DATA_DIR: folder });
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain(`The embedded database folder ${folder} is in use by another kpigraph process (pid ${first.child.pid})`);
    expect(first.running).toBe(true);
  }, 90_000);
});
