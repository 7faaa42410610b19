/**
 * How a run read its measures: from the rows or the daily rollups, with the
 * KPI result cache cold (off) or warm. Runs of one dataset in different
 * modes are kept side by side in results.json and the tables.
 */
import type { BenchEntry } from './entry.js';

export type BenchMode = 'rows' | 'rollups' | 'rollups, warm cache' | 'rows, warm cache' | 'rollups, answers cached' | 'rows, answers cached';

/** `warm cache`: computed cells kept (KPI_CACHE), each answer assembled anew; `answers cached`: whole answers kept too (RESPONSE_CACHE_MB), the server's default. */
export function modeOf(e: BenchEntry): BenchMode {
  const source = (e.options.rollups ?? false) ? 'rollups' : 'rows';
  if (e.options.cache === 'warm') return `${source}, warm cache`;
  if (e.options.cache === 'answers') return `${source}, answers cached`;
  return source;
}

/** The database and size, e.g. "PostgreSQL L". */
export const dataset = (e: BenchEntry): string => `${e.db === 'pglite' ? 'PGlite' : 'PostgreSQL'} ${e.size}`;

/** The database, size and mode, e.g. "PostgreSQL L · rollups". */
export const entryLabel = (e: BenchEntry): string => `${dataset(e)} · ${modeOf(e)}`;

/** The identity of a run in results.json: a later run of the same replaces it. */
export const entryKey = (e: BenchEntry): string => `${e.db}/${e.size}/${e.seed}/${modeOf(e)}`;
