import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import avgDealSize from '../../plugins/avg-deal-size.js';
import crossSellRatio from '../../plugins/cross-sell-ratio.js';
import openDeals from '../../plugins/open-deals.js';
import pipelineValue from '../../plugins/pipeline-value.js';
import salesCycleDays from '../../plugins/sales-cycle-days.js';
import winRate from '../../plugins/win-rate.js';
import wonRevenue from '../../plugins/won-revenue.js';
import { createTestDatabase } from '../support/database.js';
import { evaluator, expectNull, expectRounded, expectValue, month, single } from './helpers.js';

/*
 * Teams: North (Ann), South (Bob). Customers: k1 (Ann, DE), k2 (Bob, FR),
 * k3 (Bob, DE); a deal's owner is its customer's owner.
 *
 * deal  customer stage           type        amount    createdAt         closedAt
 * w1    k1       WON             NEW         1000.10   03-01T00:00       03-11T12:00   10.5 days
 * w2    k1       WON             UPSELL      0.20      02-20T00:00       03-01T00:00   10 days (2024 is a leap year; closed exactly at March's start)
 * w3    k2       WON             CROSS_SELL  2000.00   01-01T00:00       03-31T00:00   90 days (31 + 29 + 30)
 * l1    k2       LOST            NEW         300.00    02-01T00:00       03-05
 * l2    k3       LOST            NEW         400.00    02-15T00:00       03-20
 * w4    k3       WON             NEW         700.00    03-10T00:00       04-01T00:00   22 days (closed exactly at March's end: April)
 * o1    k1       PROPOSAL        NEW         250.50    03-15             —
 * o2    k3       NEEDS_ANALYSIS  RENEWAL     100.00    03-31T23:59:59.999 —
 * o3    k2       LEAD            NEW         50.00     04-01T00:00       —
 */
const at = (iso: string): string => `2024-${iso}${iso.includes('T') ? 'Z' : 'T12:00:00Z'}`;

let db: Database;
let fx: Fixture;
const evaluate = evaluator(() => db, () => fx);
const january = month(2024, 1);
const march = month(2024, 3);
const april = month(2024, 4);
const december2023 = month(2023, 12);

beforeAll(async () => {
  db = await createTestDatabase();
  fx = await createFixture(db, {
    users: [
      { name: 'Ann', team: 'North' },
      { name: 'Bob', team: 'South' },
    ],
    customers: [
      { name: 'k1', owner: 'Ann', region: 'DE' },
      { name: 'k2', owner: 'Bob', region: 'FR' },
      { name: 'k3', owner: 'Bob', region: 'DE' },
    ],
    deals: [
      { name: 'w1', customer: 'k1', stage: 'WON', type: 'NEW', amount: '1000.10', createdAt: at('03-01T00:00:00'), closedAt: at('03-11T12:00:00') },
      { name: 'w2', customer: 'k1', stage: 'WON', type: 'UPSELL', amount: '0.20', createdAt: at('02-20T00:00:00'), closedAt: at('03-01T00:00:00') },
      { name: 'w3', customer: 'k2', stage: 'WON', type: 'CROSS_SELL', amount: '2000.00', createdAt: at('01-01T00:00:00'), closedAt: at('03-31T00:00:00') },
      { name: 'l1', customer: 'k2', stage: 'LOST', amount: '300.00', createdAt: at('02-01T00:00:00'), closedAt: at('03-05') },
      { name: 'l2', customer: 'k3', stage: 'LOST', amount: '400.00', createdAt: at('02-15T00:00:00'), closedAt: at('03-20') },
      { name: 'w4', customer: 'k3', stage: 'WON', amount: '700.00', createdAt: at('03-10T00:00:00'), closedAt: at('04-01T00:00:00') },
      { name: 'o1', customer: 'k1', stage: 'PROPOSAL', amount: '250.50', createdAt: at('03-15') },
      { name: 'o2', customer: 'k3', stage: 'NEEDS_ANALYSIS', type: 'RENEWAL', amount: '100.00', createdAt: at('03-31T23:59:59.999') },
      { name: 'o3', customer: 'k2', stage: 'LEAD', amount: '50.00', createdAt: at('04-01T00:00:00') },
    ],
  });
});

afterAll(async () => {
  await db?.close();
});

const north = (): string => String(fx.ids.teams['North']);
const south = (): string => String(fx.ids.teams['South']);

describe('won_revenue', () => {
  it('sums won deals closed in the period, exactly', async () => {
    // March: w1 1000.10 + w2 0.20 + w3 2000.00 = 3000.30 (w4 closed at the end).
    expectValue(single(await evaluate(wonRevenue, march)), '3000.3');
    expectValue(single(await evaluate(wonRevenue, april)), '700');
    expectValue(single(await evaluate(wonRevenue, january)), 0);
  });

  it('filters by region', async () => {
    // DE won in March: w1, w2 (k1) = 1000.30.
    expectValue(single(await evaluate(wonRevenue, march, { filter: { region: ['DE'] } })), '1000.3');
  });
});

describe('win_rate', () => {
  it('divides deals won by deals closed', async () => {
    // March: won w1, w2, w3 = 3; closed = 3 + lost l1, l2 = 5. 3 / 5.
    const result = single(await evaluate(winRate, march));
    expectValue(result, '0.6');
    expect(result.sampleSize).toBe(5);
    // April: w4 won, nothing lost: 1.
    expectValue(single(await evaluate(winRate, april)), 1);
  });

  it('has no value when nothing closed', async () => {
    expectNull(single(await evaluate(winRate, january)));
  });

  it('filters by region and breaks down by team', async () => {
    // DE: won w1, w2; closed also l2 (k3). 2 / 3.
    expectRounded(single(await evaluate(winRate, march, { filter: { region: ['DE'] } })), '0.6666666667');
    // North (Ann, k1): w1, w2 won, none lost = 1. South (Bob, k2, k3): w3 won; l1, l2 lost = 1/3.
    const byTeam = await evaluate(winRate, march, { groupBy: 'team' });
    expectValue(byTeam.get(north()), 1);
    expectRounded(byTeam.get(south()), '0.3333333333');
  });
});

describe('avg_deal_size', () => {
  it('divides won revenue by deals won', async () => {
    // March: 3000.30 / 3 = 1000.10.
    expectValue(single(await evaluate(avgDealSize, march)), '1000.1');
    // By team: North 1000.30 / 2 = 500.15; South 2000.00 / 1.
    const byTeam = await evaluate(avgDealSize, march, { groupBy: 'team' });
    expectValue(byTeam.get(north()), '500.15');
    expectValue(byTeam.get(south()), '2000');
  });

  it('has no value without won deals', async () => {
    expectNull(single(await evaluate(avgDealSize, january)));
  });
});

describe('sales_cycle_days', () => {
  it('averages exact fractional days from creation to close of won deals', async () => {
    // March: (10.5 + 10 + 90) / 3 = 110.5 / 3 = 36.8333…
    expectRounded(single(await evaluate(salesCycleDays, march)), '36.8333333333');
    // April: w4, 03-10 → 04-01 = 22 days.
    expectValue(single(await evaluate(salesCycleDays, april)), 22);
    // DE in March: w1, w2 = (10.5 + 10) / 2 = 10.25.
    expectValue(single(await evaluate(salesCycleDays, march, { filter: { region: ['DE'] } })), '10.25');
  });

  it('has no value without won deals', async () => {
    expectNull(single(await evaluate(salesCycleDays, january)));
  });
});

describe('open_deals and pipeline_value', () => {
  it('take a snapshot at the end of the period', async () => {
    // At 04-01T00:00: o1 (open), o2 (created a millisecond before), w4 (closed
    // exactly at the end, so not closed *before* it) = 3. o3 was created at the
    // end; l1, l2, w1–w3 closed before it.
    expectValue(single(await evaluate(openDeals, march)), 3);
    // 250.50 + 100.00 + 700.00 = 1050.50.
    expectValue(single(await evaluate(pipelineValue, march)), '1050.5');
    // At 05-01: o1, o2, o3 = 3; 250.50 + 100.00 + 50.00 = 400.50.
    expectValue(single(await evaluate(openDeals, april)), 3);
    expectValue(single(await evaluate(pipelineValue, april)), '400.5');
  });

  it('ignore the period start', async () => {
    // At 02-01T00:00: only w3 (created 01-01); l1 was created exactly at that instant.
    expectValue(single(await evaluate(openDeals, january)), 1);
    expectValue(single(await evaluate(pipelineValue, january)), '2000');
  });

  it('are 0 when nothing is open', async () => {
    // At 2024-01-01T00:00: w3 is created exactly then, so not yet open.
    expectValue(single(await evaluate(openDeals, december2023)), 0);
    expectValue(single(await evaluate(pipelineValue, december2023)), 0);
  });

  it('filter by deal type and break down by team', async () => {
    // RENEWAL open at March's end: o2 = 100.00.
    expectValue(single(await evaluate(pipelineValue, march, { filter: { dealType: ['RENEWAL'] } })), '100');
    // North (k1): o1 = 1, 250.50. South (k2, k3): o2, w4 = 2, 800.00.
    const counts = await evaluate(openDeals, march, { groupBy: 'team' });
    expectValue(counts.get(north()), 1);
    expectValue(counts.get(south()), 2);
    const values = await evaluate(pipelineValue, march, { groupBy: 'team' });
    expectValue(values.get(north()), '250.5');
    expectValue(values.get(south()), '800');
  });
});

describe('cross_sell_ratio', () => {
  it('is the share of won deals that are cross-sells or upsells', async () => {
    // March won: w1 NEW, w2 UPSELL, w3 CROSS_SELL → 2 / 3.
    expectRounded(single(await evaluate(crossSellRatio, march)), '0.6666666667');
    // April: w4 NEW → 0 / 1 = 0.
    expectValue(single(await evaluate(crossSellRatio, april)), 0);
    expectNull(single(await evaluate(crossSellRatio, january)));
    // FR: w3 → 1 / 1.
    expectValue(single(await evaluate(crossSellRatio, march, { filter: { region: ['FR'] } })), 1);
  });
});
