import { execFile, execFileSync } from 'node:child_process';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PgCluster } from './pg-cluster.js';
import { freePort, postgresBinDir } from './pg-cluster.js';

const run = promisify(execFile);

export interface PgStandby {
  readonly port: number;
  url(name?: string): string;
  /** `pg_ctl stop -m immediate`: the replica vanishes mid-statement. */
  stop(): Promise<void>;
  destroy(): Promise<void>;
  log(): Promise<string>;
}

/**
 * A streaming replica of `primary`: `pg_basebackup -R` into a temporary
 * folder, started with pg_ctl on a port of its own. Run as the postgres user
 * when the tests run as root, as the binaries refuse root.
 */
export async function startStandby(primary: PgCluster): Promise<PgStandby> {
  const bin = postgresBinDir()!;
  const asRoot = process.getuid?.() === 0;
  const command = (tool: string): string[] => (asRoot ? ['runuser', '-u', 'postgres', '--', `${bin}/${tool}`] : [`${bin}/${tool}`]);
  const exec = async (tool: string, args: string[], timeoutMs: number): Promise<void> => {
    const [file, ...prefix] = command(tool);
    await run(file!, [...prefix, ...args], { timeout: timeoutMs });
  };
  const base = await mkdtemp(path.join(tmpdir(), 'kpigraph-standby-'));
  const dataDir = path.join(base, 'data');
  const logFile = path.join(base, 'server.log');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    await chown(base, uid, gid);
  }
  await exec('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', dataDir, '-R', '-X', 'stream', '--no-sync'], 120_000);
  const port = await freePort();
  const options = `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c fsync=off -c hot_standby=on -c max_connections=200`;
  // A hot standby needs max_connections at least the primary's (startPgCluster sets 200).
  try {
    await exec('pg_ctl', ['-D', dataDir, '-o', options, '-l', logFile, 'start', '-w', '-t', '60'], 70_000);
  } catch (error) {
    const log = await readFile(logFile, 'utf8').catch(() => '');
    await rm(base, { recursive: true, force: true });
    throw new Error(`Could not start the standby: ${String(error)}\n${log}`);
  }
  let running = true;
  const stop = async (): Promise<void> => {
    if (!running) return;
    await exec('pg_ctl', ['-D', dataDir, 'stop', '-m', 'immediate', '-w', '-t', '30'], 40_000);
    running = false;
  };
  process.once('exit', () => {
    if (!running) return;
    try {
      const [file, ...prefix] = command('pg_ctl');
      execFileSync(file!, [...prefix, '-D', dataDir, 'stop', '-m', 'immediate', '-w'], { stdio: 'ignore', timeout: 10_000 });
    } catch {
      // Already stopped.
    }
  });
  return {
    port,
    url: (name = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${name}`,
    stop,
    async destroy() {
      await stop().catch(() => undefined);
      await rm(base, { recursive: true, force: true });
    },
    log: () => readFile(logFile, 'utf8').catch(() => ''),
  };
}
