import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createFixture } from '../../src/testing/fixture.js';
import { KpiResultCache } from '../../src/kpi/cache/result-cache.js';
import { countStatements, createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';

/** Q1 2025 (UTC): two deals won, 100.10 and 200.20, one lost; one more won in April. */
const spec = {
  workspace: { timeZone: 'UTC' },
  users: [{ name: 'nora', team: 'North' }],
  customers: [{ name: 'Ann', owner: 'nora', region: 'DE', convertedAt: '2024-11-01T00:00:00Z' }],
  deals: [
    { customer: 'Ann', stage: 'WON' as const, amount: '100.10', closedAt: '2025-01-10T00:00:00Z' },
    { customer: 'Ann', stage: 'WON' as const, amount: '200.20', closedAt: '2025-02-10T00:00:00Z' },
    { customer: 'Ann', stage: 'LOST' as const, amount: '1.00', closedAt: '2025-03-10T00:00:00Z', lostReason: 'price' },
    { customer: 'Ann', stage: 'WON' as const, amount: '7.00', closedAt: '2025-04-10T00:00:00Z' },
  ],
};

const dashboard = `{
  revenue: kpi(key: "won_revenue") { value(period: { start: "2025-01-01T00:00:00Z", end: "2025-04-01T00:00:00Z" }) { exact } }
  rate: kpi(key: "win_rate") { value(period: { start: "2025-01-01T00:00:00Z", end: "2025-04-01T00:00:00Z" }) { exact } }
}`;
type Dashboard = { revenue: { value: { exact: string } }; rate: { value: { exact: string } } };

const redisUrl = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

// Redis keys name the database (each test file's is new), so runs sharing the server never meet.
describe('the KPI result cache', () => {
  let db: Database;
  let workspaceId: number;
  let one: TestClient;
  let two: TestClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ workspaceId } = await createFixture(db, spec));
    // Whole answers are kept by the response cache (response-cache.test.ts); here the cells' cache alone.
    const cached = { KPI_CACHE: 'true', RESPONSE_CACHE_MB: '0', REDIS_URL: redisUrl, RATE_LIMIT_PER_MINUTE: '0' };
    one = createTestClient(db, workspaceId, cached);
    two = createTestClient(db, workspaceId, cached);
  });
  afterAll(async () => {
    await one?.server.resultCache?.close();
    await two?.server.resultCache?.close();
    await db?.close();
  });

  const ask = async (client: TestClient) => {
    const { result, statements } = await countStatements(db, () => client.execute<Dashboard>(dashboard));
    expect(result.errors).toBeUndefined();
    return { revenue: result.data!.revenue.value.exact, rate: result.data!.rate.value.exact, statements };
  };

  it('answers a repeated dashboard from memory with one statement (the data version) instead of computing it', async () => {
    await one.key();
    const first = await ask(one);
    expect([first.revenue, first.rate]).toEqual(['300.3', '0.66666666666666666667']);
    expect(first.statements.length).toBeGreaterThan(1);
    const before = { ...one.server.resultCache!.counters };
    const again = await ask(one);
    expect([again.revenue, again.rate]).toEqual([first.revenue, first.rate]);
    expect(again.statements.filter((sql) => sql.includes('WorkspaceDataVersion'))).toHaveLength(1);
    expect(again.statements.filter((sql) => !/ApiKey|Workspace/.test(sql))).toEqual([]);
    expect(one.server.resultCache!.counters.memoryHits - before.memoryHits).toBe(2);
  });

  it('answers another process’s repeated dashboard from Redis', async () => {
    await two.key();
    const before = { ...two.server.resultCache!.counters };
    const shared = await ask(two);
    expect(shared.revenue).toBe('300.3');
    expect(two.server.resultCache!.counters.redisHits - before.redisHits).toBe(2);
    expect(two.server.resultCache!.counters.misses - before.misses).toBe(0);
  });

  it('shows a write to the very next read, in every process', async () => {
    const deal = await db.prisma.deal.findFirstOrThrow({ where: { workspaceId, amount: '7.00' } });
    // Moves the April win into March: Q1 revenue 307.3, 3 of 4 closed deals won.
    await db.prisma.deal.update({ where: { id: deal.id }, data: { closedAt: new Date('2025-03-20T00:00:00Z') } });
    const [fromOne, fromTwo] = [await ask(one), await ask(two)];
    expect([fromOne.revenue, fromOne.rate]).toEqual(['307.3', '0.75']);
    expect([fromTwo.revenue, fromTwo.rate]).toEqual(['307.3', '0.75']);
    expect(one.server.resultCache!.hitRatio()).toBeGreaterThan(0);
  });
});

describe('KpiResultCache', () => {
  it('keeps at most maxEntries cells in memory, dropping the least recently used', async () => {
    const cache = new KpiResultCache({ maxEntries: 2 });
    const cell = (value: string) => new Map([['*', { value: null, reason: { code: 'NO_DATA' as const, message: value } }]]);
    await cache.setMany([['a', cell('a')], ['b', cell('b')]]);
    await cache.getMany(['a']);
    await cache.setMany([['c', cell('c')]]);
    const [a, b, c] = await cache.getMany(['a', 'b', 'c']);
    expect([a?.get('*')?.reason?.message, b, c?.get('*')?.reason?.message]).toEqual(['a', undefined, 'c']);
    expect(cache.memorySize).toBe(2);
    expect(cache.counters).toMatchObject({ memoryHits: 3, misses: 1, stores: 3 });
    await cache.close();
  });

  it('works from memory when Redis cannot be reached, counting the failures', async () => {
    const errors: Error[] = [];
    const cache = new KpiResultCache({ maxEntries: 10, redisUrl: 'redis://127.0.0.1:1', keyPrefix: `t${randomBytes(4).toString('hex')}:`, onRedisError: (e) => errors.push(e) });
    const [missing] = await cache.getMany(['x']);
    expect(missing).toBeUndefined();
    expect(cache.counters.redisErrors).toBe(1);
    expect(errors.length).toBe(1);
    await cache.close();
  });
});
