/**
 * The KPI engine: a per-request DataLoader of cells. One batch validates its
 * cells (errors per cell), runs one statement per merged measure group for
 * inputs KPIs and one `compute` call per compute KPI, then returns each
 * cell's values in the order of the keys.
 */
import DataLoader from 'dataloader';
import type { Database } from '../db/client.js';
import type { KpiCellKey, ValidCell } from './cell.js';
import { cellCacheKey, validateCell } from './cell.js';
import { defaultComputeTimeoutMs, runComputeCells } from './compute-runner.js';
import type { CellValues } from './define.js';
import type { MeasureGroupPath } from './inputs-runner.js';
import { runInputsCells } from './inputs-runner.js';
import type { KpiResultCache } from './cache/result-cache.js';
import type { CellCacheScope } from './cache/cached-batch.js';
import { loadThroughCache } from './cache/cached-batch.js';
import { databaseIdentity, readDataVersion } from '../db/data-version.js';
import type { ReplicaSet } from '../db/replicas.js';

import type { PeriodLimits } from './periods.js';
import type { KpiRegistry } from './registry.js';
import { assertTimeZone } from './periods.js';

export interface KpiEngineOptions extends PeriodLimits {
  /** Time limit of a compute plugin's batch when it names none (default 10 s). */
  defaultTimeoutMs?: number;
  /** Most cells per batch (default: unlimited, one batch per tick). */
  maxBatchSize?: number;
  /** Told after each batch what it cost, for logs and tests. */
  onBatch?: (stats: KpiBatchStats) => void;
  /** Wraps each batch, for metrics and traces; its statements run inside `run`. */
  observer?: KpiBatchObserver;
  /** Read measure groups from the daily rollups when they hold them (default true; ROLLUPS=off). */
  rollups?: boolean;
}

/**
 * Sees each batch of cells as a whole: it may count the cells, time the run
 * or open a span around it, so that the statements the batch sends are
 * attributed to it. It must call `run` exactly once and return its result.
 */
export interface KpiBatchObserver {
  batch<T>(cells: readonly KpiCellKey[], run: () => Promise<T>): Promise<T>;
}

export interface KpiBatchStats {
  cells: number;
  invalidCells: number;
  /** Merged measure groups (same source, time field or snapshot, filter, group-by). */
  measureGroups: number;
  /** Statements run for inputs KPIs: one per source, its groups as branches. */
  statements: number;
  /** `compute` calls, one per compute KPI in the batch. */
  computeCalls: number;
  /** Each measure group's path (rollup or rows) and why. */
  measureGroupPaths: MeasureGroupPath[];
}

export interface KpiLoaderConfig {
  db: Database;
  workspaceId: number;
  /** IANA zone of the workspace, e.g. Europe/Berlin. */
  timeZone: string;
  registry: KpiRegistry;
  options?: KpiEngineOptions;
  /** Computed cells shared across requests, keyed by the workspace's data version. */
  cache?: KpiResultCache;
  /** Streaming replicas to compute on when they have replayed the workspace's current version. */
  replicas?: ReplicaSet;
  /** Reads the workspace's data version (the request's, when it pinned one); by default a fresh read each time. */
  readVersion?: () => Promise<string>;
}

/** Per-request loader of cells; `load` rejects with KpiInputError or KpiPluginError for a failing cell. */
export type KpiLoader = DataLoader<KpiCellKey, CellValues, string>;

/** How the loader reads the workspace's data version: the request's reader if given, else a fresh read each time. */
const versionReader = (config: KpiLoaderConfig): (() => Promise<string>) => config.readVersion ?? (() => readDataVersion(config.db, config.workspaceId));

/** What the result cache needs to key a loader's cells; undefined without a cache. */
export function cellCacheScope(config: KpiLoaderConfig): CellCacheScope | undefined {
  const { db, workspaceId, timeZone, registry, cache } = config;
  const readVersion = versionReader(config);
  return cache ? { cache, workspaceId, timeZone, registry, readVersion, databaseIdentity: () => databaseIdentity(db) } : undefined;
}

/**
 * Creates the per-request KPI loader. Create one per request (its cache is
 * the request's), scoped to one workspace.
 */
export function createKpiLoader(config: KpiLoaderConfig): KpiLoader {
  const { db, workspaceId, timeZone, registry, options = {}, replicas } = config;
  assertTimeZone(timeZone);
  const { observer } = options;
  const readVersion = versionReader(config);
  const compute = async (keys: readonly KpiCellKey[], version?: string) => {
    const target = replicas ? await replicas.choose(db, workspaceId, version ?? (await readVersion())) : db;
    return runBatch(target, workspaceId, timeZone, registry, options, keys);
  };
  const scope = cellCacheScope(config);
  const load = (keys: readonly KpiCellKey[]) => (scope ? loadThroughCache(scope, keys, compute) : compute(keys));
  return new DataLoader<KpiCellKey, CellValues, string>(
    (keys) => (observer ? observer.batch(keys, () => load(keys)) : load(keys)),
    { cacheKeyFn: cellCacheKey, ...(options.maxBatchSize ? { maxBatchSize: options.maxBatchSize } : {}) },
  );
}

async function runBatch(
  db: Database,
  workspaceId: number,
  timeZone: string,
  registry: KpiRegistry,
  options: KpiEngineOptions,
  keys: readonly KpiCellKey[],
): Promise<(CellValues | Error)[]> {
  const results: (CellValues | Error)[] = new Array<CellValues | Error>(keys.length);
  const inputs: { index: number; cell: ValidCell }[] = [];
  const computes = new Map<string, { index: number; cell: ValidCell }[]>();
  keys.forEach((key, index) => {
    try {
      const cell = validateCell(key, registry, options);
      if (cell.definition.kind === 'inputs') inputs.push({ index, cell });
      else {
        const list = computes.get(cell.definition.key) ?? [];
        list.push({ index, cell });
        computes.set(cell.definition.key, list);
      }
    } catch (error) {
      results[index] = error instanceof Error ? error : new Error(String(error));
    }
  });
  const timeoutMs = options.defaultTimeoutMs ?? defaultComputeTimeoutMs;
  const [inputsRun] = await Promise.all([
    runInputsCells(db, workspaceId, inputs.map((entry) => entry.cell), options.rollups === false ? null : { timeZone }).then((run) => {
      run.values.forEach((value, i) => (results[inputs[i]!.index] = value));
      return run;
    }),
    ...[...computes.values()].map(async (entries) => {
      const values = await runComputeCells(db, workspaceId, timeZone, entries.map((entry) => entry.cell), timeoutMs);
      values.forEach((value, i) => (results[entries[i]!.index] = value));
    }),
  ]);
  options.onBatch?.({
    cells: keys.length,
    invalidCells: keys.length - inputs.length - [...computes.values()].reduce((n, list) => n + list.length, 0),
    measureGroups: inputsRun.stats.groups,
    statements: inputsRun.stats.statements,
    computeCalls: computes.size,
    measureGroupPaths: inputsRun.stats.paths,
  });
  return results;
}
