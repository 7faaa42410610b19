import { createHash } from 'node:crypto';
import type { KpiCellKey } from '../cell.js';
import { cellCacheKey } from '../cell.js';
import type { CellValues } from '../define.js';
import type { KpiRegistry } from '../registry.js';
import type { KpiResultCache } from './result-cache.js';
import { workspaceKpiInfo } from '../workspace-kpis.js';
import { isCacheable } from './serialize.js';

/** What a cached batch needs to know besides its cells. */
export interface CellCacheScope {
  cache: KpiResultCache;
  workspaceId: number;
  timeZone: string;
  registry: KpiRegistry;
  /**
   * Reads the workspace's data version from the database the cells are then
   * computed on, in this batch: a result is always at least as new as the
   * version it is stored under, and a commit that returned has moved it.
   */
  readVersion: () => Promise<string>;
  /** Names the database, for keys kept outside it (see databaseIdentity). */
  databaseIdentity: () => Promise<string>;
}

const fingerprints = new WeakMap<KpiRegistry, string>();

/**
 * A digest of the registered KPIs' definitions and code, so that a deployment
 * that changes a formula (or an updateKpi that does) never reads values
 * computed under another.
 */
export function registryFingerprint(registry: KpiRegistry): string {
  const known = fingerprints.get(registry);
  if (known) return known;
  const hash = createHash('sha256');
  for (const definition of [...registry.list()].sort((x, y) => x.key.localeCompare(y.key))) {
    hash.update(definition.key);
    // A run-time KPI's code is the same closure for every formula: its formula and version tell them apart.
    const info = workspaceKpiInfo(definition);
    if (info) hash.update(`@${info.version}:${info.formula}`);
    const code = definition.kind === 'inputs' ? [definition.inputs, definition.formula] : [definition.compute];
    hash.update(JSON.stringify([definition.dimensions, definition.unit, ...code], (_name, value: unknown) => (typeof value === 'function' ? String(value) : value)));
  }
  const digest = hash.digest('base64url').slice(0, 16);
  fingerprints.set(registry, digest);
  return digest;
}

/** The cache keys of cells at the workspace's current data version. */
async function cacheKeysOf(scope: CellCacheScope, keys: readonly KpiCellKey[]): Promise<{ version: string; cacheKeys: string[] }> {
  const version = await scope.readVersion();
  const prefix = `${await scope.databaseIdentity()}/${scope.workspaceId}:${version}:${registryFingerprint(scope.registry)}:${scope.timeZone}:`;
  return { version, cacheKeys: keys.map((key) => prefix + cellCacheKey(key)) };
}

/** Whether the cache would answer each cell now (for explain): nothing is computed or stored. */
export async function cachedCells(scope: CellCacheScope, keys: readonly KpiCellKey[]): Promise<boolean[]> {
  if (keys.length === 0) return [];
  const { cacheKeys } = await cacheKeysOf(scope, keys);
  return (await scope.cache.getMany(cacheKeys)).map((values) => values !== undefined);
}

/**
 * Answers a batch of cells from the cache where it can and computes only the
 * rest (as one smaller batch), then keeps what it computed. Failed cells and
 * values that depend on more than the data are never kept.
 */
export async function loadThroughCache(
  scope: CellCacheScope,
  keys: readonly KpiCellKey[],
  compute: (keys: readonly KpiCellKey[], version: string) => Promise<(CellValues | Error)[]>,
): Promise<(CellValues | Error)[]> {
  const { version, cacheKeys } = await cacheKeysOf(scope, keys);
  const results: (CellValues | Error | undefined)[] = await scope.cache.getMany(cacheKeys);
  const missing = keys.flatMap((_key, index) => (results[index] === undefined ? [index] : []));
  if (missing.length > 0) {
    const computed = await compute(missing.map((index) => keys[index]!), version);
    const fresh: [string, CellValues][] = [];
    computed.forEach((values, i) => {
      const index = missing[i]!;
      results[index] = values;
      if (!(values instanceof Error) && isCacheable(values)) fresh.push([cacheKeys[index]!, values]);
    });
    await scope.cache.setMany(fresh);
  }
  return results as (CellValues | Error)[];
}
