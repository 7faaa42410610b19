import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/**
 * A throwaway PostgreSQL cluster of a test's own, in a temporary folder, so
 * that a fault test may stop and start "the database" without touching the
 * shared server that other tests use.
 */
export interface PgCluster {
  readonly port: number;
  readonly dataDir: string;
  /** A URL of database `name` (default `postgres`) over TCP. */
  url(name?: string): string;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** `pg_ctl stop`: `immediate` is a crash (no checkpoint, connections cut), `fast` a clean stop. */
  stop(mode?: 'immediate' | 'fast'): Promise<void>;
  /** Starts the stopped cluster again on the same port. */
  start(): Promise<void>;
  readonly running: boolean;
  /** Stops the cluster if it runs and deletes its folder; safe to call twice. */
  destroy(): Promise<void>;
  /** The server log, for failure messages. */
  log(): Promise<string>;
}

/** Where Debian keeps initdb and pg_ctl: version 15 if present, else the newest installed. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(`${root}/15/bin/initdb`)) return `${root}/15/bin`;
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => existsSync(`${root}/${name}/bin/initdb`))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? `${root}/${versions[0]}/bin` : undefined;
}

/** Why own-cluster tests cannot run here, or undefined when they can. */
export function clusterUnavailableReason(): string | undefined {
  if (!postgresBinDir()) return 'initdb/pg_ctl not found under /usr/lib/postgresql/*/bin';
  if (process.getuid?.() === 0 && postgresUser() === undefined) return 'running as root and there is no "postgres" user to run initdb as';
  return undefined;
}

function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/** A TCP port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

// Clusters left running when a test process dies without its afterAll.
const live = new Set<{ pgCtl: string[]; dataDir: string }>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const cluster of live) {
      try {
        execFileSync(cluster.pgCtl[0]!, [...cluster.pgCtl.slice(1), '-D', cluster.dataDir, 'stop', '-m', 'immediate', '-w'], { stdio: 'ignore', timeout: 10_000 });
      } catch {
        // Already stopped: nothing to clean.
      }
    }
  });
}

/**
 * initdb + pg_ctl start of a new cluster (trust auth, user `postgres`,
 * durability off: a test cluster needs speed, not crash safety of its data).
 * As root, the binaries run as the `postgres` user, since they refuse root.
 */
export async function startPgCluster(): Promise<PgCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(clusterUnavailableReason());
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? postgresUser() : undefined;
  if (asRoot && !owner) throw new Error(clusterUnavailableReason());
  const command = (tool: string): string[] => (asRoot ? ['runuser', '-u', 'postgres', '--', `${bin}/${tool}`] : [`${bin}/${tool}`]);
  const exec = async (tool: string, args: string[], timeoutMs: number): Promise<void> => {
    const [file, ...prefix] = command(tool);
    await run(file!, [...prefix, ...args], { timeout: timeoutMs });
  };

  const base = await mkdtemp(path.join(tmpdir(), 'kpigraph-pg-'));
  const dataDir = path.join(base, 'data');
  const logFile = path.join(base, 'server.log');
  if (owner) await chown(base, owner.uid, owner.gid);
  const entry = { pgCtl: command('pg_ctl'), dataDir };
  let running = false;
  let destroyed = false;
  let port = 0;

  const startServer = async (): Promise<void> => {
    // Listen on TCP only at 127.0.0.1; the socket goes to our folder, not /var/run.
    const options = `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    await exec('pg_ctl', ['-D', dataDir, '-o', options, '-l', logFile, 'start', '-w', '-t', '30'], 40_000);
    running = true;
  };

  try {
    await exec('initdb', ['-D', dataDir, '--auth=trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'], 60_000);
    // The port may be taken between probe and start: try a few.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await startServer();
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
    live.add(entry);
    installExitHook();
  } catch (error) {
    const log = await readFile(logFile, 'utf8').catch(() => '');
    await rm(base, { recursive: true, force: true });
    throw new Error(`Could not start a PostgreSQL test cluster: ${String(error)}\n${log}`);
  }

  const url = (name = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${name}`;
  return {
    port,
    dataDir,
    url,
    get running() {
      return running;
    },
    async createDatabase(name) {
      const admin = new pg.Client({ connectionString: url() });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    async stop(mode = 'immediate') {
      await exec('pg_ctl', ['-D', dataDir, 'stop', '-m', mode, '-w', '-t', '30'], 40_000);
      running = false;
    },
    async start() {
      await startServer();
    },
    log: () => readFile(logFile, 'utf8').catch(() => ''),
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      if (running) {
        try {
          await exec('pg_ctl', ['-D', dataDir, 'stop', '-m', 'immediate', '-w', '-t', '30'], 40_000);
          running = false;
        } catch {
          // Keep the folder and the exit hook's entry, so it can try again.
          return;
        }
      }
      live.delete(entry);
      await rm(base, { recursive: true, force: true });
    },
  };
}
