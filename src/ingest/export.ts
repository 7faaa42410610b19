/**
 * Export: every record of a workspace in the import formats, read in pages
 * by id (keyset cursors) inside one repeatable-read transaction, so the
 * files are one consistent snapshot and memory holds one page. References
 * are written as the referenced record's externalId; a record without one
 * is named `kpg:<type>:<id>`, which a later import into the same workspace
 * matches back to it (see claimExportIds).
 */
import type { Database } from '../db/client.js';
import type { RecordType } from './record-types.js';
import { columnOf, recordSpecs } from './record-types.js';
import type { ImportSession } from './import-session.js';
import { inTransaction } from './session.js';
import { exportIdPrefix } from './write.js';

export type ExportRow = Record<string, string | number | null>;

const q = (name: string): string => `"${name}"`;
const iso = (expression: string): string => `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

function pageStatement(type: RecordType): string {
  const spec = recordSpecs[type];
  const selects = [`t.id`, `coalesce(t."externalId", '${exportIdPrefix(type)}' || t.id) AS "externalId"`];
  const joins: string[] = [];
  spec.fields.forEach((field, index) => {
    const column = `t.${q(columnOf(field))}`;
    let value: string;
    switch (field.kind) {
      case 'ref': {
        const alias = `r${index}`;
        joins.push(`LEFT JOIN ${q(recordSpecs[field.target!].table)} ${alias} ON ${alias}.id = ${column}`);
        value = `CASE WHEN ${alias}.id IS NULL THEN NULL ELSE coalesce(${alias}."externalId", '${exportIdPrefix(field.target!)}' || ${alias}.id) END`;
        break;
      }
      case 'timestamp':
        // A day field at the zone's midnight reads best as the day.
        value = field.day
          ? `CASE WHEN (${column} AT TIME ZONE $4)::time = '00:00' THEN to_char(${column} AT TIME ZONE $4, 'YYYY-MM-DD') ELSE ${iso(column)} END`
          : iso(column);
        break;
      case 'money':
      case 'enum':
        value = `${column}::text`;
        break;
      default:
        value = column;
    }
    selects.push(`${value} AS ${q(field.name)}`);
  });
  return `SELECT ${selects.join(', ')} FROM ${q(spec.table)} t ${joins.join(' ')}
    WHERE t."workspaceId" = $1 AND t.id > $2 AND $4::text IS NOT NULL ORDER BY t.id LIMIT $3`;
}

export interface ExportOptions {
  workspaceId: number;
  types: readonly RecordType[];
  pageSize?: number;
  /** Receives each page of a type, in order; awaited (back-pressure). */
  onPage: (type: RecordType, rows: readonly ExportRow[]) => Promise<void>;
  onTypeStart?: (type: RecordType) => Promise<void>;
  onTypeEnd?: (type: RecordType, count: number) => Promise<void>;
}

/** Streams the workspace's records of each type; returns the counts. */
export async function exportRecords(db: Database, options: ExportOptions): Promise<Record<string, number>> {
  const { workspaceId, pageSize = 5_000 } = options;
  const workspace = (await db.query<{ timeZone: string }>('SELECT "timeZone" FROM "Workspace" WHERE id = $1', [workspaceId])).rows[0];
  if (!workspace) throw new Error(`Workspace ${workspaceId} does not exist.`);
  return inTransaction(db, { statementTimeoutMs: 0 }, async (session: ImportSession) => {
    if (db.kind === 'postgres') await session.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const counts: Record<string, number> = {};
    for (const type of options.types) {
      await options.onTypeStart?.(type);
      const sql = pageStatement(type);
      let after = 0;
      let count = 0;
      for (;;) {
        const rows = await session.query<ExportRow & { id: number }>(sql, [workspaceId, after, pageSize, workspace.timeZone]);
        if (rows.length === 0) break;
        after = rows[rows.length - 1]!.id;
        count += rows.length;
        await options.onPage(type, rows.map(({ id: _id, ...row }) => row));
        if (rows.length < pageSize) break;
      }
      counts[type] = count;
      await options.onTypeEnd?.(type, count);
    }
    return counts;
  });
}

/** The CSV columns of a type, in order. */
export const csvColumns = (type: RecordType): string[] => ['externalId', ...recordSpecs[type].fields.map((field) => field.name)];

const needsQuotes = /[",\r\n]|^\s|\s$/;

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return needsQuotes.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvCell).join(',')}\n`;
}

/** One NDJSON line: the type first, empty values left out. */
export function ndjsonLine(type: RecordType, row: ExportRow): string {
  const out: Record<string, string | number> = { type };
  for (const [key, value] of Object.entries(row)) if (value !== null) out[key] = value;
  return `${JSON.stringify(out)}\n`;
}
