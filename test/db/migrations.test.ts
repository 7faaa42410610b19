import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCatalog } from '../../src/db/catalog.js';
import type { Database } from '../../src/db/client.js';
import { openDatabase } from '../../src/db/client.js';
import { applyMigrations, diffDatabaseToSchema, isEmptyMigration } from '../../src/db/migrate.js';
import { createTestDatabase } from '../support/database.js';

describe('migrations', () => {
  let db: Database;
  let embedded: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
    // The engine's introspection runs through the PGlite adapter (the pg
    // adapter cannot read pg_catalog's "char" columns), so the reference is
    // a fresh embedded database migrated here.
    embedded = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
    await applyMigrations(embedded.adapterFactory);
  });
  afterAll(async () => {
    await db.close();
    await embedded.close();
  });

  it('give exactly the database that schema.prisma describes (the engine diff is empty)', async () => {
    const sql = await diffDatabaseToSchema(embedded.adapterFactory);
    expect(sql.trim()).toBe('-- This is an empty migration.');
    expect(isEmptyMigration(sql)).toBe(true);
  });

  it('build the same tables, columns, indexes, constraints and enums on this run’s database', async () => {
    expect(await describeCatalog(db)).toEqual(await describeCatalog(embedded));
  });

  it('are applied once: a second run applies nothing', async () => {
    expect(await applyMigrations(embedded.adapterFactory)).toEqual([]);
  });

  it('record themselves in _prisma_migrations, so Prisma’s own CLI can take over', async () => {
    const { rows } = await db.query<{ migration_name: string; finished: boolean }>(
      'SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.finished)).toBe(true);
  });

  it('store money as numeric, never as a float', async () => {
    const { rows } = await db.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = current_schema() AND column_name IN ('amount', 'target', 'baseline')`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(6);
    for (const row of rows) expect(row.data_type, `${row.table_name}.${row.column_name}`).toBe('numeric');
  });

  it('give every externalId column the bytewise "C" collation, so its unique index sorts with memcmp', async () => {
    const { rows } = await db.query<{ table_name: string; collation_name: string | null }>(
      `SELECT table_name, collation_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND column_name = 'externalId' ORDER BY table_name`,
    );
    expect(rows.map((row) => row.table_name)).toEqual([
      'Activity', 'Campaign', 'Customer', 'Deal', 'DealStageEvent', 'LedgerEntry', 'Payment', 'Spend', 'SurveyResponse', 'Team', 'Ticket', 'User',
    ]);
    for (const row of rows) expect(row.collation_name, row.table_name).toBe('C');
  });
});
