import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/pg-cluster.js';
import { getStatus, waitFor } from './helpers.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliServer {
  readonly child: ChildProcess;
  readonly port: number;
  readonly baseUrl: string;
  /** Everything the process printed so far, for failure messages. */
  output(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly running: boolean;
  /** SIGKILL if still running; for cleanup. */
  kill(): Promise<void>;
}

const children = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * `node bin/kpigraph.js serve` as a real child process on a port picked
 * here (PORT=0 would not tell us the port), resolved once `/health` answers.
 */
export async function startCliServer(env: Record<string, string>, startTimeoutMs = 30_000, args: readonly string[] = []): Promise<CliServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(projectRoot, 'bin/kpigraph.js'), 'serve', ...args], {
    cwd: projectRoot,
    // The load streams of these tests use one key, far above the per-key rate limit, which they do not test.
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), DEMO_DATA: 'false', RATE_LIMIT_PER_MINUTE: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // A test process that dies without its afterAll must not leave servers behind.
    process.once('exit', () => {
      for (const running of children) running.kill('SIGKILL');
    });
  }
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      children.delete(child);
      resolve({ code, signal });
    });
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const server: CliServer = {
    child,
    port,
    baseUrl,
    output: () => output,
    exited,
    get running() {
      return running;
    },
    async kill() {
      if (!running) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
  try {
    await waitFor(
      'the CLI server to answer /health',
      async () => {
        if (!running) throw new Error(`kpigraph serve exited before serving:\n${output}`);
        return (await getStatus(baseUrl, '/health', 1_000)) === 200;
      },
      startTimeoutMs,
      100,
    );
  } catch (error) {
    await server.kill();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- output ---\n${output}`);
  }
  return server;
}
