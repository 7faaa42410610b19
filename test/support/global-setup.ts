import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';

/**
 * Migrates one template database per run; each test file then gets its own
 * copy (a PGlite loaded from the dump, or a PostgreSQL database created from
 * the template), so files run in parallel with no shared state.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env['TEST_DATABASE_URL'];
  if (url) {
    const db = await openDatabase({
      kind: 'postgres',
      url,
      poolSize: 2,
      connectTimeoutMs: 5_000,
      statementTimeoutMs: 60_000,
      idleTimeoutMs: 1_000,
    });
    await applyMigrations(db.adapterFactory);
    await db.close();
    project.provide('testDatabase', { kind: 'postgres', templateUrl: url });
    return async () => {
      // Drop the per-file copies that a crashed worker may have left behind.
      const admin = new pg.Client({ connectionString: adminUrl(url) });
      await admin.connect();
      const { rows } = await admin.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE $1",
        [`${databaseName(url)}_t%`],
      );
      for (const row of rows) await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
      await admin.end();
    };
  }
  const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
  await applyMigrations(db.adapterFactory);
  const dump = await db.pglite!.dumpDataDir('none');
  await db.close();
  const dir = path.resolve('tmp');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `test-template-${process.pid}.tar`);
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('testDatabase', { kind: 'pglite', templateFile: file });
  return async () => rm(file, { force: true });
}

export function databaseName(url: string): string {
  return new URL(url).pathname.replace(/^\//, '');
}

export function adminUrl(url: string): string {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  return admin.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabase: { kind: 'pglite'; templateFile: string } | { kind: 'postgres'; templateUrl: string };
  }
}
