/**
 * Staging tables: one temporary table per record type, dropped at the end
 * of the import's transaction. Rows stream into them in chunks, so the
 * file's size costs database space, not process memory; the set-based
 * checks and upserts then read them.
 */
import type { FieldSpec, RecordType } from './record-types.js';
import { recordSpecs, recordTypes } from './record-types.js';
import type { StagedRow } from './row-validator.js';
import type { ImportSession } from './session.js';

/** The staging table of a type; names come from the closed list of types, never from input. */
export const stagingTable = (type: RecordType): string => `"_import_${type}"`;
export const problemsTable = '"_import_problems"';

function sqlType(field: FieldSpec): string {
  switch (field.kind) {
    case 'int':
      return 'int';
    case 'money':
      return 'numeric';
    case 'timestamp':
      return 'timestamptz';
    default:
      return 'text';
  }
}

/** Creates every staging table (empty ones cost nothing and keep the checks uniform). */
export async function createStaging(session: ImportSession): Promise<void> {
  for (const type of recordTypes) {
    const columns = recordSpecs[type].fields.map((field) => `"${field.name}" ${sqlType(field)}`);
    await session.query(
      `CREATE TEMP TABLE ${stagingTable(type)} (seq int NOT NULL, source int NOT NULL, line int NOT NULL, rejected boolean NOT NULL DEFAULT false, "externalId" text NOT NULL, ${columns.join(', ')}) ON COMMIT DROP`,
    );
  }
  await session.query(
    `CREATE TEMP TABLE ${problemsTable} (type text NOT NULL, seq int NOT NULL, source int, line int, field text NOT NULL, reason text NOT NULL) ON COMMIT DROP`,
  );
}

/** A staged row and where it came from. */
export interface StagedEntry {
  seq: number;
  source: number;
  line: number;
  row: StagedRow;
}

/**
 * Inserts a chunk with one statement: the rows travel as one JSON document
 * that PostgreSQL spreads over the table's columns, so quoting and types
 * are the database's business and the parameter count stays one.
 */
export async function stageChunk(session: ImportSession, type: RecordType, entries: readonly StagedEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const names = ['seq', 'source', 'line', 'externalId', ...recordSpecs[type].fields.map((field) => field.name)];
  const json = JSON.stringify(entries.map((entry) => ({ ...entry.row, seq: entry.seq, source: entry.source, line: entry.line })));
  const list = names.map((name) => `"${name}"`).join(', ');
  await session.query(`INSERT INTO ${stagingTable(type)} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${stagingTable(type)}, $1::json)`, [json]);
}

/** Indexes and statistics once loaded: temporary tables are never analysed automatically. */
export async function indexStaging(session: ImportSession, counts: Readonly<Record<RecordType, number>>): Promise<void> {
  for (const type of recordTypes) {
    if (counts[type] === 0) continue;
    const table = stagingTable(type);
    await session.query(`CREATE INDEX ON ${table} ("externalId")`);
    await session.query(`CREATE INDEX ON ${table} (seq)`);
    // Stage histories are gathered per deal (checks and derived events).
    if (type === 'deal_stage_event') await session.query(`CREATE INDEX ON ${table} ("deal")`);
    await session.query(`ANALYZE ${table}`);
  }
}
