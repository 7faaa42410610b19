import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { openDatabase } from '../../src/db/client.js';
import { adminUrl, databaseName } from './global-setup.js';

/**
 * A fresh, migrated, empty database of the kind this run tests (PGlite in
 * memory by default; PostgreSQL when TEST_DATABASE_URL is set). Close it in
 * `afterAll`.
 */
export async function createTestDatabase(): Promise<Database> {
  const target = inject('testDatabase');
  if (target.kind === 'pglite') {
    const tar = await readFile(target.templateFile);
    return openDatabase({ kind: 'pglite', dataDir: 'memory://', loadDataDir: new Blob([tar]) });
  }
  const template = databaseName(target.templateUrl);
  const name = `${template}_t${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl(target.templateUrl) });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(target.templateUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({
    kind: 'postgres',
    url: url.toString(),
    poolSize: 5,
    connectTimeoutMs: 5_000,
    statementTimeoutMs: 30_000,
    idleTimeoutMs: 1_000,
  });
  const close = db.close.bind(db);
  return Object.assign(db, {
    async close() {
      await close();
      const dropper = new pg.Client({ connectionString: adminUrl(target.templateUrl) });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    },
  });
}

/** Counts the SQL statements sent while `work` runs. */
export async function countStatements<T>(db: Database, work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const stop = db.onStatement((event) => statements.push(event.sql));
  try {
    const result = await work();
    return { result, statements };
  } finally {
    stop();
  }
}
