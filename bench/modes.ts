/**
 * How a run read its measures: from the rows or the daily rollups, with the
 * KPI result cache cold (off) or warm. Runs of one dataset in different
 * modes are kept side by side in results.json and the tables.
 */
import type { BenchEntry } from './entry.js';

export type BenchMode = 'rows' | 'rollups' | 'rollups, warm cache' | 'rows, warm cache';

export function modeOf(e: BenchEntry): BenchMode {
  const rollups = e.options.rollups ?? false;
  const warm = e.options.cache === 'warm';
  return rollups ? (warm ? 'rollups, warm cache' : 'rollups') : warm ? 'rows, warm cache' : 'rows';
}

/** The database and size, e.g. "PostgreSQL L". */
export const dataset = (e: BenchEntry): string => `${e.db === 'pglite' ? 'PGlite' : 'PostgreSQL'} ${e.size}`;

/** The database, size and mode, e.g. "PostgreSQL L · rollups". */
export const entryLabel = (e: BenchEntry): string => `${dataset(e)} · ${modeOf(e)}`;

/** The identity of a run in results.json: a later run of the same replaces it. */
export const entryKey = (e: BenchEntry): string => `${e.db}/${e.size}/${e.seed}/${modeOf(e)}`;
