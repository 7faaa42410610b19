import { createServer as createHttpServer } from 'node:http';
import type { Server } from 'node:http';
import { createYoga, useReadinessCheck } from 'graphql-yoga';
import type { CORSOptions, YogaServerInstance } from 'graphql-yoga';
import type { Config } from '../config.js';
import { logLevelOf } from '../config.js';
import type { Database } from '../db/client.js';
import type { GraphQLContext } from '../graphql/context.js';
import { schema } from '../graphql/schema.js';
import type { KpiRegistry } from '../kpi/registry.js';
import { KpiResultCache } from '../kpi/cache/result-cache.js';
import { ReplicaSet } from '../db/replicas.js';
import { Authenticator } from '../auth/authenticator.js';
import type { Logger } from '../telemetry/logger.js';
import { createLogger, yogaLogging } from '../telemetry/logger.js';
import type { Tracing } from '../telemetry/tracing.js';
import { isLoopback, socketAddress } from './client-address.js';
import { graphiqlOptions, renderOfflineGraphiQL } from './graphiql.js';
import type { GoalEventsOptions, GoalEventsRuntime } from './goal-events.js';
import { createGoalEvents } from './goal-events.js';
import { useResponseCache } from './execution/use-response-cache.js';
import type { ResponseCache } from './execution/use-response-cache.js';
import { kpiRootFields } from './execution/root-fields.js';
import type { CompiledQueries } from './execution/use-compiled-queries.js';
import { useCompiledQueries } from './execution/use-compiled-queries.js';
import { createKpiRegistry } from '../kpi/kpi-plugins.js';
import { createLimits, csrfHeaders } from './limits/index.js';
import { maskedErrors } from './mask-errors.js';
import type { MetricsListener } from './observability/metrics-endpoint.js';
import { startMetricsListener } from './observability/metrics-endpoint.js';
import { createObservability } from './observability/index.js';
import { readTrustedManifest, useTrustedDocuments } from './trusted-documents.js';
import { createContextFactory } from './workspace-context.js';

export const graphqlEndpoint = '/graphql';

/**
 * CORS from the CORS_ORIGINS allowlist: an allowed origin gets itself (or
 * `*`) back, never with credentials; any other gets no CORS headers at all.
 */
function corsFor(allowed: readonly string[]): (request: Request) => CORSOptions {
  const any = allowed.includes('*');
  return (request) => {
    const origin = request.headers.get('origin');
    if (!origin || !(any || allowed.includes(origin))) return false;
    return {
      origin: any ? '*' : origin,
      credentials: false,
      methods: ['GET', 'POST'],
      allowedHeaders: ['authorization', 'content-type', ...csrfHeaders.filter((header) => header !== 'authorization')],
      exposedHeaders: ['retry-after'],
      maxAge: 600,
    };
  };
}

export interface KpigraphServer {
  yoga: YogaServerInstance<Record<string, never>, GraphQLContext>;
  /** Goal event detection and webhook delivery of this process. */
  events: GoalEventsRuntime;
  /** Starts listening (and on METRICS_PORT, when set); resolves with the bound port. */
  listen(port: number, host?: string): Promise<number>;
  /** The port /metrics listens on by itself, once listening with METRICS_PORT set. */
  metricsPort(): number | undefined;
  /** Where the server's lines go. */
  readonly logger: Logger;
  /** Stops accepting, lets in-flight requests finish, closes the database. */
  close(): Promise<void>;
  /** The KPI result cache (KPI_CACHE), with its hit counters. */
  resultCache: KpiResultCache | undefined;
  /** Whole answers to KPI queries by data version (KPI_CACHE and RESPONSE_CACHE_MB). */
  responseCache: ResponseCache | undefined;
  /** KPI queries run compiled by graphql-jit (GRAPHQL_JIT), with counts. */
  compiledQueries: CompiledQueries | undefined;
  /** The KPI read replicas (DATABASE_REPLICA_URLS), with where batches went. */
  replicas: ReplicaSet | undefined;
}

export interface CreateServerOptions {
  db: Database;
  config: Config;
  /** The KPI plugins; by default the built-ins plus KPI_PLUGINS, loaded on first use. */
  registry?: KpiRegistry;
  /**
   * An API key GraphiQL sends by default (the embedded demo's), so a newcomer
   * is not locked out; embedded only in pages served to the loopback address.
   */
  graphiqlKey?: string;
  /** Where request lines and errors go; by default pino on stdout at LOG_LEVEL. */
  logger?: Logger;
  /** Traces, when started (startTracing): spans for requests, KPI batches and statements. */
  tracing?: Tracing | undefined;
  /** Clock and jitter of goal events and webhooks (tests). */
  goalEvents?: GoalEventsOptions;
}

export function createServer({ db, config, registry, graphiqlKey, tracing, goalEvents, ...rest }: CreateServerOptions): KpigraphServer {
  const logger = rest.logger ?? createLogger({ level: logLevelOf(config) });
  let registryPromise: Promise<KpiRegistry> | undefined;
  let loadedRegistry: KpiRegistry | undefined = registry;
  const getRegistry = () =>
    (registryPromise ??= (registry ? Promise.resolve(registry) : createKpiRegistry(config.KPI_PLUGINS)).then((loaded) => (loadedRegistry = loaded)));
  const observability = createObservability({
    db,
    config,
    logger,
    tracing,
    graphqlEndpoint,
    knownKpi: (key) => loadedRegistry?.get(key) !== undefined,
  });
  const authenticator = new Authenticator(db.prisma);
  const resultCache = config.KPI_CACHE
    ? new KpiResultCache({
        maxEntries: config.KPI_CACHE_MAX_ENTRIES,
        redisTtlSeconds: config.KPI_CACHE_TTL_SECONDS,
        ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}),
        onRedisError: (error) => logger.warn({ err: error }, 'KPI cache: Redis unavailable, using memory only'),
      })
    : undefined;
  const replicas =
    config.DATABASE_REPLICA_URLS.length > 0
      ? new ReplicaSet({
          urls: config.DATABASE_REPLICA_URLS,
          poolSize: config.DB_POOL_SIZE,
          connectTimeoutMs: Math.min(config.DB_CONNECT_TIMEOUT_MS, 2_000),
          statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
          retryAfterMs: config.REPLICA_RETRY_MS,
        })
      : undefined;
  const responseCache = config.KPI_CACHE && config.RESPONSE_CACHE_MB > 0 ? useResponseCache({ maxBytes: config.RESPONSE_CACHE_MB * 1024 * 1024 }) : undefined;
  const compiledQueries = config.GRAPHQL_JIT
    ? useCompiledQueries({ rootFields: kpiRootFields, onCompileError: (errors) => logger.error({ errors: errors.map(String) }, 'graphql-jit could not compile a query') })
    : undefined;
  const context = createContextFactory(db, config, getRegistry, authenticator, { resultCache, replicas, kpiObserver: observability.kpiObserver });
  const limits = createLimits(config, {
    graphqlEndpoint,
    kpiCount: async () => (await getRegistry()).list().length,
    isKnownPrefix: (prefix) => authenticator.isKnownPrefix(prefix),
    onRedisError: (error) => logger.warn({ err: error }, 'rate limiter: Redis unavailable, letting requests through'),
  });
  const events = createGoalEvents(db, config, getRegistry, goalEvents);
  const yoga = createYoga<Record<string, never>, GraphQLContext>({
    schema,
    graphqlEndpoint,
    context,
    logging: yogaLogging(logger),
    maskedErrors: maskedErrors(config.NODE_ENV === 'development' && process.env['KPIGRAPH_UNMASK_ERRORS'] === 'true'),
    graphiql:
      config.NODE_ENV === 'production'
        ? false
        : // Anyone who can reach the port may load this page: only this machine's own browser gets the key.
          (_request, serverContext) => graphiqlOptions(graphiqlKey && isLoopback(socketAddress(serverContext)) ? graphiqlKey : undefined),
    renderGraphiQL: renderOfflineGraphiQL,
    landingPage: false,
    cors: corsFor(config.CORS_ORIGINS),
    healthCheckEndpoint: '/health',
    batching: false,
    maxRequestBodySize: config.MAX_REQUEST_BYTES,
    plugins: [
      ...observability.plugins,
      useReadinessCheck({ endpoint: '/ready', check: () => db.isReady() }),
      ...(config.PERSISTED_OPERATIONS === 'only' ? useTrustedDocuments(readTrustedManifest(config.PERSISTED_OPERATIONS_MANIFEST)) : []),
      ...limits.plugins,
      events.plugin,
      ...(responseCache ? [responseCache.plugin] : []),
      ...(compiledQueries ? [compiledQueries.plugin] : []),
    ],
  });
  let http: Server | undefined;
  let metricsListener: MetricsListener | undefined;
  events.start();
  return {
    yoga,
    resultCache,
    responseCache,
    compiledQueries,
    replicas,
    events,
    logger,
    async listen(port, host = config.HOST) {
      if (config.METRICS_PORT !== undefined) metricsListener = await startMetricsListener(config.METRICS_PORT, host, config.METRICS_TOKEN);
      http = createHttpServer(yoga);
      const server = http;
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      });
    },
    metricsPort: () => metricsListener?.port,
    async close() {
      // Subscriptions end first: their streams would hold the HTTP server open.
      await events.close();
      if (http) {
        const server = http;
        await new Promise<void>((resolve) => {
          // A connection busy now turns keep-alive idle when its response ends and would hold
          // close() open for keepAliveTimeout (seconds): close each as soon as it is idle.
          const sweep = setInterval(() => server.closeIdleConnections(), 50);
          sweep.unref();
          server.close(() => {
            clearInterval(sweep);
            resolve();
          });
          server.closeIdleConnections();
        });
      }
      await metricsListener?.close();
      observability.close();
      await limits.close();
      await resultCache?.close();
      responseCache?.clear();
      await replicas?.close();
      await db.close();
    },
  };
}
