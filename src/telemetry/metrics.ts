/**
 * The process's Prometheus metrics (prom-client), one registry per process
 * as Prometheus scrapes processes. Every label takes values from a bounded
 * set: operation names and error codes are capped (the rest count as
 * "other"), KPI keys come from the plugin registry, SQL sources from the
 * data model. No IDs, keys or documents become labels.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PoolStats } from '../db/client.js';

export const metricsRegistry = new Registry();

const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const requestsTotal = new Counter({
  name: 'kpigraph_graphql_requests_total',
  help: 'GraphQL requests by operation name and outcome (ok, error: errors in the result, refused: answered 4xx before running).',
  labelNames: ['operation', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const requestDuration = new Histogram({
  name: 'kpigraph_graphql_request_duration_seconds',
  help: 'Time from receiving a GraphQL request to its response, by operation name.',
  labelNames: ['operation'] as const,
  buckets: seconds,
  registers: [metricsRegistry],
});

export const errorsTotal = new Counter({
  name: 'kpigraph_graphql_errors_total',
  help: 'GraphQL errors in responses, by extensions.code.',
  labelNames: ['code'] as const,
  registers: [metricsRegistry],
});

export const rateLimitRefusals = new Counter({
  name: 'kpigraph_rate_limit_refusals_total',
  help: 'Requests refused by the rate limit (HTTP 429).',
  registers: [metricsRegistry],
});

export const kpiCellsTotal = new Counter({
  name: 'kpigraph_kpi_cells_total',
  help: 'KPI cells computed, by KPI key.',
  labelNames: ['kpi'] as const,
  registers: [metricsRegistry],
});

export const kpiBatchDuration = new Histogram({
  name: 'kpigraph_kpi_batch_duration_seconds',
  help: 'Time one batch of KPI cells took, its statements and formulas included.',
  buckets: seconds,
  registers: [metricsRegistry],
});

export const loaderBatchSize = new Histogram({
  name: 'kpigraph_dataloader_batch_size',
  help: 'Keys per DataLoader batch, by loader.',
  labelNames: ['loader'] as const,
  buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
  registers: [metricsRegistry],
});

export const sqlDuration = new Histogram({
  name: 'kpigraph_sql_statement_duration_seconds',
  help: 'SQL statements and their duration, by source: a KPI source (deals, payments, …), records (the API’s reads and writes) or other. Its _count is the number of statements.',
  labelNames: ['source'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
  registers: [metricsRegistry],
});

export const sqlErrors = new Counter({
  name: 'kpigraph_sql_statement_errors_total',
  help: 'SQL statements that failed, by source.',
  labelNames: ['source'] as const,
  registers: [metricsRegistry],
});

export const resultCacheRequests = new Counter({
  name: 'kpigraph_result_cache_requests_total',
  help: 'Lookups in the KPI result cache, by outcome (hit or miss).',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

/** Counts one lookup in a result cache; cheap enough to call on every lookup. */
export function recordResultCache(outcome: 'hit' | 'miss'): void {
  resultCacheRequests.inc({ outcome });
}

export const responseCacheRequests = new Counter({
  name: 'kpigraph_response_cache_requests_total',
  help: 'KPI queries looked up in the response cache, by outcome (hit or miss).',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

/** Counts one lookup in the response cache. */
export function recordResponseCache(outcome: 'hit' | 'miss'): void {
  responseCacheRequests.inc({ outcome });
}

const pools = new Set<() => PoolStats | undefined>();

new Gauge({
  name: 'kpigraph_db_pool_connections',
  help: 'PostgreSQL pool connections by state: total (open), idle, waiting (callers queued for one), max (the pool size).',
  labelNames: ['state'] as const,
  registers: [metricsRegistry],
  collect() {
    this.reset();
    for (const read of pools) {
      const stats = read();
      if (!stats) continue;
      this.inc({ state: 'total' }, stats.total);
      this.inc({ state: 'idle' }, stats.idle);
      this.inc({ state: 'waiting' }, stats.waiting);
      this.inc({ state: 'max' }, stats.max);
    }
  },
});

/** Reports a pool's connections at each scrape; returns the function that stops it. */
export function watchPool(read: () => PoolStats | undefined): () => void {
  pools.add(read);
  return () => pools.delete(read);
}

let processMetricsStarted = false;

/** Process memory, CPU, event-loop lag and GC, once per process (they sample in the background). */
export function startProcessMetrics(): void {
  if (processMetricsStarted) return;
  processMetricsStarted = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

/**
 * Maps free-form values (operation names, error codes) to themselves until
 * `limit` distinct ones were seen, then to "other", so that a client sending
 * a new name per request cannot grow the series without end.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();
  constructor(
    private readonly limit: number,
    private readonly pattern: RegExp,
  ) {}

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.limit || !this.pattern.test(value)) return 'other';
    this.seen.add(value);
    return value;
  }
}
