import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dealVelocity from '../../examples/partner-plugin/deal-velocity.js';
import type { Database } from '../../src/db/client.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import { evaluateKpi } from '../../src/testing/testkit.js';
import type { KpiResult, TimeRange } from '../../src/kpi/types.js';
import { createKpiRegistry } from '../../src/kpi/kpi-plugins.js';
import { createTestDatabase } from '../support/database.js';

/*
 * A workspace in Europe/Berlin. March 2024 there is
 * [2024-02-29T23:00Z, 2024-03-31T22:00Z): CET (+1) at its start, CEST (+2) at its end.
 *
 * deal customer owner stage amount   createdAt          closedAt
 * v1   Acme     Ann   WON   3000.00  2024-02-19T23:00Z  2024-02-29T23:00Z  10 days; closed at Berlin's March 1, 00:00
 * v2   Bolt     Bob   WON   1500.50  2024-03-01T00:00Z  2024-03-21T00:00Z  20 days
 * v3   Bolt     Bob   WON    999.00  2024-03-01T00:00Z  2024-03-31T22:00Z  Berlin's April 1, 00:00: April
 * v4   Acme     Ann   LOST  5000.00  2024-03-01T00:00Z  2024-03-10T00:00Z  lost: ignored
 * v5   Acme     Ann   WON    100.00  2024-05-10T09:00Z  2024-05-10T09:00Z  won the instant it was created
 *
 * March: revenue 3000.00 + 1500.50 = 4500.50; mean cycle (10 + 20) / 2 = 15 days;
 * velocity 4500.50 / 15 = 300.0333… a day, and × 30 = 9001 per 30 days.
 */
const berlinMarch: TimeRange = { start: new Date('2024-02-29T23:00:00Z'), end: new Date('2024-03-31T22:00:00Z') };
const berlinFebruary: TimeRange = { start: new Date('2024-01-31T23:00:00Z'), end: new Date('2024-02-29T23:00:00Z') };
const berlinMay: TimeRange = { start: new Date('2024-04-30T22:00:00Z'), end: new Date('2024-05-31T22:00:00Z') };

let db: Database;
let fx: Fixture;

beforeAll(async () => {
  db = await createTestDatabase();
  fx = await createFixture(db, {
    workspace: { timeZone: 'Europe/Berlin' },
    users: [
      { name: 'Ann', team: 'North' },
      { name: 'Bob', team: 'South' },
    ],
    customers: [
      { name: 'Acme', owner: 'Ann', region: 'DE' },
      { name: 'Bolt', owner: 'Bob', region: 'AT' },
    ],
    deals: [
      { name: 'v1', customer: 'Acme', stage: 'WON', amount: '3000.00', createdAt: '2024-02-19T23:00:00Z', closedAt: '2024-02-29T23:00:00Z' },
      { name: 'v2', customer: 'Bolt', stage: 'WON', amount: '1500.50', createdAt: '2024-03-01T00:00:00Z', closedAt: '2024-03-21T00:00:00Z' },
      { name: 'v3', customer: 'Bolt', stage: 'WON', amount: '999.00', createdAt: '2024-03-01T00:00:00Z', closedAt: '2024-03-31T22:00:00Z' },
      { name: 'v4', customer: 'Acme', stage: 'LOST', amount: '5000.00', createdAt: '2024-03-01T00:00:00Z', closedAt: '2024-03-10T00:00:00Z' },
      { name: 'v5', customer: 'Acme', stage: 'WON', amount: '100.00', createdAt: '2024-05-10T09:00:00Z', closedAt: '2024-05-10T09:00:00Z' },
    ],
  });
});

afterAll(async () => {
  await db?.close();
});

async function velocity(period: TimeRange, cell: { params?: Record<string, unknown>; filter?: Record<string, string[]>; groupBy?: 'team' } = {}): Promise<ReadonlyMap<string, KpiResult>> {
  return evaluateKpi(db, fx.scope, dealVelocity, { period, ...cell });
}

describe('deal_velocity (the partner example)', () => {
  it('divides won revenue by the mean cycle, in the workspace\'s months', async () => {
    const result = (await velocity(berlinMarch)).get('*');
    expect(result?.value?.toDecimalPlaces(10).toString()).toBe('300.0333333333');
    expect((await velocity(berlinMarch, { params: { perDays: 30 } })).get('*')?.value?.toString()).toBe('9001');
  });

  it('filters by region and breaks down by team', async () => {
    // DE (Acme): v1 3000.00 / 10 days = 300.
    expect((await velocity(berlinMarch, { filter: { region: ['DE'] } })).get('*')?.value?.toString()).toBe('300');
    // North (Ann): v1 → 300. South (Bob): v2 1500.50 / 20 = 75.025.
    const byTeam = await velocity(berlinMarch, { groupBy: 'team' });
    expect(byTeam.get(String(fx.ids.teams['North']))?.value?.toString()).toBe('300');
    expect(byTeam.get(String(fx.ids.teams['South']))?.value?.toString()).toBe('75.025');
  });

  it('has no value without won deals, or with a zero mean cycle', async () => {
    const february = (await velocity(berlinFebruary)).get('*');
    expect(february?.value).toBeNull();
    expect(february?.reason?.code).toBe('ZERO_DENOMINATOR');
    const may = (await velocity(berlinMay)).get('*');
    expect(may?.value).toBeNull();
    expect(may?.reason?.message).toContain('mean sales cycle');
  });

  it('validates its parameter', async () => {
    await expect(velocity(berlinMarch, { params: { perDays: 0 } })).rejects.toThrow(/perDays/);
  });

  it('registers beside the built-ins when named in KPI_PLUGINS', async () => {
    const registry = await createKpiRegistry(['./examples/partner-plugin/deal-velocity.ts']);
    expect(registry.get('deal_velocity')?.name).toBe('Deal velocity');
    expect(registry.sourceOf('deal_velocity')).toBe('./examples/partner-plugin/deal-velocity.ts');
    expect(registry.get('win_rate')).toBeDefined();
  });
});
