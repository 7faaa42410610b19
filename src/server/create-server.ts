import { createServer as createHttpServer } from 'node:http';
import type { Server } from 'node:http';
import { createYoga, useReadinessCheck } from 'graphql-yoga';
import type { CORSOptions, YogaServerInstance } from 'graphql-yoga';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { GraphQLContext } from '../graphql/context.js';
import { schema } from '../graphql/schema.js';
import type { KpiRegistry } from '../kpi/registry.js';
import { KpiResultCache } from '../kpi/cache/result-cache.js';
import { ReplicaSet } from '../db/replicas.js';
import { Authenticator } from '../auth/authenticator.js';
import { isLoopback, socketAddress } from './client-address.js';
import { createKpiRegistry } from './kpi-plugins.js';
import { createLimits, csrfHeaders } from './limits/index.js';
import { maskedErrors } from './mask-errors.js';
import { createContextFactory } from './workspace-context.js';

export const graphqlEndpoint = '/graphql';

const firstQuery = `# Welcome to kpigraph. Try this, then open the Docs panel.
query FirstLook {
  deals(first: 5, filter: { stage: [WON] }, orderBy: { field: CLOSED_AT, direction: DESC }) {
    edges {
      node { title amount closedAt customer { name region } owner { name team { name } } }
    }
  }
}
`;

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
  /** Starts listening; resolves with the bound port. */
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting, lets in-flight requests finish, closes the database. */
  close(): Promise<void>;
  /** The KPI result cache (KPI_CACHE), with its hit counters. */
  resultCache: KpiResultCache | undefined;
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
}

export function createServer({ db, config, registry, graphiqlKey }: CreateServerOptions): KpigraphServer {
  let registryPromise: Promise<KpiRegistry> | undefined;
  const getRegistry = () => (registryPromise ??= registry ? Promise.resolve(registry) : createKpiRegistry(config.KPI_PLUGINS));
  const authenticator = new Authenticator(db.prisma);
  const resultCache = config.KPI_CACHE
    ? new KpiResultCache({
        maxEntries: config.KPI_CACHE_MAX_ENTRIES,
        redisTtlSeconds: config.KPI_CACHE_TTL_SECONDS,
        ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}),
        onRedisError: (error) => console.warn(`KPI cache: Redis unavailable, using memory only (${error.message})`),
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
  const context = createContextFactory(db, config, getRegistry, authenticator, { resultCache, replicas });
  const limits = createLimits(config, {
    graphqlEndpoint,
    kpiCount: async () => (await getRegistry()).list().length,
    isKnownPrefix: (prefix) => authenticator.isKnownPrefix(prefix),
    onRedisError: (error) => console.warn(`rate limiter: Redis unavailable, letting requests through (${error.message})`),
  });
  const yoga = createYoga<Record<string, never>, GraphQLContext>({
    schema,
    graphqlEndpoint,
    context,
    maskedErrors: maskedErrors(config.NODE_ENV === 'development' && process.env['KPIGRAPH_UNMASK_ERRORS'] === 'true'),
    graphiql:
      config.NODE_ENV === 'production'
        ? false
        : (_request, serverContext) => ({
            title: 'kpigraph',
            defaultQuery: firstQuery,
            // Anyone who can reach the port may load this page: only this machine's own browser gets the key.
            ...(graphiqlKey && isLoopback(socketAddress(serverContext))
              ? { headers: JSON.stringify({ Authorization: `Bearer ${graphiqlKey}` }, null, 2) }
              : {}),
          }),
    landingPage: false,
    cors: corsFor(config.CORS_ORIGINS),
    healthCheckEndpoint: '/health',
    batching: false,
    maxRequestBodySize: config.MAX_REQUEST_BYTES,
    plugins: [useReadinessCheck({ endpoint: '/ready', check: () => db.isReady() }), ...limits.plugins],
  });
  let http: Server | undefined;
  return {
    yoga,
    resultCache,
    replicas,
    listen(port, host = config.HOST) {
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
    async close() {
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
      await limits.close();
      await resultCache?.close();
      await replicas?.close();
      await db.close();
    },
  };
}
