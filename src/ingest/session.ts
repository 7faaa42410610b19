import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { QueryConfig } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../db/client.js';
import { CopyChunkBlob } from './copy-blob.js';
import type { ImportSession } from './import-session.js';
import { traceRequested, tracedSession } from './trace.js';

/** Thrown by the work to roll back after a dry run or a rejected import, with its result. */
export class Rollback<T> extends Error {
  constructor(readonly result: T) {
    super('rolled back');
  }
}

export interface SessionOptions {
  /** Per statement bound; 0 for none (the command line). */
  statementTimeoutMs: number;
}

/**
 * Runs `work` in one transaction on one session: a PGlite transaction, or a
 * pooled PostgreSQL connection of its own (temp tables live in a session).
 * Throwing `Rollback` rolls back and returns its result.
 */
export async function inTransaction<T>(db: Database, options: SessionOptions, work: (session: ImportSession) => Promise<T>): Promise<T> {
  try {
    if (db.kind === 'pglite' && db.pglite) {
      return await db.pglite.transaction(async (tx) =>
        work({
          query: async <Row>(sql: string, params: readonly unknown[] = []) => (await tx.query<Row>(sql, [...params])).rows,
          // PGlite has no COPY protocol; its /dev/blob device reads the blob given with the statement.
          copyIn: async (target, pieces) => void (await tx.query(`COPY ${target} FROM '/dev/blob'`, [], { blob: new CopyChunkBlob(pieces) })),
        }),
      );
    }
    if (!db.acquireClient) throw new Error('This database offers no session of its own for an import.');
    const client = await db.acquireClient();
    let broken = false;
    try {
      await client.query('BEGIN');
      // The pool's timeout suits API requests; a bulk load sets its own.
      await client.query(`SET LOCAL statement_timeout = ${Math.max(0, Math.floor(options.statementTimeoutMs))}`);
      const session: ImportSession = {
        async query<Row>(sql: string, params: readonly unknown[] = []) {
          // pg's client-side timer (the pool's) would otherwise end a long statement of the load.
          const queryTimeout = options.statementTimeoutMs === 0 ? 24 * 3_600_000 : options.statementTimeoutMs + 2_000;
          const config: QueryConfig & { query_timeout: number } = { text: sql, values: [...params], query_timeout: queryTimeout };
          return (await client.query(config)).rows as Row[];
        },
        copyIn: (target, pieces) => pipeline(Readable.from(pieces), client.query(copyFrom(`COPY ${target} FROM STDIN`))),
      };
      const result = await work(traceRequested() ? await tracedSession(session) : session);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  } catch (error) {
    if (error instanceof Rollback) return error.result as T;
    throw error;
  }
}
