import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import medianDealSize from '../../plugins/median-deal-size.js';
import medianFirstResponseHours from '../../plugins/median-first-response-hours.js';
import salesCycleP90Days from '../../plugins/sales-cycle-p90-days.js';
import type { Database } from '../../src/db/client.js';
import type { KpiBatchStats } from '../../src/kpi/engine.js';
import { createKpiLoader } from '../../src/kpi/engine.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import { createRegistry } from '../../src/kpi/registry.js';
import { deals, defineKpi, percentile, z } from '../../src/kpi/sdk.js';
import { percentilePositions } from '../../src/kpi/sql/percentile.js';
import { createTestDatabase } from '../support/database.js';
import { evaluator, expectNull, expectValue, month, single } from './helpers.js';

/*
 * March 2024. Won deals (owner, amount, days from creation to close):
 *   Ann 50.05 1 · Ann 100.10 2 · Ann 1000.00 10 · Bob 200.20 3 · Bob 300.30 4
 * A lost deal (Bob, 5.00) and one won in April (Ann, 9.99) are left out.
 * Sorted amounts: 50.05 100.10 200.20 300.30 1000.00 → median 200.20.
 * Sorted days 1 2 3 4 10: the 90th percentile sits at (5 − 1) × 0.9 = 3.6,
 * between 4 (index 3) and 10 (index 4): 4 + 0.6 × 6 = 7.6 days.
 * Ann alone: 50.05 100.10 1000.00 → 100.10; days 1 2 10 → 2 × 0.9 = 1.8: 2 + 0.8 × 8 = 8.4.
 * Bob alone: 200.20 300.30 → 250.25 (interpolated, exact); days 3 4 → 0.9: 3.9.
 *
 * Tickets opened in March with a response after 1, 2, 3 and 10 hours, and
 * one resolved with no response recorded: median (2 + 3) / 2 = 2.5 hours.
 */
let db: Database;
let fixture: Fixture;
const evaluate = evaluator(() => db, () => fixture);
const march = month(2024, 3);
const may = month(2024, 5);
const at = (day: number, hour = 0) => `2024-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;

beforeAll(async () => {
  db = await createTestDatabase();
  const won = (owner: string, amount: string, days: number) => ({ customer: `c-${owner}`, owner, stage: 'WON' as const, amount, createdAt: at(20 - days), closedAt: at(20) });
  fixture = await createFixture(db, {
    users: [{ name: 'Ann', team: 'North' }, { name: 'Bob', team: 'South' }],
    customers: [{ name: 'c-Ann', owner: 'Ann' }, { name: 'c-Bob', owner: 'Bob' }],
    deals: [
      won('Ann', '50.05', 1),
      won('Ann', '100.10', 2),
      won('Ann', '1000.00', 10),
      won('Bob', '200.20', 3),
      won('Bob', '300.30', 4),
      { customer: 'c-Bob', owner: 'Bob', stage: 'LOST', amount: '5.00', createdAt: at(1), closedAt: at(2), lostReason: 'price' },
      { customer: 'c-Ann', owner: 'Ann', stage: 'WON', amount: '9.99', createdAt: at(1), closedAt: '2024-04-02T00:00:00Z' },
    ],
    tickets: [1, 2, 3, 10].map((hours, i) => ({ customer: 'c-Ann', openedAt: at(5 + i, 0), firstResponseAt: at(5 + i, hours) }))
      .concat([{ customer: 'c-Bob', openedAt: at(12), resolvedAt: at(13) } as never]),
  });
});
afterAll(async () => db?.close());

describe('percentile built-ins', () => {
  it('median_deal_size is the middle amount of the deals won, exact, with its sample size', async () => {
    const result = single(await evaluate(medianDealSize, march));
    expectValue(result, '200.2');
    expect(result.sampleSize).toBe(5);
  });

  it('interpolates exactly between the two middle amounts of an even sample, per group', async () => {
    const byTeam = await evaluate(medianDealSize, march, { groupBy: 'owner' });
    expect([...byTeam.values()].map((r) => [r.value?.toFixed(), r.sampleSize]).sort()).toEqual([
      ['100.1', 3],
      ['250.25', 2],
    ]);
  });

  it('sales_cycle_p90_days reads the long tail: 7.6 days, Ann 8.4 and Bob 3.9', async () => {
    expectValue(single(await evaluate(salesCycleP90Days, march)), '7.6');
    const byOwner = await evaluate(salesCycleP90Days, march, { groupBy: 'owner' });
    expect([...byOwner.values()].map((r) => r.value?.toFixed()).sort()).toEqual(['3.9', '8.4']);
  });

  it('median_first_response_hours leaves out tickets without a response', async () => {
    const result = single(await evaluate(medianFirstResponseHours, march));
    expectValue(result, '2.5');
    expect(result.sampleSize).toBe(4);
  });

  it('has no value, with a sample of 0, in a period without rows', async () => {
    const result = single(await evaluate(medianDealSize, may));
    expectNull(result, 'NO_DATA');
    expect(result.sampleSize).toBe(0);
  });
});

describe('the percentile measure', () => {
  it('takes the nearest value when discrete, as percentile_disc does', async () => {
    const discrete = defineKpi({
      ...medianDealSize,
      key: 'median_deal_size_disc',
      inputs: { amount: deals.percentile(0.5, { of: 'amount', time: 'closedAt', where: { stage: 'WON' }, method: 'discrete' }) },
      formula: ({ amount }) => percentile(amount),
      params: z.object({}),
    });
    // Bob's two deals: the first whose cumulative share reaches 0.5 is 200.20.
    const byOwner = await evaluate(discrete, march, { groupBy: 'owner' });
    expect([...byOwner.values()].map((r) => r.value?.toFixed()).sort()).toEqual(['100.1', '200.2']);
  });

  it('computes its positions as percentile_cont and percentile_disc define them', () => {
    expect(percentilePositions(0.5, 4, 'continuous')).toMatchObject({ lower: 1, upper: 2 });
    expect(percentilePositions(0.9, 5, 'continuous').weight.toFixed()).toBe('0.6');
    expect(percentilePositions(0, 3, 'discrete')).toMatchObject({ lower: 0, upper: 0 });
    expect(percentilePositions(1, 3, 'discrete')).toMatchObject({ lower: 2, upper: 2 });
  });

  it('is batched: three percentile KPIs, one grouped, cost one statement per source (deals, tickets)', async () => {
    const batches: KpiBatchStats[] = [];
    const registry = createRegistry([medianDealSize, salesCycleP90Days, medianFirstResponseHours].map((definition) => ({ definition, source: definition.key })));
    const loader = createKpiLoader({ db, workspaceId: fixture.workspaceId, timeZone: 'UTC', registry, options: { onBatch: (stats) => batches.push(stats) } });
    const values = await Promise.all([
      loader.load({ kpiKey: 'median_deal_size', period: march }),
      loader.load({ kpiKey: 'median_deal_size', period: march, groupBy: 'team' }),
      loader.load({ kpiKey: 'sales_cycle_p90_days', period: march }),
      loader.load({ kpiKey: 'median_first_response_hours', period: march }),
    ]);
    expect(values.map((v) => [...v.values()].map((r) => r.value?.toFixed()).sort().join())).toEqual(['200.2', '100.1,250.25', '7.6', '2.5']);
    // deals and tickets.
    expect(batches.map((b) => b.statements)).toEqual([2]);
  });

  it('is refused by the registry with p outside [0, 1]', () => {
    const bad = defineKpi({ ...medianDealSize, key: 'bad_percentile', inputs: { amount: deals.percentile(1.5, { of: 'amount', time: 'closedAt' }) }, formula: ({ amount }) => percentile(amount) });
    expect(() => createRegistry([{ definition: bad, source: 'bad' }])).toThrow('input "amount": percentile p must be a number in [0, 1] (0.5 is the median), not 1.5');
  });
});
