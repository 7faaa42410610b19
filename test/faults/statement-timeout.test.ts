import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { openDatabase } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createFixture } from '../../src/testing/fixture.js';
import type { PgCluster } from '../support/pg-cluster.js';
import { clusterUnavailableReason, startPgCluster } from '../support/pg-cluster.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';
import { customersPageQuery, kpiSeriesQuery, smallWorkspace, year2025 } from './helpers.js';

/**
 * statement_timeout is a PostgreSQL setting (PGlite runs one statement at a
 * time in-process and has no timer to cancel it), so this file runs on a
 * cluster of its own, whatever TEST_DATABASE_URL says.
 */
const unavailable = clusterUnavailableReason();
if (unavailable) console.warn(`Skipping statement-timeout tests: ${unavailable}`);

const POOL_SIZE = 3;
const STATEMENT_TIMEOUT_MS = 200;

describe.skipIf(unavailable !== undefined)('statement timeout', () => {
  let cluster: PgCluster | undefined;
  let db: Database | undefined;
  let client: TestClient;
  let url: string;

  beforeAll(async () => {
    cluster = await startPgCluster();
    url = await cluster.createDatabase('kpigraph');
    db = await openDatabase({
      kind: 'postgres',
      url,
      poolSize: POOL_SIZE,
      connectTimeoutMs: 1_000,
      statementTimeoutMs: STATEMENT_TIMEOUT_MS,
      idleTimeoutMs: 10_000,
    });
    // Migrations take longer than 200 ms per statement at times: a pool of their own.
    const migrator = await openDatabase({ kind: 'postgres', url, poolSize: 1, connectTimeoutMs: 5_000, statementTimeoutMs: 60_000, idleTimeoutMs: 1_000 });
    try {
      await applyMigrations(migrator.adapterFactory);
      const { workspaceId } = await createFixture(migrator, smallWorkspace());
      client = createTestClient(db, workspaceId);
      await client.key();
    } finally {
      await migrator.close();
    }
  });

  afterAll(async () => {
    await db?.close().catch(() => undefined);
    await cluster?.destroy();
  });

  it('cancels slow SQL on db.query and through Prisma with a clear error, then serves more queries than the pool holds', async () => {
    const database = db!;
    // Twice the pool: the second wave waits for connections the first wave's cancellations free.
    const started = performance.now();
    const slow = await Promise.allSettled(Array.from({ length: POOL_SIZE * 2 }, () => database.query('SELECT pg_sleep(5)')));
    const rawMs = performance.now() - started;
    for (const outcome of slow) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason as Error & { code?: string };
      expect(reason.code).toBe('57014'); // query_canceled
      expect(reason.message).toMatch(/statement timeout/);
    }
    // Two waves of 200 ms each, far from the 5 s the statement asked for.
    expect(rawMs).toBeLessThan(2_000);

    const prismaStarted = performance.now();
    const prismaSlow = await Promise.allSettled(Array.from({ length: POOL_SIZE * 2 }, () => database.prisma.$queryRaw`SELECT pg_sleep(5)`));
    const prismaMs = performance.now() - prismaStarted;
    for (const outcome of prismaSlow) {
      expect(outcome.status).toBe('rejected');
      expect(String((outcome as PromiseRejectedResult).reason)).toMatch(/statement timeout/);
    }
    expect(prismaMs).toBeLessThan(2_000);

    const raw = await Promise.all(Array.from({ length: POOL_SIZE * 10 }, (_, i) => database.query<{ n: number }>('SELECT $1::int AS n', [i])));
    expect(raw.map((result) => result.rows[0]!.n)).toEqual(Array.from({ length: POOL_SIZE * 10 }, (_, i) => i));
    const counts = await Promise.all(Array.from({ length: POOL_SIZE * 10 }, () => database.prisma.customer.count()));
    expect(new Set(counts)).toEqual(new Set([12]));
    expect(await database.isReady()).toBe(true);
    console.log(`statement timeout ${STATEMENT_TIMEOUT_MS} ms, pool ${POOL_SIZE}: ${POOL_SIZE * 2} slow raw queries failed in ${Math.round(rawMs)} ms, through Prisma in ${Math.round(prismaMs)} ms`);
  });

  it('turns a GraphQL read stuck behind a lock into a masked error at the timeout, and resumes when the lock goes', async () => {
    // Warm caches (key, workspace, plugins) so that only the locked tables are read below.
    const warm = await client.execute(customersPageQuery);
    expect(warm.errors).toBeUndefined();

    // A session of another program holds the tables: real SQL that waits, not a test hook.
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE "Customer", "Deal", "DealDailyRollup" IN ACCESS EXCLUSIVE MODE');
      const started = performance.now();
      const stuck = await Promise.all(
        Array.from({ length: POOL_SIZE * 2 }, (_, i) => (i % 2 ? client.execute(kpiSeriesQuery, year2025) : client.execute(customersPageQuery))),
      );
      const ms = performance.now() - started;
      for (const result of stuck) {
        expect(result.status).toBe(200);
        expect(result.errors?.length ?? 0).toBeGreaterThan(0);
        // Masked: the client learns that it failed, not the SQL or the server's internals.
        for (const error of result.errors ?? []) {
          expect(error.message).toBe('Unexpected error.');
          expect(JSON.stringify(error)).not.toMatch(/statement timeout|pg_|SELECT/);
        }
      }
      expect(ms).toBeLessThan(3_000);
      console.log(`GraphQL requests behind a lock: ${stuck.length} masked errors in ${Math.round(ms)} ms`);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }

    const resumed = await Promise.all(
      Array.from({ length: POOL_SIZE * 4 }, (_, i) => (i % 2 ? client.execute(kpiSeriesQuery, year2025) : client.execute(customersPageQuery))),
    );
    for (const result of resumed) {
      expect(result.errors).toBeUndefined();
      expect(result.status).toBe(200);
    }
  });
});
