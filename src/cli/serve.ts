import { createServer as createNetServer } from 'node:net';
import type { Config } from '../config.js';
import { logLevelOf } from '../config.js';
import type { Database } from '../db/client.js';
import { applyMigrations } from '../db/migrate.js';
import type { KpiRegistry } from '../kpi/registry.js';
import type { Logger } from '../telemetry/logger.js';
import { createLogger } from '../telemetry/logger.js';
import { startTracing, stopTracing } from '../telemetry/tracing.js';
import type { KpigraphServer } from '../server/create-server.js';
import { createServer, graphqlEndpoint } from '../server/create-server.js';
import { createKpiRegistry } from '../kpi/kpi-plugins.js';
import { createApiKey } from '../auth/api-keys.js';
import { seedDatabase } from './db-commands.js';
import { describeDatabase, openConfiguredDatabase } from './open-database.js';
import { isServeWorker, parseServeArgs, serveWorkers } from './serve-cluster.js';
import { exitCodes } from './usage-error.js';

const demoKeyName = 'demo (npm start)';

const tryThis = `{
  deals(first: 3, filter: { stage: [WON] }, orderBy: { field: CLOSED_AT, direction: DESC }) {
    edges { node { title amount closedAt customer { name region } } }
  }
}`;

/**
 * `npm start`: migrate, load demo data into an empty database, serve, and
 * drain in-flight requests on SIGTERM/SIGINT before exiting. With
 * `--workers N` a primary prepares the database and N worker processes
 * serve one port. Everything it says is a log line (JSON, or readable on a
 * terminal); the demo key and a first query are shown only on a terminal,
 * never written to a log.
 */
export async function serveCommand(config: Config, args: readonly string[] = []): Promise<number> {
  const { workers } = parseServeArgs(args);
  if (isServeWorker()) return serveProcess(config, { worker: true });
  if (workers === 1) return serveProcess(config, { worker: false });
  if (!config.DATABASE_URL) {
    return failStart('--workers needs DATABASE_URL (PostgreSQL): the embedded database belongs to one process');
  }
  const logger = createLogger({ level: logLevelOf(config) });
  return serveWorkers(workers, async () => {
    const portProblem = await probePort(config.PORT, config.HOST);
    if (portProblem) return failStart(portProblem);
    const registry = await createKpiRegistry(config.KPI_PLUGINS);
    const db = await openConfiguredDatabase(config);
    try {
      await prepareDatabase(db, config, registry, logger);
    } finally {
      await db.close();
    }
    return null;
  });
}

/**
 * The migration engine holds a session advisory lock while it works; through
 * the server's pool it may take and release it on different connections, and
 * a pooled connection kept busy would hold it for good, so that the next
 * process to start on the database times out waiting. On PostgreSQL it runs
 * on a handle of one connection, closed when done.
 */
async function migrate(db: Database, config: Config): Promise<string[]> {
  if (!config.DATABASE_URL) return applyMigrations(db.adapterFactory);
  const own = await openConfiguredDatabase({ ...config, DB_POOL_SIZE: 1 });
  try {
    return await applyMigrations(own.adapterFactory);
  } finally {
    await own.close();
  }
}

/** Migrations and, for an empty database, demo data; returns the workspace to serve by default. */
async function prepareDatabase(db: Database, config: Config, registry: KpiRegistry, logger: Logger): Promise<number> {
  const applied = await migrate(db, config);
  if (applied.length > 0) logger.info({ migrations: applied }, `Applied ${applied.length} migration(s).`);
  const workspaces = await db.prisma.workspace.count();
  if (workspaces === 0 && config.DEMO_DATA) {
    logger.info(`Empty database: loading demo data (${config.DEMO_DEALS.toLocaleString('en')} deals)…`);
    return seedDatabase(db, config.DEMO_DEALS, registry);
  }
  return config.DEFAULT_WORKSPACE_ID;
}

async function serveProcess(config: Config, { worker }: { worker: boolean }): Promise<number> {
  // A taken port is found before the database is opened and migrated, not after.
  const portProblem = worker ? null : await probePort(config.PORT, config.HOST);
  if (portProblem) return failStart(portProblem);
  const logger = createLogger({ level: logLevelOf(config) });
  const onTerminal = process.stdout.isTTY === true;
  // Started first, so that the spans of everything after belong to it.
  const tracing = await startTracing();
  if (tracing) logger.info({ endpoint: process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] ?? process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] ?? 'default' }, 'Tracing: OpenTelemetry traces are exported over OTLP/HTTP.');
  // Invalid plugins stop the boot before anything else happens.
  const registry = await createKpiRegistry(config.KPI_PLUGINS);
  if (!worker) logger.info({ plugins: registry.list().length, fromKpiPlugins: config.KPI_PLUGINS.length }, `KPI plugins: ${registry.list().length} (${config.KPI_PLUGINS.length} from KPI_PLUGINS)`);
  const db = await openConfiguredDatabase(config);
  if (!worker) logger.info(`Database: ${describeDatabase(config)}`);
  const workspaceId = worker ? config.DEFAULT_WORKSPACE_ID : await prepareDatabase(db, config, registry, logger);
  // The embedded demo in development gets a fresh admin key at each start
  // (keys are stored hashed, so an old one cannot be shown again); GraphiQL
  // sends it to this machine's browser. Production never mints one.
  let demoKey: string | undefined;
  const demo = !worker && !config.DATABASE_URL && config.DEMO_DATA && config.NODE_ENV === 'development';
  if (demo && (await db.prisma.workspace.findUnique({ where: { id: workspaceId } }))) {
    await db.prisma.apiKey.updateMany({ where: { workspaceId, name: demoKeyName, revokedAt: null }, data: { revokedAt: new Date() } });
    demoKey = (await createApiKey(db.prisma, { workspaceId, name: demoKeyName, role: 'ADMIN' })).key;
  }
  const server = createServer({ db, registry, logger, tracing, config: { ...config, DEFAULT_WORKSPACE_ID: workspaceId }, ...(demoKey ? { graphiqlKey: demoKey } : {}) });
  let port: number;
  try {
    port = await server.listen(config.PORT);
  } catch (error) {
    await server.close().catch(() => undefined);
    return failStart(listenProblem(error, config.PORT, config.HOST));
  }
  const url = `http://localhost:${port}${graphqlEndpoint}`;
  if (worker) {
    logger.info({ url, pid: process.pid }, `kpigraph worker ${process.pid} is serving GraphQL at ${url}`);
    // A primary that died cannot replace its workers or pass signals on: stop with it.
    process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
    return drainOnSignal(server, config, logger);
  }
  const metricsPort = server.metricsPort();
  logger.info(
    { url, health: `http://localhost:${port}/health`, ready: `http://localhost:${port}/ready`, ...(metricsPort === undefined ? {} : { metrics: `http://localhost:${metricsPort}/metrics` }) },
    `kpigraph is serving GraphQL at ${url}  (GraphiQL: open it in a browser)`,
  );
  if (onTerminal) {
    process.stdout.write(`\nA first query to try:\n${tryThis}\n\n`);
    if (demoKey) {
      process.stdout.write(`Demo API key (admin; GraphiQL sends it to browsers on this machine): ${demoKey}\n`);
      process.stdout.write(`curl -s ${url} -H 'content-type: application/json' -H 'authorization: Bearer ${demoKey}' -d '{"query":"{ teams { name } }"}'\n\n`);
    }
  }
  if (demoKey && !onTerminal) logger.info(`A demo API key was made for GraphiQL (shown only on a terminal); make your own with: kpigraph keys create --workspace ${workspaceId} --role viewer`);
  if (!demoKey) logger.info('Requests need an API key: kpigraph keys create --workspace <id> --role viewer');
  return drainOnSignal(server, config, logger);
}

/** Resolves with the exit status once SIGTERM/SIGINT has drained the server's requests. */
function drainOnSignal(server: KpigraphServer, config: Config, logger: Logger): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, `${signal}: finishing in-flight requests, then stopping.`);
      const finish = (code: number) => {
        // Spans still buffered are sent before the process goes.
        void stopTracing().finally(() => logger.flush());
        resolve(code);
        // Returning only sets the exit status; the process ends when nothing is left scheduled.
        // Open connections after the grace period, or a library's leftover timer (the schema
        // engine's WebAssembly keeps one for 10 s after migrating), must not keep it running.
        setTimeout(() => process.exit(code), 100).unref();
      };
      const force = setTimeout(() => {
        logger.error('Shutdown grace period over; exiting.');
        finish(exitCodes.failure);
      }, config.SHUTDOWN_GRACE_MS);
      force.unref();
      server.close().then(
        () => {
          clearTimeout(force);
          logger.info('Stopped: every in-flight request finished.');
          finish(exitCodes.ok);
        },
        (error: unknown) => {
          clearTimeout(force);
          logger.error({ err: error }, 'Stopping failed.');
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
