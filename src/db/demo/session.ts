import type { QueryConfig } from 'pg';
import type { Database } from '../client.js';

/** Where the generator sends its statements: one session, ideally one transaction. */
export interface LoadSession {
  query<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** Whether the whole load is one transaction (else a failure must clean up). */
export type Atomicity = 'transaction' | 'cleanup';

/** Per statement bound on PostgreSQL; a chunk takes about a second. */
const STATEMENT_TIMEOUT_MS = 10 * 60_000;

/**
 * Runs `work` in one transaction when the database offers a session of its
 * own (PGlite always; PostgreSQL through `acquireClient`), so an interrupted
 * load leaves nothing behind. Otherwise statements go through the pool and
 * the caller must delete what it created on failure.
 */
export async function withLoadSession<T>(db: Database, work: (session: LoadSession, atomicity: Atomicity) => Promise<T>): Promise<T> {
  if (db.kind === 'pglite' && db.pglite) {
    return db.pglite.transaction(async (tx) => {
      const session = serialized({ query: async <Row>(sql: string, params: readonly unknown[] = []) => (await tx.query<Row>(sql, [...params])).rows });
      await skipForeignKeyChecks(session);
      return work(session, 'transaction');
    });
  }
  if (db.acquireClient) {
    const client = await db.acquireClient();
    let broken = false;
    try {
      await client.query('BEGIN');
      // The pool's statement timeout suits API requests, not a bulk load.
      await client.query('SET LOCAL statement_timeout = 0');
      const session: LoadSession = serialized({
        async query<Row>(sql: string, params: readonly unknown[] = []) {
          // pg starts its client-side timer when a statement is queued, and
          // the generator queues the next chunk while one is running.
          const config: QueryConfig & { query_timeout: number } = { text: sql, values: [...params], query_timeout: STATEMENT_TIMEOUT_MS };
          return (await client.query(config)).rows as Row[];
        },
      });
      await skipForeignKeyChecks(session);
      const result = await work(session, 'transaction');
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
  }
  return work(serialized({ query: async <Row>(sql: string, params: readonly unknown[] = []) => (await db.query<Row>(sql, params)).rows }), 'cleanup');
}

/**
 * Inside the load's transaction, and only for a superuser, turns off the
 * triggers that check foreign keys row by row (what `pg_restore
 * --disable-triggers` does): they are a large share of the load, and every
 * reference the generator writes points at a row it wrote itself or at the
 * workspace it created (the tests check that no reference dangles). `LOCAL`
 * ends with the transaction, so the pooled connection comes back unchanged;
 * without the privilege, the checks simply run.
 */
async function skipForeignKeyChecks(session: LoadSession): Promise<void> {
  const [role] = await session.query<{ superuser: boolean }>(`SELECT current_setting('is_superuser') = 'on' AS superuser`);
  if (role?.superuser) await session.query('SET LOCAL session_replication_role = replica');
}

/**
 * One statement at a time, in the order asked: the generator queues the next
 * chunk while one runs, and neither a PGlite transaction nor a pooled load
 * (whose chunks reference each other's rows) may run them side by side.
 */
function serialized(inner: LoadSession): LoadSession {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    query<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]> {
      const result = tail.then(() => inner.query<Row>(sql, params));
      tail = result.catch(() => undefined);
      return result;
    },
  };
}

/**
 * Hands out ids reserved from a table's sequence in blocks. Child rows need
 * their parents' ids before anything is inserted, and taking them from the
 * sequence (not max(id) + 1) stays correct while other sessions insert too.
 */
export class IdPool {
  private ids: number[] = [];
  private next = 0;

  constructor(private readonly session: LoadSession, private readonly table: string, private readonly block = 25_000) {}

  async take(count: number): Promise<number[]> {
    if (this.ids.length - this.next < count) {
      const wanted = Math.max(count, this.block);
      const rows = await this.session.query<{ ids: number[] }>(
        `SELECT array_agg(v ORDER BY v) AS ids FROM (SELECT nextval(pg_get_serial_sequence('"${this.table}"', 'id'))::int AS v FROM generate_series(1, $1)) s`,
        [wanted],
      );
      this.ids = [...this.ids.slice(this.next), ...rows[0]!.ids];
      this.next = 0;
    }
    const taken = this.ids.slice(this.next, this.next + count);
    this.next += count;
    return taken;
  }
}
