/**
 * Staging tables: one temporary table per record type, dropped at the end
 * of the import's transaction. Rows stream into them in chunks, so the
 * file's size costs database space, not process memory; the set-based
 * checks and upserts then read them.
 */
import type { FieldSpec, RecordType } from './record-types.js';
import { recordSpecs, recordTypes } from './record-types.js';
import type { CopyPiece, ImportSession } from './import-session.js';

/** The staging table of a type; names come from the closed list of types, never from input. */
export const stagingTable = (type: RecordType): string => `"_import_${type}"`;
export const problemsTable = '"_import_problems"';

/**
 * External IDs (and references, which name them) compare byte by byte, as
 * the record tables' columns do (migration external_id_bytewise): opaque
 * keys need no language's order, and "C" lets PostgreSQL sort them with
 * memcmp and abbreviated keys, where C.UTF-8 or en_US call strcoll.
 */
const externalIdText = 'text COLLATE "C"';

function sqlType(field: FieldSpec): string {
  switch (field.kind) {
    case 'int':
      return 'int';
    case 'money':
      return 'numeric';
    case 'timestamp':
      return 'timestamptz';
    case 'ref':
      return externalIdText;
    default:
      return 'text';
  }
}

/** Creates every staging table (empty ones cost nothing and keep the checks uniform). */
export async function createStaging(session: ImportSession): Promise<void> {
  for (const type of recordTypes) {
    const columns = recordSpecs[type].fields.map((field) => `"${field.name}" ${sqlType(field)}`);
    await session.query(
      `CREATE TEMP TABLE ${stagingTable(type)} (seq int NOT NULL, source int NOT NULL, line int NOT NULL, rejected boolean NOT NULL DEFAULT false, "externalId" ${externalIdText} NOT NULL, ${columns.join(', ')}) ON COMMIT DROP`,
    );
  }
  await session.query(
    `CREATE TEMP TABLE ${problemsTable} (type text NOT NULL, seq int NOT NULL, source int, line int, field text NOT NULL, reason text NOT NULL) ON COMMIT DROP`,
  );
}

const copySpecial = /[\\\t\n\r]/;
const copyEscapes: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A value in COPY's text format: `\N` for null, backslash escapes for the separators. */
export function copyValue(value: string | number | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return copySpecial.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => copyEscapes[c] ?? c) : value;
}

/** The staged columns of a type, in the order of `stagedLine`. */
function stagedColumns(type: RecordType): string {
  return ['seq', 'source', 'line', 'externalId', ...recordSpecs[type].fields.map((field) => field.name)].map((name) => `"${name}"`).join(', ');
}

/** One row of a staging table as a COPY line (without its newline): its place in the import, then the row's own text (`validateRow`). */
export function stagedLine(seq: number, source: number, line: number, text: string): string {
  return `${seq}\t${source}\t${line}\t${text}`;
}

/** Stages a chunk with one COPY, from pieces of whole lines (each ending in a newline): quoting and types are the database's business. */
export async function stageChunk(session: ImportSession, type: RecordType, pieces: readonly CopyPiece[]): Promise<void> {
  if (pieces.length === 0) return;
  await session.copyIn(`${stagingTable(type)} (${stagedColumns(type)})`, pieces);
}

/** Indexes and statistics once loaded: temporary tables are never analysed automatically. */
export async function indexStaging(session: ImportSession, counts: Readonly<Record<RecordType, number>>): Promise<void> {
  for (const type of recordTypes) {
    if (counts[type] === 0) continue;
    const table = stagingTable(type);
    // No index on "externalId": the checks and writes join whole staging tables, which the planner hashes
    // rather than probe, so such an index would cost its build and never be used.
    // Rows are staged in file order, so seq follows the table's pages: a BRIN index finds a chunk's
    // range as well as a B-tree and builds far faster.
    await session.query(`CREATE INDEX ON ${table} USING brin (seq)`);
    // Stage histories are gathered per deal (checks and derived events).
    if (type === 'deal_stage_event') await session.query(`CREATE INDEX ON ${table} ("deal")`);
    // Statistics for what the checks and writes join and filter on; the other columns are only carried, and their statistics would cost time no plan uses.
    const keys = recordSpecs[type].fields.filter((field) => field.kind === 'ref').map((field) => `"${field.name}"`);
    await session.query(`ANALYZE ${table} (seq, rejected, "externalId"${keys.map((key) => `, ${key}`).join('')})`);
  }
}
