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

export type SqlListener = (event: SqlStatementEvent) => void;

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
  emit(event: SqlStatementEvent): void {
    for (const listener of this.listeners) listener(event);
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
  const report = (query: SqlQuery): void => bus.emit({ sql: query.sql, source: 'prisma' });
  const wrapTransaction = (tx: Transaction): Transaction =>
    new Proxy(tx, {
      get(target, prop, receiver) {
        if (prop === 'queryRaw' || prop === 'executeRaw') {
          return (query: SqlQuery) => {
            report(query);
            return target[prop](query);
          };
        }
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  const wrapAdapter = (adapter: SqlDriverAdapter): SqlDriverAdapter =>
    new Proxy(adapter, {
      get(target, prop, receiver) {
        if (prop === 'queryRaw' || prop === 'executeRaw') {
          return (query: SqlQuery) => {
            report(query);
            return target[prop](query);
          };
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
      bus.emit({ sql, source: 'raw' });
      const result = await pglite.query<Row>(sql, [...params]);
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
      bus.emit({ sql, source: 'raw' });
      const result = await pool.query(sql, [...params]);
      return { rows: result.rows as Row[] };
    },
    onStatement: (listener) => bus.subscribe(listener),
    acquireClient: () => pool.connect(),
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
