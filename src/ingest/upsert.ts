/**
 * The writes of staged rows, set-based, chunk by chunk: one UPDATE of the
 * records that the rows change, then one plain INSERT of the rows that have
 * no record yet. A row equal to its record is not touched at all, so a
 * repeated import writes nothing and reports those rows unchanged.
 *
 * Why not one `INSERT … ON CONFLICT DO UPDATE`: it costs a fifth more per
 * inserted row (a speculative insertion, confirmed by a WAL record of its
 * own), and it locks every conflicting row even when nothing changes. The
 * price: should another session insert one of the same external IDs while
 * the import runs, the INSERT fails on the unique key and the whole import
 * rolls back (ImportConflictError), where an upsert would have merged.
 */
import type { BulkIndexMode } from './bulk-indexes.js';
import { dropIndexes, rebuildIndexes, worthBulkLoading } from './bulk-indexes.js';
import { blockParams, reserveBlocks } from './id-blocks.js';
import type { RecordType } from './record-types.js';
import { columnOf, recordSpecs } from './record-types.js';
import type { ImportSession } from './import-session.js';
import { stagingTable } from './staging.js';

const q = (name: string): string => `"${name}"`;

export interface WriteCounts {
  inserted: number;
  updated: number;
}

/** Staged rows (by seq) paired with their records (by id); dropped with the transaction. */
const existingTable = (type: RecordType): string => `"_import_existing_${type}"`;

/** A record written outside the import collided with one of its rows. */
export class ImportConflictError extends Error {}

interface Statements {
  /** Pairs every staged row with its record and notes whether it changes it (markExisting). */
  mark: string;
  update: string;
  insert: (shape: InsertShape) => string;
}

/**
 * The stage events derived for the deals an INSERT adds (`w`): new deals
 * have no history to look up. Creations and closes come from two scans of
 * `w`, not a VALUES list joined to each deal, which the database would
 * build and join once a deal. With a block of event
 * ids, a chunk's creations take ids from `$6` on (the deal with id `$7`
 * first), and its closes the same number of ids further (`$8`).
 */
function newDealEvents(shape: InsertShape): string {
  const withoutHistory = shape.stagedHistories ? ` AND NOT EXISTS (SELECT 1 FROM ${stagingTable('deal_stage_event')} v WHERE v.deal = w."externalId")` : '';
  const [idColumn, leadId, closeId] =
    shape.eventIds === 'block' ? ['id, ', '$6::int + (w.id - $7::int), ', '$6::int + $8::int + (w.id - $7::int), '] : ['', '', ''];
  return `,
    ev AS (
      INSERT INTO "DealStageEvent" (${idColumn}"workspaceId", "externalId", "dealId", "fromStage", "toStage", at)
      SELECT ${leadId}$1, w."externalId" || '#lead', w.id, NULL::"DealStage", 'LEAD'::"DealStage", w."createdAt" FROM w WHERE true${withoutHistory}
      UNION ALL
      SELECT ${closeId}$1, w."externalId" || '#close', w.id, 'LEAD'::"DealStage", w.stage, w."closedAt" FROM w WHERE w."closedAt" IS NOT NULL${withoutHistory}
      RETURNING 1)`;
}

/**
 * What an INSERT of new rows may leave out, once known: the pairing with
 * records when no staged row has one (an initial load), and, for new deals,
 * the look for a given history when the import stages no stage events.
 * Each is an anti-join over every row of the chunk, worth skipping when
 * it cannot match.
 */
export interface InsertShape {
  pairedRows: boolean;
  stagedHistories: boolean;
  /**
   * Where new records' ids come from: the sequence, a row at a time, in
   * file order (`ORDER BY seq`); or a block reserved by a bulk load
   * (id-blocks.ts): a row's id is then `$4 + seq - $5`.
   */
  rowIds: 'sequence' | 'block';
  /** The same for new deals' derived events (`$6`–`$8`, see blockParams); a block needs one for the deals too. */
  eventIds: 'sequence' | 'block';
}

/** The statements for staged rows `seq ∈ ($2, $3]` of one type, once markExisting has paired rows and records. */
function statements(type: RecordType): Statements {
  const spec = recordSpecs[type];
  const table = q(spec.table);
  const columns: string[] = [];
  const inserted: string[] = [];
  const updated: string[] = [];
  const joins: string[] = [];
  spec.fields.forEach((field, index) => {
    const column = q(columnOf(field));
    let value: string;
    if (field.kind === 'ref') {
      const alias = `r${index}`;
      joins.push(`LEFT JOIN ${q(recordSpecs[field.target!].table)} ${alias} ON ${alias}."workspaceId" = $1 AND ${alias}."externalId" = s.${q(field.name)}`);
      value = `${alias}.id`;
    } else if (field.kind === 'enum') {
      value = `s.${q(field.name)}::${q(field.enumType!)}`;
    } else {
      value = `s.${q(field.name)}`;
    }
    columns.push(column);
    // Left out: the record's current value, or the default for a new one.
    inserted.push(field.keepDefault ? `coalesce(${value}, ${field.keepDefault})` : value);
    updated.push(field.keepDefault ? `coalesce(${value}, e.${column})` : value);
  });
  const where = 'NOT s.rejected AND s.seq > $2 AND s.seq <= $3';
  const existing = existingTable(type);
  const staging = stagingTable(type);
  const changed = `(${columns.map((column) => `e.${column}`).join(', ')}) IS DISTINCT FROM (${updated.join(', ')})`;
  const deals = type === 'deal';
  return {
    mark: `WITH x AS (
      INSERT INTO ${existing} (seq, id, changed) SELECT s.seq, e.id, ${changed}
      FROM ${staging} s JOIN ${table} e ON e."workspaceId" = $1 AND e."externalId" = s."externalId" ${joins.join(' ')} WHERE NOT s.rejected
      RETURNING changed)
    SELECT x.existing, x.changed, t.staged - x.existing AS fresh, t."firstSeq", t."lastSeq"
    FROM (SELECT count(*)::int AS existing, count(*) FILTER (WHERE changed)::int AS changed FROM x) x,
      (SELECT count(*)::int AS staged, min(seq) AS "firstSeq", max(seq) AS "lastSeq" FROM ${staging} WHERE NOT rejected) t`,
    // The target is the record itself (e): its old values fill what a row leaves out.
    update: `WITH u AS (
      UPDATE ${table} e SET ${columns.map((column, i) => `${column} = ${updated[i]}`).join(', ')}
      FROM ${existing} x JOIN ${staging} s ON s.seq = x.seq ${joins.join(' ')}
      WHERE e.id = x.id AND e."workspaceId" = $1 AND x.changed AND x.seq > $2 AND x.seq <= $3 AND ${where} AND ${changed}
      RETURNING 1)
    SELECT count(*)::int AS updated FROM u`,
    insert: (shape) => {
      const blocks = shape.rowIds === 'block';
      return `WITH w AS (
      INSERT INTO ${table} (${blocks ? 'id, ' : ''}"workspaceId", "externalId", ${columns.join(', ')})
      SELECT ${blocks ? '$4::int + (s.seq - $5::int), ' : ''}$1::int, s."externalId", ${inserted.join(', ')} FROM ${staging} s ${joins.join(' ')} WHERE ${where}
        ${shape.pairedRows ? `AND NOT EXISTS (SELECT 1 FROM ${existing} x WHERE x.seq = s.seq AND x.seq > $2 AND x.seq <= $3)` : ''}${blocks ? '' : ' ORDER BY s.seq'}
      RETURNING ${deals ? 'id, "externalId", stage, "createdAt", "closedAt"' : '1'})${deals ? newDealEvents(shape) : ''}
    SELECT count(*)::int AS inserted, ${deals ? '(SELECT count(*) FROM ev)::int' : '0'} AS events FROM w`;
    },
  };
}

/**
 * A unique-key violation of the INSERT (a record written outside the import
 * while it ran), or of an index rebuilt after a bulk load (which holds the
 * table's lock, so nobody else wrote: two rows of the import share a key).
 */
function conflict(error: unknown, rebuilding = false): never {
  if (error instanceof Error && 'code' in error && error.code === '23505') {
    const detail = 'detail' in error && typeof error.detail === 'string' ? ` (${error.detail})` : '';
    // A new record's id (from the sequence or a reserved block) already taken: a row written past the sequence.
    if ('constraint' in error && typeof error.constraint === 'string' && error.constraint.endsWith('_pkey')) {
      throw new ImportConflictError(
        `An id the import gave a new record is taken already${detail}: a row was written with an id that its table's sequence had not handed out. Nothing was written. Move the sequence past the table's highest id (setval), then run the import again.`,
      );
    }
    // A derived stage event's name taken by a recorded event: running again would fail again.
    if ('table' in error && error.table === 'DealStageEvent') {
      throw new ImportConflictError(
        `A stage event derived for a new deal (named <deal>#lead or <deal>#close) has the externalId of an event already recorded for another deal${detail}; nothing was written. Give the deal its stage history in deal_stage_events, or rename the recorded event.`,
      );
    }
    if (rebuilding) {
      const table = 'table' in error && typeof error.table === 'string' ? ` of "${error.table}"` : '';
      throw new ImportConflictError(`Rebuilding a unique index${table} after the bulk load found two rows with the same key${detail}; nothing was written. Run the import again without the bulk load (--no-bulk) to find the row.`);
    }
    throw new ImportConflictError(`A record with an external ID of this import was written outside it while it ran${detail}; nothing was written. Run the import again.`);
  }
  throw error;
}

/**
 * Pairs each staged row with its record and compares them, in one statement
 * for the whole type: joining the growing table again in every chunk would
 * cost more with each chunk written, and a repeated import, where nothing
 * changed, ends here. Counts the rows that change a record and the new ones.
 */
async function markExisting(session: ImportSession, type: RecordType, workspaceId: number, sql: Statements): Promise<Marked> {
  const table = existingTable(type);
  await session.query(`CREATE TEMP TABLE ${table} (seq int NOT NULL, id int NOT NULL, changed boolean NOT NULL) ON COMMIT DROP`);
  const [row] = await session.query<Marked>(sql.mark, [workspaceId]);
  if (row && row.existing > 0 && (row.changed > 0 || row.fresh > 0)) {
    await session.query(`CREATE INDEX ON ${table} (seq)`);
    await session.query(`ANALYZE ${table}`);
  }
  return row ?? { existing: 0, changed: 0, fresh: 0, firstSeq: null, lastSeq: null };
}

/** What markExisting found: rows with a record, those that change it, new rows, and the seqs that the rows (not rejected) span. */
interface Marked {
  existing: number;
  changed: number;
  fresh: number;
  firstSeq: number | null;
  lastSeq: number | null;
}

/** Fails the import if a staged row that markExisting found new now has a record (see upsertType). */
async function refuseRecordsWrittenMeanwhile(session: ImportSession, type: RecordType, workspaceId: number): Promise<void> {
  const [row] = await session.query<{ externalId: string }>(
    `SELECT s."externalId" FROM ${stagingTable(type)} s JOIN ${q(recordSpecs[type].table)} e ON e."workspaceId" = $1 AND e."externalId" = s."externalId"
     WHERE NOT s.rejected AND NOT EXISTS (SELECT 1 FROM ${existingTable(type)} x WHERE x.seq = s.seq) LIMIT 1`,
    [workspaceId],
  );
  if (row) {
    throw new ImportConflictError(
      `A record with an external ID of this import (${recordSpecs[type].plural} "${row.externalId}") was written outside it while it waited for the table; nothing was written. Run the import again.`,
    );
  }
}

/** The tables an INSERT of a type's new rows fills: new deals bring their derived stage events. */
function filledTables(type: RecordType): string[] {
  return type === 'deal' ? [recordSpecs.deal.table, recordSpecs.deal_stage_event.table] : [recordSpecs[type].table];
}

export interface UpsertOptions {
  /** Last staged seq of the type. */
  lastSeq: number;
  /** Seqs a statement. */
  chunk: number;
  /** Whether the import staged any stage event (rejected or not): new deals then look for a given history. */
  stagedHistories: boolean;
  bulk: BulkIndexMode;
  /** How long a bulk load waits for its tables' locks; default bulkLockTimeoutMs. */
  lockTimeoutMs?: number;
  /** After each statement: how far through the type's seqs, 0–1. */
  onChunk: (fraction: number) => void;
  /** Indexes rebuilt after a bulk load, `done` of `total`. */
  onIndex: (done: number, total: number) => void;
}

/** Writes staged rows of a type in chunks, reporting after each; `events` counts stage events derived for new deals. */
export async function upsertType(session: ImportSession, type: RecordType, workspaceId: number, options: UpsertOptions): Promise<WriteCounts & { events: number }> {
  const { lastSeq, chunk, onChunk } = options;
  const sql = statements(type);
  const marked = await markExisting(session, type, workspaceId, sql);
  const { existing, changed, fresh } = marked;
  // For the stage events of new deals, `fresh` stands in for their number (one or two a deal without a history).
  const bulkTables: string[] = [];
  for (const table of filledTables(type)) if (await worthBulkLoading(session, options.bulk, table, fresh)) bulkTables.push(table);
  const dropped = bulkTables.length > 0 ? await dropIndexes(session, bulkTables, options.lockTimeoutMs) : [];
  // Another session may have written one of the new rows' records while the drop waited for the
  // table (markExisting did not see it); with the unique index gone, nothing else would notice
  // until the rebuild, whose message would blame the files. The lock is held now: look once.
  const locked = new Set(dropped.map((index) => index.table));
  if (locked.has(recordSpecs[type].table)) await refuseRecordsWrittenMeanwhile(session, type, workspaceId);
  const blocks = await reserveBlocks(session, type, marked, locked, options.stagedHistories);
  const insert = sql.insert({
    pairedRows: existing > 0,
    stagedHistories: options.stagedHistories,
    rowIds: blocks ? 'block' : 'sequence',
    eventIds: blocks && blocks.firstEvent !== null ? 'block' : 'sequence',
  });
  const counts = { inserted: 0, updated: 0, events: 0 };
  for (let from = 0; from < lastSeq; from += chunk) {
    const to = Math.min(lastSeq, from + chunk);
    const params = [workspaceId, from, to];
    if (changed > 0) {
      const [updated] = await session.query<{ updated: number }>(sql.update, params);
      counts.updated += updated?.updated ?? 0;
    }
    if (fresh > 0) {
      const [row] = await session.query<{ inserted: number; events: number }>(insert, [...params, ...blockParams(blocks, from, to)]).catch(conflict);
      counts.inserted += row?.inserted ?? 0;
      counts.events += row?.events ?? 0;
    }
    onChunk(to / lastSeq);
  }
  if (dropped.length > 0) await rebuildIndexes(session, dropped, (done) => options.onIndex(done, dropped.length)).catch((error: unknown) => conflict(error, true));
  return counts;
}
