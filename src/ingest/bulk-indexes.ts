/**
 * Bulk loads the pg_restore way: when an import brings many new rows
 * compared with what a table holds (an initial load), its secondary indexes
 * are dropped inside the import's transaction and built again after the
 * INSERTs. Building an index sorts the rows once, where maintaining it
 * inserts into the B-tree row by row (with a WAL record each); for a
 * million deals with their derived stage events that is most of the
 * database's work.
 *
 * Guarantees kept: DDL is transactional in PostgreSQL (and PGlite), so a
 * rejection or a failed rebuild rolls the drop back with everything else.
 * Unique indexes are built again as unique: a duplicate fails the build,
 * and with it the import (upsert.ts turns it into an ImportConflictError
 * that names the key), and nothing is written.
 * Indexes that back a constraint (primary keys, unique constraints, keys
 * that foreign keys reference) are never dropped. Definitions come from the
 * live catalog (pg_indexes.indexdef), so a migration that changes an index
 * needs no change here.
 *
 * The price: DROP INDEX takes an ACCESS EXCLUSIVE lock on its table until
 * the import commits, so readers of every workspace wait for it. Hence
 * `never` by default (the API), `auto` for the command line (only tables
 * that hold fewer rows than the import adds, and only for big imports) and
 * `always` on request (`--bulk`).
 */
import type { ImportSession } from './import-session.js';

export type BulkIndexMode = 'never' | 'auto' | 'always';

/** Below this many new rows for a table, `auto` keeps its indexes: the gain is small, the lock is not. */
export const bulkMinimumRows = 10_000;
/** How long to wait for the table lock before giving up, rather than queue every reader behind the import. */
export const bulkLockTimeoutMs = 10_000;

interface DroppedIndex {
  table: string;
  name: string;
  definition: string;
  comment: string | null;
}

/** A bulk load that cannot be done: the table's lock not taken in time, or a table the user does not own. */
export class BulkLoadError extends Error {}

/** Whether `auto` should bulk-load `table` for `incoming` new rows: the table must hold fewer rows than that. */
export async function worthBulkLoading(session: ImportSession, mode: BulkIndexMode, table: string, incoming: number): Promise<boolean> {
  if (mode === 'never' || incoming === 0) return false;
  if (mode === 'auto' && incoming < bulkMinimumRows) return false;
  // Only a table's owner may drop its indexes: an import user with just the
  // right to write rows keeps the indexes (or, asked for --bulk, says why).
  const [owner] = await session.query<{ owns: boolean }>(`SELECT pg_has_role(relowner, 'USAGE') AS owns FROM pg_class WHERE oid = to_regclass($1)`, [`"${table}"`]);
  if (!owner?.owns) {
    if (mode === 'auto') return false;
    throw new BulkLoadError(`A bulk load drops and rebuilds the indexes of "${table}", which only its owner (or a member of the owning role) may do; nothing was written. Import without --bulk.`);
  }
  if (mode === 'always') return true;
  // Counting stops at `incoming` rows: bounded by the import's own size, whatever the table's.
  const [row] = await session.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM "${table}" LIMIT $1) t`, [incoming]);
  return (row?.n ?? 0) < incoming;
}

/**
 * Drops the secondary indexes of `tables` (those that back no constraint)
 * and returns what `rebuildIndexes` needs to build them again.
 */
export async function dropIndexes(session: ImportSession, tables: readonly string[], lockTimeoutMs = bulkLockTimeoutMs): Promise<DroppedIndex[]> {
  const dropped: DroppedIndex[] = [];
  const wait = Math.max(1, Math.round(lockTimeoutMs));
  const waitText = wait % 1000 === 0 ? `${wait / 1000}s` : `${wait}ms`;
  await session.query(`SET LOCAL lock_timeout = ${wait}`);
  for (const table of tables) {
    const indexes = await session.query<{ name: string; definition: string; comment: string | null }>(
      `SELECT format('%I.%I', x.schemaname, x.indexname) AS name, x.indexdef AS definition,
         obj_description(format('%I.%I', x.schemaname, x.indexname)::regclass, 'pg_class') AS comment
       FROM pg_indexes x JOIN pg_class t ON t.oid = to_regclass($1) JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE x.schemaname = n.nspname AND x.tablename = t.relname
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = format('%I.%I', x.schemaname, x.indexname)::regclass)
       ORDER BY x.indexname`,
      [`"${table}"`],
    );
    for (const index of indexes) {
      await session.query(`DROP INDEX ${index.name}`).catch((error: unknown) => {
        if (error instanceof Error && 'code' in error && error.code === '55P03') {
          throw new BulkLoadError(`The bulk load could not lock "${table}" within ${waitText}: other sessions are using it. Nothing was written. Run the import again later, or without the bulk load (--no-bulk).`);
        }
        throw error;
      });
      dropped.push({ table, ...index });
    }
  }
  // Only the drops wait that briefly; the rest of the load keeps the session's setting (none).
  await session.query(`SET LOCAL lock_timeout = 0`);
  return dropped;
}

/**
 * Builds the dropped indexes again, each with its definition and comment.
 * A duplicate key fails the build with PostgreSQL's unique violation (23505,
 * naming the table and the key), which fails the import.
 */
export async function rebuildIndexes(session: ImportSession, dropped: readonly DroppedIndex[], onIndex: (done: number) => void): Promise<void> {
  // PostgreSQL gives a build a parallel worker per 32 MB of this; the default 64 MB allows one,
  // and a second worker shortens a large index's build.
  await session.query(`SET LOCAL maintenance_work_mem = '256MB'`);
  let done = 0;
  for (const index of dropped) {
    await session.query(index.definition);
    if (index.comment !== null) await session.query(`COMMENT ON INDEX ${index.name} IS ${quoteLiteral(index.comment)}`);
    onIndex(++done);
  }
}

function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
