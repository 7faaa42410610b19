import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import { lockDataDir } from './data-dir-lock.js';

export type DatabaseKind = 'pglite' | 'postgres';

/** One SQL statement, as seen by the statement counter. */
export interface SqlStatementEvent {
  sql: string;
  source: 'prisma' | 'raw';
}

/** Told when a statement has finished, with its error if it failed. */
export type SqlStatementEnd = (error?: unknown) => void;

/**
 * Told of each statement as it is sent. A listener that needs its duration
 * (metrics, tracing) returns a function, called once the statement ends.
 */
export type SqlListener = (event: SqlStatementEvent) => unknown;

/** Connections of a PostgreSQL pool, for metrics. */
export interface PoolStats {
  /** Open connections, busy or idle. */
  total: number;
  idle: number;
  /** Callers waiting for a connection. */
  waiting: number;
  max: number;
}

export interface SqlResult<Row> {
  rows: Row[];
}

/**
 * A connection to the CRM database, embedded or PostgreSQL: a Prisma client
 * for the data model, a raw parameterised query for the KPI engine, and a
 * statement listener that tests use to prove batching.
 */
export interface Database {
  readonly kind: DatabaseKind;
  /** The embedded engine itself, when the database is PGlite. */
  readonly pglite?: PGlite;
  readonly prisma: PrismaClient;
  /** The adapter factory, for the migration engine. */
  readonly adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** Runs one parameterised statement (values as `$1…`, never interpolated). */
  query<Row>(sql: string, params?: readonly unknown[]): Promise<SqlResult<Row>>;
  /** Subscribes to every statement sent; returns the unsubscribe function. */
  onStatement(listener: SqlListener): () => void;
  /** The pool's connections now (PostgreSQL only; undefined once closed). */
  poolStats?(): PoolStats | undefined;
  /**
   * A pooled connection of its own, for work that needs one session (a bulk
   * load in one transaction). PostgreSQL only; call `release()` when done.
   */
  acquireClient?(): Promise<pg.PoolClient>;
  /** Pings the database; false when it cannot answer. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

export interface PostgresOptions {
  url: string;
  poolSize: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  idleTimeoutMs: number;
}

export type DatabaseOptions =
  | { kind: 'pglite'; dataDir: string; /** A tarball from `dumpDataDir`, e.g. a migrated template. */ loadDataDir?: Blob }
  | ({ kind: 'postgres' } & PostgresOptions);

class StatementBus {
  private readonly listeners = new Set<SqlListener>();
  /** Reports a statement; returns what to call when it ends, if a listener asked. */
  emit(event: SqlStatementEvent): SqlStatementEnd | undefined {
    let ends: SqlStatementEnd[] | undefined;
    for (const listener of this.listeners) {
      const end = listener(event);
      if (typeof end === 'function') (ends ??= []).push(end as SqlStatementEnd);
    }
    if (!ends) return undefined;
    const all = ends;
    return (error) => {
      for (const end of all) end(error);
    };
  }
  /** Runs one statement, reporting it and, to listeners that asked, its end. */
  async run<T>(event: SqlStatementEvent, send: () => Promise<T>): Promise<T> {
    const end = this.emit(event);
    if (!end) return send();
    try {
      const result = await send();
      end();
      return result;
    } catch (error) {
      end(error);
      throw error;
    }
  }
  subscribe(listener: SqlListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Wraps a driver adapter so that every statement Prisma sends is reported. */
function countingFactory(
  inner: SqlMigrationAwareDriverAdapterFactory,
  bus: StatementBus,
  runScript?: (script: string) => Promise<void>,
): SqlMigrationAwareDriverAdapterFactory {
  const report = <T>(query: SqlQuery, send: () => Promise<T>): Promise<T> => bus.run({ sql: query.sql, source: 'prisma' }, send);
  const wrapTransaction = (tx: Transaction): Transaction =>
    new Proxy(tx, {
      get(target, prop, receiver) {
        if (prop === 'queryRaw' || prop === 'executeRaw') {
          return (query: SqlQuery) => report<unknown>(query, () => target[prop](query));
        }
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  const wrapAdapter = (adapter: SqlDriverAdapter): SqlDriverAdapter =>
    new Proxy(adapter, {
      get(target, prop, receiver) {
        if (prop === 'queryRaw' || prop === 'executeRaw') {
          return (query: SqlQuery) => report<unknown>(query, () => target[prop](query));
        }
        if (prop === 'startTransaction') {
          return async (...args: Parameters<SqlDriverAdapter['startTransaction']>) =>
            wrapTransaction(await target.startTransaction(...args));
        }
        if (prop === 'executeScript' && runScript) return runScript;
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => wrapAdapter(await inner.connect()),
    connectToShadowDb: async () => wrapAdapter(await inner.connectToShadowDb()),
  };
}

async function openPglite(dataDir: string, bus: StatementBus, loadDataDir?: Blob): Promise<Database> {
  const inMemory = dataDir === 'memory://' || dataDir === '';
  if (!inMemory) await mkdir(dataDir, { recursive: true });
  // One process per folder: a second PGlite on the same files would corrupt them.
  const unlock = inMemory ? async () => undefined : await lockDataDir(dataDir);
  const pglite = new PGlite({ ...(inMemory ? {} : { dataDir }), ...(loadDataDir ? { loadDataDir } : {}) });
  try {
    await pglite.waitReady;
  } catch (error) {
    await unlock();
    throw error;
  }
  const adapterFactory = countingFactory(new PrismaPGlite(pglite), bus);
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    kind: 'pglite',
    pglite,
    prisma,
    adapterFactory,
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await bus.run({ sql, source: 'raw' }, () => pglite.query<Row>(sql, [...params]));
      return { rows: result.rows };
    },
    onStatement: (listener) => bus.subscribe(listener),
    isReady: async () => !pglite.closed,
    async close() {
      await prisma.$disconnect();
      if (!pglite.closed) await pglite.close();
      await unlock();
    },
  };
}

async function openPostgres(options: PostgresOptions, bus: StatementBus): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs,
    idleTimeoutMillis: options.idleTimeoutMs,
    statement_timeout: options.statementTimeoutMs,
    // A client-side bound too, for when the server itself stops answering.
    query_timeout: options.statementTimeoutMs + 2_000,
    application_name: 'kpigraph',
    // KPI statements are short aggregates; JIT compiling them costs more than it saves.
    options: '-c jit=off',
  });
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => undefined);
  // PrismaPg splits a migration script at every semicolon, which breaks function
  // bodies; PostgreSQL's simple query protocol runs the whole script at once.
  const runScript = async (script: string): Promise<void> => {
    await pool.query(script);
  };
  const adapterFactory = countingFactory(new PrismaPg(pool), bus, runScript);
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    kind: 'postgres',
    prisma,
    adapterFactory,
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await bus.run({ sql, source: 'raw' }, () => pool.query(sql, [...params]));
      return { rows: result.rows as Row[] };
    },
    onStatement: (listener) => bus.subscribe(listener),
    acquireClient: () => pool.connect(),
    poolStats: () => (pool.ending ? undefined : { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: options.poolSize }),
    async isReady() {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const bus = new StatementBus();
  return options.kind === 'pglite' ? openPglite(options.dataDir, bus, options.loadDataDir) : openPostgres(options, bus);
}
