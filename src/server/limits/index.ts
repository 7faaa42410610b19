import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../../config.js';
import type { RateLimitStore } from './rate-limit-store.js';
import { MemoryRateLimitStore, RedisRateLimitStore } from './rate-limit-store.js';
import { useDocumentLimits } from './use-document-limits.js';
import { useOperationCost } from './use-operation-cost.js';
import { useRateLimit } from './use-rate-limit.js';
import { useSchemaPrivacy } from './use-schema-privacy.js';

export interface LimitsOptions {
  graphqlEndpoint: string;
  /** The number of registered KPIs, for `kpis` without `keys`. */
  kpiCount: () => Promise<number>;
  /** Whether a key prefix belongs to a key verified lately (see useRateLimit). */
  isKnownPrefix: (prefix: string) => boolean;
  /** Where Redis trouble is reported (the limiter then lets requests through). */
  onRedisError?: (error: Error) => void;
}

export interface Limits {
  plugins: Plugin[];
  /** Closes the Redis connection, if any. */
  close(): Promise<void>;
}

/** Custom headers a browser cannot send cross-site without a CORS preflight. */
export const csrfHeaders = ['authorization', 'x-graphql-client', 'x-graphql-yoga-csrf', 'apollo-require-preflight'];

/**
 * Everything that keeps a public endpoint from being abused, from config.
 * Besides these plugins the server sets yoga's `maxRequestBodySize`
 * (MAX_REQUEST_BYTES) and `batching: false`, and the schema caps page sizes.
 */
export function createLimits(config: Config, options: LimitsOptions): Limits {
  const plugins: Plugin[] = [];
  let store: RateLimitStore | undefined;
  if (config.RATE_LIMIT_PER_MINUTE > 0) {
    const bucket = { perMinute: config.RATE_LIMIT_PER_MINUTE, burst: config.RATE_LIMIT_BURST };
    store = config.REDIS_URL ? new RedisRateLimitStore({ ...bucket, url: config.REDIS_URL, onError: options.onRedisError }) : new MemoryRateLimitStore(bucket);
    plugins.push(useRateLimit({ store, endpoint: options.graphqlEndpoint, trustProxy: config.RATE_LIMIT_TRUST_PROXY, isKnownPrefix: options.isKnownPrefix }));
  }
  plugins.push(
    useCSRFPrevention({ requestHeaders: csrfHeaders }),
    useDocumentLimits({
      maxDepth: config.GRAPHQL_MAX_DEPTH,
      maxAliases: config.GRAPHQL_MAX_ALIASES,
      maxTokens: config.GRAPHQL_MAX_TOKENS,
      maxDirectives: config.GRAPHQL_MAX_DIRECTIVES,
    }),
    useSchemaPrivacy({
      introspection: config.GRAPHQL_INTROSPECTION ?? config.NODE_ENV !== 'production',
      suggestions: config.GRAPHQL_FIELD_SUGGESTIONS,
    }),
    useOperationCost({
      maxCells: config.KPI_MAX_CELLS,
      kpiCount: options.kpiCount,
      maxBuckets: config.KPI_MAX_BUCKETS,
      maxRangeDays: config.KPI_MAX_RANGE_DAYS,
      maxPageSize: config.MAX_PAGE_SIZE,
    }),
  );
  return {
    plugins,
    close: async () => store?.close(),
  };
}
