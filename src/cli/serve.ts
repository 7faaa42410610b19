import { createServer as createNetServer } from 'node:net';
import type { Config } from '../config.js';
import { applyMigrations } from '../db/migrate.js';
import type { Database } from '../db/client.js';
import type { KpigraphServer } from '../server/create-server.js';
import { createServer, graphqlEndpoint } from '../server/create-server.js';
import { isServeWorker, parseServeArgs, serveWorkers } from './serve-cluster.js';
import { createKpiRegistry } from '../server/kpi-plugins.js';
import { createApiKey } from '../auth/api-keys.js';
import { seedDatabase } from './db-commands.js';
import { describeDatabase, openConfiguredDatabase } from './open-database.js';
import { exitCodes } from './usage-error.js';

const demoKeyName = 'demo (npm start)';

const tryThis = `{
  deals(first: 3, filter: { stage: [WON] }, orderBy: { field: CLOSED_AT, direction: DESC }) {
    edges { node { title amount closedAt customer { name region } } }
  }
}`;

/**
 * `npm start`: migrate, load demo data into an empty database, serve, and
 * drain in-flight requests on SIGTERM/SIGINT before exiting.
 */
export async function serveCommand(config: Config, args: readonly string[] = []): Promise<number> {
  const { workers } = parseServeArgs(args);
  if (isServeWorker()) return serveProcess(config, { worker: true });
  if (workers === 1) return serveProcess(config, { worker: false });
  if (!config.DATABASE_URL) {
    return failStart('--workers needs DATABASE_URL (PostgreSQL): the embedded database belongs to one process');
  }
  return serveWorkers(workers, async () => {
    const portProblem = await probePort(config.PORT, config.HOST);
    if (portProblem) return failStart(portProblem);
    await createKpiRegistry(config.KPI_PLUGINS);
    const db = await openConfiguredDatabase(config);
    try {
      await prepareDatabase(db, config);
    } finally {
      await db.close();
    }
    return null;
  });
}

/** Migrations and, for an empty database, demo data; returns the workspace to serve by default. */
async function prepareDatabase(db: Database, config: Config): Promise<number> {
  const applied = await applyMigrations(db.adapterFactory);
  if (applied.length > 0) console.log(`Applied ${applied.length} migration(s).`);
  const workspaces = await db.prisma.workspace.count();
  if (workspaces === 0 && config.DEMO_DATA) {
    console.log(`Empty database: loading demo data (${config.DEMO_DEALS.toLocaleString('en')} deals)…`);
    return seedDatabase(db, config.DEMO_DEALS);
  }
  return config.DEFAULT_WORKSPACE_ID;
}

/** One server process; a worker leaves the port check, migrations and demo data to its primary. */
async function serveProcess(config: Config, { worker }: { worker: boolean }): Promise<number> {
  // A taken port is found before the database is opened and migrated, not after.
  const portProblem = worker ? null : await probePort(config.PORT, config.HOST);
  if (portProblem) return failStart(portProblem);
  // Invalid plugins stop the boot before anything else happens.
  const registry = await createKpiRegistry(config.KPI_PLUGINS);
  if (!worker) console.log(`KPI plugins: ${registry.list().length} (${config.KPI_PLUGINS.length} from KPI_PLUGINS)`);
  const db = await openConfiguredDatabase(config);
  if (!worker) console.log(`Database: ${describeDatabase(config)}`);
  const workspaceId = worker ? config.DEFAULT_WORKSPACE_ID : await prepareDatabase(db, config);
  // The embedded demo in development gets a fresh admin key at each start
  // (keys are stored hashed, so an old one cannot be shown again); GraphiQL
  // sends it to this machine's browser. Production never mints one.
  let demoKey: string | undefined;
  const demo = !worker && !config.DATABASE_URL && config.DEMO_DATA && config.NODE_ENV === 'development';
  if (demo && (await db.prisma.workspace.findUnique({ where: { id: workspaceId } }))) {
    await db.prisma.apiKey.updateMany({ where: { workspaceId, name: demoKeyName, revokedAt: null }, data: { revokedAt: new Date() } });
    demoKey = (await createApiKey(db.prisma, { workspaceId, name: demoKeyName, role: 'ADMIN' })).key;
  }
  const server = createServer({ db, registry, config: { ...config, DEFAULT_WORKSPACE_ID: workspaceId }, ...(demoKey ? { graphiqlKey: demoKey } : {}) });
  let port: number;
  try {
    port = await server.listen(config.PORT);
  } catch (error) {
    await server.close().catch(() => undefined);
    return failStart(listenProblem(error, config.PORT, config.HOST));
  }
  const url = `http://localhost:${port}${graphqlEndpoint}`;
  if (worker) {
    console.log(`kpigraph worker ${process.pid} is serving GraphQL at ${url}`);
    // A primary that died cannot replace its workers or pass signals on: stop with it.
    process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
    return drainOnSignal(server, config);
  }
  console.log(`\nkpigraph is serving GraphQL at ${url}  (GraphiQL: open it in a browser)`);
  console.log(`Health: http://localhost:${port}/health   Readiness: http://localhost:${port}/ready`);
  console.log(`\nA first query to try:\n${tryThis}\n`);
  if (demoKey) {
    console.log(`Demo API key (admin; GraphiQL sends it to browsers on this machine): ${demoKey}`);
    console.log(`curl -s ${url} -H 'content-type: application/json' -H 'authorization: Bearer ${demoKey}' -d '{"query":"{ teams { name } }"}'\n`);
  } else {
    console.log('Requests need an API key: kpigraph keys create --workspace <id> --role viewer\n');
  }
  return drainOnSignal(server, config);
}

/** Resolves with the exit status once SIGTERM/SIGINT has drained the server's requests. */
function drainOnSignal(server: KpigraphServer, config: Config): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`${signal}: finishing in-flight requests, then stopping.`);
      const finish = (code: number) => {
        resolve(code);
        // Returning only sets the exit status; the process ends when nothing is left scheduled.
        // Open connections after the grace period, or a library's leftover timer (the schema
        // engine's WebAssembly keeps one for 10 s after migrating), must not keep it running.
        setTimeout(() => process.exit(code), 100).unref();
      };
      const force = setTimeout(() => {
        console.error('Shutdown grace period over; exiting.');
        finish(exitCodes.failure);
      }, config.SHUTDOWN_GRACE_MS);
      force.unref();
      server.close().then(
        () => {
          clearTimeout(force);
          console.log('Stopped: every in-flight request finished.');
          finish(exitCodes.ok);
        },
        (error: unknown) => {
          clearTimeout(force);
          console.error(`Stopping failed: ${error instanceof Error ? error.message : String(error)}`);
          finish(exitCodes.failure);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

function listenProblem(error: unknown, port: number, host: string): string {
  return (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
    ? `port ${port} on ${host} is already in use (another kpigraph?); stop it or set PORT to a free one`
    : `cannot listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`;
}

/** Listens on the port for an instant; the problem, or null when it is free. */
function probePort(port: number, host: string): Promise<string | null> {
  return new Promise((resolve) => {
    const probe = createNetServer();
    probe.once('error', (error) => resolve(listenProblem(error, port, host)));
    probe.listen(port, host, () => probe.close(() => resolve(null)));
  });
}

function failStart(problem: string): number {
  console.error(`kpigraph serve: ${problem}.`);
  // A library's leftover timer (the schema engine keeps one after migrating) must not keep a failed start alive.
  setTimeout(() => process.exit(exitCodes.failure), 100).unref();
  return exitCodes.failure;
}
