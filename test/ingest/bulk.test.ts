import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { BulkIndexMode } from '../../src/ingest/bulk-indexes.js';
import { bulkMinimumRows, worthBulkLoading } from '../../src/ingest/bulk-indexes.js';
import { Rollback, inTransaction } from '../../src/ingest/session.js';
import { ImportConflictError } from '../../src/ingest/upsert.js';
import { createTestDatabase } from '../support/database.js';
import { counts, createWorkspace, csv, importFiles, tempDir, writeFiles } from './helpers.js';

const users = csv('externalId,name,email', ['u1,Ada Rep,ada@example.com']);
const customers = csv('externalId,name,industry,region,channel,owner,createdAt', ['c1,Acme,software,DE,search,u1,2024-01-10T09:00:00Z', 'c2,Bolt,retail,FR,events,u1,2024-01-11T09:00:00Z']);
const dealHeader = 'externalId,customer,owner,title,amount,stage,productLine,createdAt,closedAt,lostReason';
const deal = (i: number): string => {
  const stage = ['LEAD', 'WON', 'LOST'][i % 3]!;
  const closed = stage === 'LEAD' ? '' : '2024-03-20T12:00:00Z';
  return `d${i},c${1 + (i % 2)},u1,Deal ${i},${i}.50,${stage},core,2024-03-01T00:00:00Z,${closed},${stage === 'LOST' ? 'price' : ''}`;
};
const tables = ['Customer', 'Deal', 'DealStageEvent'];

interface IndexRow {
  name: string;
  definition: string;
  oid: number;
}

describe('bulk loads (indexes dropped and built again)', () => {
  let db: Database;
  let folder: Awaited<ReturnType<typeof tempDir>>;
  const run = async (workspaceId: number, files: Record<string, string>, bulkIndexes: BulkIndexMode, dryRun = false) =>
    importFiles(db, await writeFiles(folder.dir, files), { workspaceId, bulkIndexes, dryRun });
  const indexes = async (): Promise<IndexRow[]> =>
    (
      await db.query<IndexRow>(
        `SELECT indexname AS name, indexdef AS definition, format('%I.%I', schemaname, indexname)::regclass::oid::int AS oid
         FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ANY($1) ORDER BY indexname`,
        [tables],
      )
    ).rows;
  const definitions = (rows: readonly IndexRow[]) => rows.map(({ name, definition }) => ({ name, definition }));
  /** Index names whose oid changed: the ones built again. */
  const rebuilt = (before: readonly IndexRow[], after: readonly IndexRow[]) =>
    after.filter((index) => before.find((old) => old.name === index.name)?.oid !== index.oid).map((index) => index.name);
  /** A workspace's deals and events without ids: what two imports must agree on. */
  const contents = async (workspaceId: number) =>
    (
      await db.query<{ row: string }>(
        `SELECT concat_ws('|', d."externalId", c."externalId", d.title, d.amount, d.stage, d."createdAt", d."closedAt", d."lostReason",
           (SELECT string_agg(h."externalId" || '>' || h."toStage" || '@' || h.at, ',' ORDER BY h."externalId") FROM "DealStageEvent" h WHERE h."dealId" = d.id)) AS row
         FROM "Deal" d JOIN "Customer" c ON c.id = d."customerId" WHERE d."workspaceId" = $1 ORDER BY d."externalId"`,
        [workspaceId],
      )
    ).rows.map((row) => row.row);
  const dealCount = async (workspaceId: number) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Deal" WHERE "workspaceId" = $1`, [workspaceId])).rows[0]!.n;

  beforeAll(async () => {
    db = await createTestDatabase();
    folder = await tempDir();
  });
  afterAll(async () => {
    await folder?.remove();
    await db?.close();
  });

  it('writes what the normal path writes and builds the same indexes again', async () => {
    const files = { 'users.csv': users, 'customers.csv': customers, 'deals.csv': csv(dealHeader, Array.from({ length: 30 }, (_, i) => deal(i + 1))) };
    const normal = await createWorkspace(db);
    const bulk = await createWorkspace(db);
    const plain = await run(normal, files, 'never');
    const before = await indexes();
    const loaded = await run(bulk, files, 'always');
    const after = await indexes();
    expect(counts(loaded)).toEqual(counts(plain));
    expect(loaded.derivedStageEvents).toEqual(plain.derivedStageEvents);
    expect(await contents(bulk)).toEqual(await contents(normal));
    expect(definitions(after)).toEqual(definitions(before));
    // Every secondary index of the written tables was built again; the primary keys stayed.
    expect(rebuilt(before, after).sort()).toEqual(after.map((index) => index.name).filter((name) => !name.endsWith('_pkey')));
    // And the unique ones are unique again: a second import matches rather than copies.
    const again = await run(bulk, files, 'always');
    expect(counts(again)['deal']).toMatchObject({ inserted: 0, updated: 0, unchanged: 30 });
    await expect(db.query(`INSERT INTO "Deal" ("workspaceId", "externalId", "customerId", title, amount, stage, "productLine", "createdAt") SELECT "workspaceId", "externalId", "customerId", title, amount, stage, "productLine", "createdAt" FROM "Deal" WHERE "workspaceId" = $1 LIMIT 1`, [bulk])).rejects.toThrow(/unique/);
  });

  it('rejects a duplicate key found by the rebuilt unique index, writes nothing and keeps the indexes', async () => {
    const workspaceId = await createWorkspace(db);
    await run(workspaceId, { 'users.csv': users, 'customers.csv': customers }, 'never');
    // d1's own history uses the name that d2's derived creation event would get.
    await run(workspaceId, { 'deals.csv': csv(dealHeader, [deal(3)].map((row) => row.replace('d3,', 'd1,'))), 'deal_stage_events.csv': csv('externalId,deal,toStage,at', ['d2#lead,d1,LEAD,2024-03-01T00:00:00Z']) }, 'never');
    const before = await indexes();
    const refused = run(workspaceId, { 'deals.csv': csv(dealHeader, [deal(3).replace('d3,', 'd2,')]) }, 'always');
    await expect(refused).rejects.toThrow(ImportConflictError);
    await expect(refused).rejects.toThrow(/d2#lead.*Give the deal its stage history/s);
    expect(await dealCount(workspaceId)).toBe(1);
    // The drop was rolled back with the rest: the very same indexes, not rebuilt ones.
    expect(await indexes()).toEqual(before);
  });

  it('rolls the index drop back after a dry run', async () => {
    const workspaceId = await createWorkspace(db);
    const before = await indexes();
    const report = await run(workspaceId, { 'users.csv': users, 'customers.csv': customers, 'deals.csv': csv(dealHeader, [deal(1), deal(2)]) }, 'always', true);
    expect(counts(report)['deal']).toMatchObject({ inserted: 2 });
    expect(await dealCount(workspaceId)).toBe(0);
    expect(await indexes()).toEqual(before);
  });

  it('by default (auto) rebuilds only for a big import into a table that holds fewer rows', async () => {
    const workspaceId = await createWorkspace(db);
    await run(workspaceId, { 'users.csv': users, 'customers.csv': customers }, 'auto');
    const start = await indexes();
    // Small: the indexes stay, whatever the table holds.
    await run(workspaceId, { 'deals.csv': csv(dealHeader, [deal(1)]) }, 'auto');
    const small = await indexes();
    expect(rebuilt(start, small)).toEqual([]);
    // Big, and more than the deal table holds (this file's database has a few dozen deals).
    const many = Array.from({ length: bulkMinimumRows }, (_, i) => deal(i + 2));
    await run(workspaceId, { 'deals.csv': csv(dealHeader, many) }, 'auto');
    const big = await indexes();
    expect(rebuilt(small, big).filter((name) => name.startsWith('Customer'))).toEqual([]);
    expect(rebuilt(small, big).filter((name) => name.startsWith('Deal_'))).toContain('Deal_workspaceId_externalId_key');
    expect(await dealCount(workspaceId)).toBe(bulkMinimumRows + 1);
  });

  /** A session of its own, as another writer would have (PostgreSQL only: PGlite has one). */
  const otherWriter = async () => {
    const client = await db.acquireClient!();
    await client.query('BEGIN');
    return client;
  };
  /** Resolves once the import waits for a lock on `table`. */
  const waitingForLock = async (table: string) => {
    for (let i = 0; i < 200; i++) {
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = to_regclass($1)`, [`"${table}"`]);
      if (rows[0]!.n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no session waited for a lock on ${table}`);
  };

  it.runIf(process.env['TEST_DATABASE_URL'])('stops with a conflict when another session writes one of its new records while the drop waits for the table', async () => {
    const workspaceId = await createWorkspace(db, 'UTC');
    // The owners first: the other session's insert reads its owner's team for the customer
    // rollup and so holds "User" too, where an import of users would wait before it marks customers.
    await run(workspaceId, { 'users.csv': users }, 'never');
    const before = await indexes();
    // The other session inserts customer c2 and holds its lock on "Customer" until it commits.
    const other = await otherWriter();
    try {
      await other.query(`INSERT INTO "Customer" ("workspaceId", "externalId", name, industry, region, channel, "createdAt") VALUES ($1, 'c2', 'Bolt', 'retail', 'FR', 'events', now())`, [workspaceId]);
      const files = await writeFiles(folder.dir, { 'customers.csv': customers });
      const imported = importFiles(db, files, { workspaceId, bulkIndexes: 'always' });
      imported.catch(() => undefined);
      await waitingForLock('Customer');
      await other.query('COMMIT');
      await expect(imported).rejects.toThrow(ImportConflictError);
      await expect(imported).rejects.toThrow('(customers "c2") was written outside it while it waited for the table; nothing was written. Run the import again.');
    } finally {
      other.release();
    }
    // The other session's record stays; the import wrote nothing and left the indexes as they were.
    const { rows } = await db.query<{ ext: string }>(`SELECT "externalId" AS ext FROM "Customer" WHERE "workspaceId" = $1 ORDER BY 1`, [workspaceId]);
    expect(rows.map((row) => row.ext)).toEqual(['c2']);
    expect(await indexes()).toEqual(before);
  });

  it.runIf(process.env['TEST_DATABASE_URL'])('gives up after the lock wait when another session keeps the table, and writes nothing', async () => {
    const workspaceId = await createWorkspace(db, 'UTC');
    const before = await indexes();
    const other = await otherWriter();
    try {
      await other.query('LOCK TABLE "Customer" IN ROW EXCLUSIVE MODE');
      const files = await writeFiles(folder.dir, { 'users.csv': users, 'customers.csv': customers });
      const started = Date.now();
      await expect(importFiles(db, files, { workspaceId, bulkIndexes: 'always', bulkLockTimeoutMs: 300 })).rejects.toThrow(
        'The bulk load could not lock "Customer" within 300ms: other sessions are using it. Nothing was written. Run the import again later, or without the bulk load (--no-bulk).',
      );
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await other.query('ROLLBACK');
      other.release();
    }
    expect(await db.query(`SELECT 1 FROM "User" WHERE "workspaceId" = $1`, [workspaceId])).toMatchObject({ rows: [] });
    expect(await indexes()).toEqual(before);
  });

  it('keeps the indexes of a table the importing user does not own, and --bulk says why', async () => {
    await inTransaction(db, { statementTimeoutMs: 0 }, async (session) => {
      expect(await worthBulkLoading(session, 'auto', 'Deal', 5 * bulkMinimumRows)).toBe(true);
      // The role goes with the rollback: nothing is left in a shared cluster.
      await session.query('CREATE ROLE kpigraph_bulk_test_writer');
      await session.query('GRANT SELECT, INSERT, UPDATE ON "Deal" TO kpigraph_bulk_test_writer');
      await session.query('SET LOCAL ROLE kpigraph_bulk_test_writer');
      expect(await worthBulkLoading(session, 'auto', 'Deal', 5 * bulkMinimumRows)).toBe(false);
      await expect(worthBulkLoading(session, 'always', 'Deal', 1)).rejects.toThrow(/"Deal", which only its owner .* may do; nothing was written\. Import without --bulk/);
      throw new Rollback(null);
    });
  });
});
