import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Database } from '../../src/db/client.js';
import { openDatabase } from '../../src/db/client.js';
import { readDataVersion } from '../../src/db/data-version.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createFixture } from '../../src/testing/fixture.js';
import { waitFor } from '../faults/helpers.js';
import type { PgCluster } from '../support/pg-cluster.js';
import { clusterUnavailableReason, startPgCluster } from '../support/pg-cluster.js';
import type { PgStandby } from '../support/pg-standby.js';
import { startStandby } from '../support/pg-standby.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';

const unavailable = clusterUnavailableReason();
const revenue = `{ kpi(key: "won_revenue") { value(period: { start: "2025-01-01T00:00:00Z", end: "2025-04-01T00:00:00Z" }) { exact } } }`;

describe.skipIf(unavailable)(`KPI reads from a streaming replica${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let primary: PgCluster;
  let standby: PgStandby;
  let db: Database;
  let replicaAdmin: pg.Client;
  let client: TestClient;
  let workspaceId: number;
  let dealId: number;

  beforeAll(async () => {
    primary = await startPgCluster();
    const url = await primary.createDatabase('kpigraph');
    db = await openDatabase({ kind: 'postgres', url, poolSize: 4, connectTimeoutMs: 5_000, statementTimeoutMs: 30_000, idleTimeoutMs: 1_000 });
    await applyMigrations(db.adapterFactory);
    ({ workspaceId } = await createFixture(db, {
      workspace: { timeZone: 'UTC' },
      users: [{ name: 'nora', team: 'North' }],
      customers: [{ name: 'Ann', owner: 'nora', region: 'DE', convertedAt: '2024-11-01T00:00:00Z' }],
      deals: [{ customer: 'Ann', stage: 'WON' as const, amount: '100.10', closedAt: '2025-01-10T00:00:00Z' }],
    }));
    dealId = (await db.prisma.deal.findFirstOrThrow()).id;
    standby = await startStandby(primary);
    replicaAdmin = new pg.Client({ connectionString: standby.url('kpigraph') });
    await replicaAdmin.connect();
    client = createTestClient(db, workspaceId, { DATABASE_REPLICA_URLS: standby.url('kpigraph'), REPLICA_RETRY_MS: '60000' });
    await client.key();
    await waitForReplay();
  }, 180_000);
  afterAll(async () => {
    await replicaAdmin?.end().catch(() => undefined);
    await client?.server.replicas?.close();
    await db?.close();
    await standby?.destroy();
    await primary?.destroy();
  });

  /** Until the replica holds the primary's data version of the workspace. */
  async function waitForReplay(): Promise<void> {
    const version = await readDataVersion(db, workspaceId);
    await waitFor('the replica to replay', async () => (await readDataVersion({ query: async <Row>(sql: string, params?: readonly unknown[]) => ({ rows: (await replicaAdmin.query(sql, [...(params ?? [])])).rows as Row[] }) }, workspaceId)) === version, 30_000);
  }
  const ask = async () => {
    const result = await client.execute<{ kpi: { value: { exact: string } } }>(revenue);
    expect(result.errors).toBeUndefined();
    return result.data!.kpi.value.exact;
  };

  it('computes KPIs on the replica once it has replayed the workspace’s last commit', async () => {
    const before = { ...client.server.replicas!.counters };
    expect(await ask()).toBe('100.1');
    expect(client.server.replicas!.counters.replicaBatches - before.replicaBatches).toBe(1);
  });

  it('reads a write on the primary while the replica has not replayed it, then on the replica again', async () => {
    await replicaAdmin.query('SELECT pg_wal_replay_pause()');
    await db.prisma.deal.update({ where: { id: dealId }, data: { amount: '300.30' } });
    const before = { ...client.server.replicas!.counters };
    expect(await ask()).toBe('300.3');
    expect(client.server.replicas!.counters.behind - before.behind).toBe(1);
    expect(client.server.replicas!.counters.primaryBatches - before.primaryBatches).toBe(1);
    await replicaAdmin.query('SELECT pg_wal_replay_resume()');
    await waitForReplay();
    const caughtUp = { ...client.server.replicas!.counters };
    expect(await ask()).toBe('300.3');
    expect(client.server.replicas!.counters.replicaBatches - caughtUp.replicaBatches).toBe(1);
  });

  it('answers every request of a load right from the primary when the replica stops in the middle of it', async () => {
    await replicaAdmin.end();
    const answers: string[] = [];
    let stopped = false;
    const load = (async () => {
      while (!stopped || answers.length < 40) answers.push(await ask());
    })();
    await waitFor('some answers', async () => answers.length >= 10, 30_000);
    await standby.stop();
    stopped = true;
    await load;
    expect(new Set(answers)).toEqual(new Set(['300.3']));
    expect(client.server.replicas!.counters.failures).toBeGreaterThanOrEqual(1);
    const before = { ...client.server.replicas!.counters };
    expect(await ask()).toBe('300.3');
    // Marked down: the next batches go straight to the primary without trying it.
    expect(client.server.replicas!.counters).toEqual({ ...before, primaryBatches: before.primaryBatches + 1 });
  });
});
