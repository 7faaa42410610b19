/**
 * The server's metrics, request logs and traces, wired through narrow
 * seams: the database's statement hook, the KPI engine's batch observer
 * and yoga plugins. Each part is attached only when configured, so an
 * unconfigured part costs nothing.
 */
import { performance } from 'node:perf_hooks';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import type { KpiCellKey } from '../../kpi/cell.js';
import type { KpiBatchObserver } from '../../kpi/engine.js';
import type { Logger } from '../../telemetry/logger.js';
import { kpiBatchDuration, kpiCellsTotal, loaderBatchSize, sqlDuration, sqlErrors, startProcessMetrics, watchPool } from '../../telemetry/metrics.js';
import { addStatement, currentRequest } from '../../telemetry/request-scope.js';
import { statementSource } from '../../telemetry/sql-source.js';
import type { Tracing } from '../../telemetry/tracing.js';
import { useMetricsEndpoint } from './metrics-endpoint.js';
import { useRequestTelemetry } from './use-request-telemetry.js';

export interface ObservabilityOptions {
  db: Database;
  config: Config;
  logger: Logger;
  tracing?: Tracing | undefined;
  graphqlEndpoint: string;
  /** Whether a KPI key is the registry's (only those become labels). */
  knownKpi: (key: string) => boolean;
}

export interface Observability {
  /** Yoga plugins, to be placed first so that they see every request. */
  plugins: Plugin[];
  /** For the KPI engine; undefined when nothing watches batches. */
  kpiObserver: KpiBatchObserver | undefined;
  /** Whether metrics are collected (METRICS_TOKEN or METRICS_PORT set). */
  metrics: boolean;
  /** Unhooks from the database. */
  close(): void;
}

/** Metrics are on when there is a protected way to read them. */
export const metricsEnabled = (config: Config): boolean => config.METRICS_TOKEN !== undefined || config.METRICS_PORT !== undefined;

function countCells(cells: readonly KpiCellKey[], knownKpi: (key: string) => boolean): void {
  const perKpi = new Map<string, number>();
  for (const cell of cells) perKpi.set(cell.kpiKey, (perKpi.get(cell.kpiKey) ?? 0) + 1);
  for (const [kpi, count] of perKpi) if (knownKpi(kpi)) kpiCellsTotal.inc({ kpi }, count);
}

export function createObservability(options: ObservabilityOptions): Observability {
  const { db, config, logger, tracing, graphqlEndpoint, knownKpi } = options;
  const metrics = metricsEnabled(config);
  const logs = logger.isLevelEnabled('info') || logger.isLevelEnabled('warn');
  const unhook: (() => void)[] = [];
  const plugins: Plugin[] = [];
  if (metrics) {
    startProcessMetrics();
    if (db.poolStats) unhook.push(watchPool(db.poolStats));
    if (config.METRICS_TOKEN !== undefined) plugins.push(useMetricsEndpoint(config.METRICS_TOKEN));
  }
  if (tracing) {
    plugins.push(tracing.yogaPlugin(graphqlEndpoint));
    unhook.push(db.onStatement(tracing.statementListener));
  }
  plugins.push(useRequestTelemetry({ graphqlEndpoint, logger, metrics, slowRequestMs: config.SLOW_REQUEST_MS }));

  if (metrics || logs) {
    unhook.push(
      db.onStatement((event) => {
        const record = currentRequest();
        if (!metrics && !record) return undefined;
        const started = performance.now();
        return (error?: unknown) => {
          const ms = performance.now() - started;
          const source = statementSource(event);
          if (metrics) {
            sqlDuration.observe({ source }, ms / 1000);
            if (error !== undefined) sqlErrors.inc({ source });
          }
          if (record) addStatement(record, source, ms);
        };
      }),
    );
  }

  const counting: KpiBatchObserver | undefined =
    metrics || logs
      ? {
          async batch(cells, run) {
            const record = currentRequest();
            if (record) {
              record.cells += cells.length;
              record.kpiBatches += 1;
            }
            if (!metrics) return run();
            loaderBatchSize.observe({ loader: 'kpi' }, cells.length);
            countCells(cells, knownKpi);
            const started = performance.now();
            try {
              return await run();
            } finally {
              kpiBatchDuration.observe((performance.now() - started) / 1000);
            }
          },
        }
      : undefined;
  const traced = tracing?.kpiObserver;
  const kpiObserver: KpiBatchObserver | undefined =
    counting && traced ? { batch: (cells, run) => traced.batch(cells, () => counting.batch(cells, run)) } : (counting ?? traced);

  return {
    plugins,
    kpiObserver,
    metrics,
    close() {
      for (const stop of unhook) stop();
    },
  };
}
