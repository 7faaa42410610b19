import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createFixture } from '../../src/testing/fixture.js';
import { countStatements, createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';
import { twoTeamsQ1 as spec } from '../support/two-teams-q1.js';

const dashboard = `query Dashboard($start: DateTime!, $end: DateTime!) {
  kpis(keys: ["won_revenue", "win_rate"]) {
    key
    series(range: { start: $start, end: $end }, grain: MONTH, by: TEAM) { start breakdown { label value { exact } } }
    value(period: { start: $start, end: $end }) { exact }
  }
}`;
const q1 = { start: '2025-01-01T00:00:00Z', end: '2025-04-01T00:00:00Z' };
type Dashboard = { kpis: { key: string; value: { exact: string | null }; series: { breakdown: { label: string; value: { exact: string | null } }[] }[] }[] };
const totals = (data: Dashboard) => Object.fromEntries(data.kpis.map((kpi) => [kpi.key, kpi.value.exact]));

describe('the response cache', () => {
  let db: Database;
  let workspaceId: number;
  let admin: TestClient;
  let north: TestClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ workspaceId } = await createFixture(db, spec));
    const cached = { KPI_CACHE: 'true', RESPONSE_CACHE_MB: '8', RATE_LIMIT_PER_MINUTE: '0' };
    admin = createTestClient(db, workspaceId, cached);
    const team = await db.prisma.team.findFirstOrThrow({ where: { workspaceId, name: 'North' } });
    north = createTestClient(db, workspaceId, cached, { teamId: team.id });
  });
  afterAll(async () => {
    await db?.close();
  });

  const ask = async (client: TestClient, query = dashboard, variables: Record<string, unknown> = q1) => {
    const { result, statements } = await countStatements(db, () => client.execute<Dashboard>(query, variables));
    expect(result.errors).toBeUndefined();
    return { data: result.data!, statements: statements.filter((sql) => !/"ApiKey"|FROM "Workspace"/.test(sql)) };
  };

  it('answers a repeated KPI query whole, with one statement (the data version), and the same answer', async () => {
    await admin.key();
    const first = await ask(admin);
    expect(totals(first.data)).toEqual({ won_revenue: '350.3', win_rate: '0.75' });
    const cache = admin.server.responseCache!;
    const before = { ...cache.counters };
    const again = await ask(admin);
    expect(again.data).toEqual(first.data);
    expect(again.statements).toHaveLength(1);
    expect(again.statements[0]).toContain('WorkspaceDataVersion');
    expect(cache.counters.hits - before.hits).toBe(1);
  });

  it('on a miss, the KPI batches share the one version read (no statement more than the cell cache alone)', async () => {
    const other = await ask(admin, dashboard, { start: '2025-02-01T00:00:00Z', end: '2025-04-01T00:00:00Z' });
    expect(totals(other.data)).toEqual({ won_revenue: '250.2', win_rate: '0.66666666666666666667' });
    expect(other.statements.filter((sql) => sql.includes('WorkspaceDataVersion'))).toHaveLength(1);
  });

  it('shows a write to the very next read', async () => {
    const lost = await db.prisma.deal.findFirstOrThrow({ where: { workspaceId, stage: 'LOST' } });
    await db.prisma.deal.update({ where: { id: lost.id }, data: { stage: 'WON', lostReason: null } });
    const after = await ask(admin);
    expect(totals(after.data)).toEqual({ won_revenue: '351.3', win_rate: '1' });
    await db.prisma.deal.update({ where: { id: lost.id }, data: { stage: 'LOST', lostReason: 'price' } });
    expect(totals((await ask(admin)).data)).toEqual({ won_revenue: '350.3', win_rate: '0.75' });
  });

  it('never gives a team-limited key another key’s answer', async () => {
    await north.key();
    const first = await ask(north);
    expect(totals(first.data)).toEqual({ won_revenue: '300.3', win_rate: '0.66666666666666666667' });
    const again = await ask(north);
    expect(again.data).toEqual(first.data);
    expect(again.statements).toHaveLength(1);
  });

  it('does not keep an answer that read the clock (a named period)', async () => {
    const cache = admin.server.responseCache!;
    const named = `{ kpi(key: "won_revenue") { value(period: { named: LAST_QUARTER }) { exact } } }`;
    const before = { ...cache.counters };
    await ask(admin, named, {});
    await ask(admin, named, {});
    expect(cache.counters.hits - before.hits).toBe(0);
    expect(cache.counters.notKept - before.notKept).toBe(2);
  });

  it('does not keep an explanation, which describes the caches as well as the data', async () => {
    const cache = admin.server.responseCache!;
    const explain = `{ kpi(key: "won_revenue") { explain(period: { start: "2025-01-01T00:00:00Z", end: "2025-04-01T00:00:00Z" }) { cells { path } } } }`;
    const before = { ...cache.counters };
    const result = await admin.execute(explain);
    expect(result.errors).toBeUndefined();
    expect(cache.counters.notKept - before.notKept).toBe(1);
  });

  it('leaves queries of records alone', async () => {
    const cache = admin.server.responseCache!;
    const before = { ...cache.counters };
    const result = await admin.execute(`{ kpis(keys: ["won_revenue"]) { key } deals(first: 1) { totalCount } }`);
    expect(result.errors).toBeUndefined();
    expect(cache.counters).toEqual(before);
  });

  it('gives a run-time KPI’s new formula after updateKpi', async () => {
    const define = `mutation { defineKpi(input: { key: "won_twice", name: "Won twice", description: "Won revenue, doubled.", unit: MONEY, direction: HIGHER, formula: "won_revenue * 2" }) { key } }`;
    const update = `mutation { updateKpi(input: { key: "won_twice", formula: "won_revenue * 3" }) { key } }`;
    const value = `query V($start: DateTime!, $end: DateTime!) { kpi(key: "won_twice") { value(period: { start: $start, end: $end }) { exact } } }`;
    expect((await admin.execute(define)).errors).toBeUndefined();
    const read = async () => ((await ask(admin, value)).data as unknown as { kpi: { value: { exact: string } } }).kpi.value.exact;
    expect(await read()).toBe('700.6');
    expect(await read()).toBe('700.6');
    expect((await admin.execute(update)).errors).toBeUndefined();
    expect(await read()).toBe('1050.9');
  });
});
