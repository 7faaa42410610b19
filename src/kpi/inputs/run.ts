/**
 * Run: sends each compiled source's one statement, all sources at once,
 * and splits each answer into its units' decoded rows. A failing statement
 * fails its own source only.
 */
import type { Database } from '../../db/client.js';
import type { ResultRow } from '../sql/compile.js';
import type { CompiledSource, FailedSource } from './compile.js';

/** A source's rows per unit (in the order of its units), or why it has none. */
export type SourceRows = { source: CompiledSource; rows: ResultRow[][] } | { source: CompiledSource | FailedSource; error: Error };

export async function runSource(db: Database, source: CompiledSource): Promise<ResultRow[][]> {
  const { rows } = await db.query<{ sg: number; r: string }>(source.sql, source.params);
  const rowsOf = source.units.map((): ResultRow[] => []);
  for (const row of rows) rowsOf[Number(row.sg)] = source.units[Number(row.sg)]!.transport.decode(row.r);
  return rowsOf;
}

/** Runs every compiled source concurrently: one statement each. */
export function runSources(db: Database, sources: readonly (CompiledSource | FailedSource)[]): Promise<SourceRows[]> {
  return Promise.all(
    sources.map(async (source): Promise<SourceRows> => {
      if ('error' in source) return { source, error: source.error };
      try {
        return { source, rows: await runSource(db, source) };
      } catch (error) {
        return { source, error: error instanceof Error ? error : new Error(String(error)) };
      }
    }),
  );
}
