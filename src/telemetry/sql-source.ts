/**
 * The source of a SQL statement, as a metric label or span attribute: the
 * KPI source whose table a raw statement reads first (the engine's
 * statements and compute plugins' queries both read their source table
 * first), "records" for the Prisma client's reads and writes of the API,
 * and "other" for anything else. Never the SQL itself, which can be long
 * and is no label.
 */
import type { SqlStatementEvent } from '../db/client.js';
import { relationTables } from '../kpi/sql/data-model.js';
import { rollupModels } from '../kpi/sql/rollup-models.js';

const firstTable = /\bFROM\s+"([A-Za-z]+)"/;
// A statement over a source's daily rollup counts as that source's.
const rollupTables = Object.entries(rollupModels).flatMap(([source, model]) => {
  const table = model ? firstTable.exec(model.rows)?.[1] : undefined;
  return table ? [[table, source] as [string, string]] : [];
});
const sourceOfTable = new Map<string, string>([...Object.entries(relationTables).map(([source, table]): [string, string] => [table.slice(1, -1), source]), ...rollupTables]);

/** The closed set of values `statementSource` returns. */
export const statementSources: readonly string[] = ['records', 'other', ...new Set(sourceOfTable.values())];

export function statementSource(event: SqlStatementEvent): string {
  if (event.source === 'prisma') return 'records';
  const table = firstTable.exec(event.sql)?.[1];
  return (table && sourceOfTable.get(table)) || 'other';
}
