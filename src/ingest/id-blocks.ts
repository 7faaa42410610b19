/**
 * Ids for a bulk load's new rows, taken as one block of the table's
 * sequence instead of one `nextval` a row. A row's id is then the block's
 * first id plus the row's place in the import (its seq), so the INSERT
 * needs neither the sequence nor an `ORDER BY seq` to give ids in file
 * order. Ids given are cheaper than the sequence default, which calls
 * `nextval` once a row (and `row_number()` for the ids costs as much as the
 * sequence).
 *
 * Safe only while the import holds a lock that keeps every other writer
 * out of the table, as a bulk load does (its dropped indexes lock the table
 * until the commit): between the `nextval` and the `setval` below, another
 * session's insert could otherwise take an id inside the block. Should one
 * still collide, the primary key (never dropped) fails the import, and
 * nothing is written.
 */
import type { RecordType } from './record-types.js';
import { recordSpecs } from './record-types.js';
import type { ImportSession } from './import-session.js';

/** A type's new rows (not rejected, without a record) and the seqs that its staged rows span. */
export interface NewRows {
  fresh: number;
  firstSeq: number | null;
  lastSeq: number | null;
}

/**
 * Reserves `count` consecutive ids of `table`'s `id` sequence and returns
 * the first, or null when the table has no such sequence, the sequence does
 * not count up by one, or the block would run past its maximum (the import
 * then takes ids from the sequence row by row, as usual). A block is never
 * given back: like any sequence value, its ids stay used even if the import
 * rolls back.
 */
export async function reserveIds(session: ImportSession, table: string, count: number): Promise<number | null> {
  if (!Number.isSafeInteger(count) || count < 1) return null;
  const [sequence] = await session.query<{ name: string | null }>(`SELECT pg_get_serial_sequence($1, 'id') AS name`, [`"${table}"`]);
  if (!sequence?.name) return null;
  // Text, not int8: the drivers differ in how they hand back a bigint.
  const [settings] = await session.query<{ increment: string; max: string }>(`SELECT seqincrement::text AS increment, seqmax::text AS max FROM pg_sequence WHERE seqrelid = $1::regclass`, [
    sequence.name,
  ]);
  if (!settings || settings.increment !== '1') return null;
  const [block] = await session.query<{ first: string }>(`SELECT nextval($1::regclass)::text AS first`, [sequence.name]);
  const first = Number(block!.first);
  const last = first + count - 1;
  // Ids are int columns, whatever the sequence allows.
  if (last > Math.min(Number(settings.max), 2 ** 31 - 1)) return null;
  if (count > 1) await session.query(`SELECT setval($1::regclass, $2::bigint)`, [sequence.name, last]);
  return first;
}

/** Ids reserved for a type's new rows: a row's id is `first + seq - firstSeq`; new deals' derived events take two ids a seq from `firstEvent`. */
export interface IdBlocks {
  first: number;
  firstSeq: number;
  lastSeq: number;
  firstEvent: number | null;
}

/**
 * Blocks of ids for the new rows of a bulk load, or null to
 * take ids from the sequence. Only for tables whose indexes the load
 * dropped (it holds their lock), and only when the rows' seqs are dense
 * enough that the block wastes at most as many ids as it uses: a row's id
 * follows its seq, so seqs of rejected rows, of rows with records, and of
 * other types' rows interleaved in an NDJSON file leave gaps. A new deal's
 * derived events take two ids (a creation and maybe a close), when the
 * import gives no histories and the events' table is bulk loaded too.
 */
export async function reserveBlocks(session: ImportSession, type: RecordType, newRows: NewRows, locked: ReadonlySet<string>, stagedHistories: boolean): Promise<IdBlocks | null> {
  const { fresh, firstSeq, lastSeq } = newRows;
  const table = recordSpecs[type].table;
  if (fresh === 0 || firstSeq === null || lastSeq === null || !locked.has(table)) return null;
  const span = lastSeq - firstSeq + 1;
  if (span > 2 * fresh) return null;
  const first = await reserveIds(session, table, span);
  if (first === null) return null;
  const events = type === 'deal' && !stagedHistories && locked.has(recordSpecs.deal_stage_event.table);
  const firstEvent = events ? await reserveIds(session, recordSpecs.deal_stage_event.table, 2 * span) : null;
  return { first, firstSeq, lastSeq, firstEvent };
}

/**
 * The INSERT's parameters after its first three for the chunk of seqs
 * `(from, to]`. A chunk's events take two ids for each seq of its part of
 * the block: first its creations, then its closes, each in the deals'
 * order. So ids rise in the order rows are written, and the primary key
 * only ever appends (ids that alternated creation and close split its
 * pages in the middle: a third bigger).
 */
export function blockParams(blocks: IdBlocks | null, from: number, to: number): number[] {
  if (!blocks) return [];
  const { first, firstSeq, lastSeq, firstEvent } = blocks;
  if (firstEvent === null) return [first, firstSeq];
  const low = Math.max(from + 1, firstSeq);
  const seqs = Math.max(0, Math.min(to, lastSeq) - low + 1);
  return [first, firstSeq, firstEvent + 2 * (low - firstSeq), first + (low - firstSeq), seqs];
}
