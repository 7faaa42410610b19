import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import activeCustomers from '../../plugins/active-customers.js';
import arpa from '../../plugins/arpa.js';
import churnRate from '../../plugins/churn-rate.js';
import ltvCacRatio from '../../plugins/ltv-cac-ratio.js';
import ltv from '../../plugins/ltv.js';
import retentionRate from '../../plugins/retention-rate.js';
import { createTestDatabase } from '../support/database.js';
import { evaluator, expectNull, expectRounded, expectValue, month, single } from './helpers.js';

/*
 * March 2024 is P = [03-01, 04-01). Active at t: convertedAt < t and no churnedAt < t.
 *
 * customer owner region convertedAt        churnedAt          active 03-01  active 04-01  churned in P
 * r1       Ann   DE     2023-06-01         —                  yes           yes           —
 * r2       Ann   DE     2023-07-01         03-10              yes           no            yes
 * r3       Ann   DE     2023-08-01         03-01T00:00        yes (not <)   no            yes (at start)
 * r4       Bob   DE     2023-09-01         04-01T00:00        yes           yes (not <)   no (at end: April)
 * r5       Bob   FR     03-01T00:00        —                  no (not <)    yes           —
 * r6       Bob   FR     03-15              03-25              no            no            yes
 * r7       Bob   DE     2023-01-01T00:00   02-01T00:00        no            no            — (February)
 * r8       Bob   FR     —                  —                  no            no            —
 * r9       Bob   FR     2023-05-01         —                  yes           yes           —
 *
 * Active at 03-01: r1 r2 r3 r4 r9 = 5. Active at 04-01: r1 r4 r5 r9 = 4.
 * Churned in March: r2 r3 r6 = 3 (r6 was won and lost within March: the
 * catalogue counts every churn in P over the actives at the start).
 *
 * Payments: r1 100.10 (03-05), r1 0.20 (03-31T23:59:59.999), r2 49.70 (03-02),
 * r9 300.00 (03-15), r5 50.00 (03-20), r5 350.00 (04-01T00:00, April).
 * March: 100.10 + 0.20 + 49.70 + 300.00 + 50.00 = 500.00.
 *
 * Spend: 500.00 MARKETING on 03-10 (channel search). New customers in March:
 * r5, r6 = 2, so CAC = 250.
 */
const at = (iso: string): string => (iso.startsWith('20') ? iso : `2024-${iso}${iso.includes('T') ? 'Z' : 'T12:00:00Z'}`);

let db: Database;
let fx: Fixture;
let exact: Fixture;
const evaluate = evaluator(() => db, () => fx);
const evaluateExact = evaluator(() => db, () => exact);
const march = month(2024, 3);
const february = month(2024, 2);
const december2023 = month(2023, 12);
const january2023 = month(2023, 1);
const january2022 = month(2022, 1);

beforeAll(async () => {
  db = await createTestDatabase();
  fx = await createFixture(db, {
    users: [
      { name: 'Ann', team: 'North' },
      { name: 'Bob', team: 'South' },
    ],
    customers: [
      { name: 'r1', owner: 'Ann', region: 'DE', channel: 'search', convertedAt: at('2023-06-01T00:00:00Z') },
      { name: 'r2', owner: 'Ann', region: 'DE', channel: 'search', convertedAt: at('2023-07-01T00:00:00Z'), churnedAt: at('03-10') },
      { name: 'r3', owner: 'Ann', region: 'DE', channel: 'search', convertedAt: at('2023-08-01T00:00:00Z'), churnedAt: at('03-01T00:00:00') },
      { name: 'r4', owner: 'Bob', region: 'DE', channel: 'search', convertedAt: at('2023-09-01T00:00:00Z'), churnedAt: at('04-01T00:00:00') },
      { name: 'r5', owner: 'Bob', region: 'FR', channel: 'search', convertedAt: at('03-01T00:00:00') },
      { name: 'r6', owner: 'Bob', region: 'FR', channel: 'search', convertedAt: at('03-15'), churnedAt: at('03-25') },
      { name: 'r7', owner: 'Bob', region: 'DE', channel: 'search', convertedAt: at('2023-01-01T00:00:00Z'), churnedAt: at('02-01T00:00:00') },
      { name: 'r8', owner: 'Bob', region: 'FR', channel: 'search' },
      { name: 'r9', owner: 'Bob', region: 'FR', channel: 'search', convertedAt: at('2023-05-01T00:00:00Z') },
    ],
    payments: [
      { customer: 'r1', amount: '100.10', paidAt: at('03-05') },
      { customer: 'r1', amount: '0.20', paidAt: at('03-31T23:59:59.999') },
      { customer: 'r2', amount: '49.70', paidAt: at('03-02') },
      { customer: 'r9', amount: '300.00', paidAt: at('03-15') },
      { customer: 'r5', amount: '50.00', paidAt: at('03-20') },
      { customer: 'r5', amount: '350.00', paidAt: at('04-01T00:00:00') },
    ],
    spend: [{ category: 'MARKETING', channel: 'search', date: at('03-10T00:00:00'), amount: '500.00' }],
  });
  /*
   * A second workspace whose intermediate values repeat but whose results do
   * not. March: i1 i2 i3 active at the start (a = 3); i2, i3 churn (c = 2);
   * i4, i5 convert (n = 2), so i1 i4 i5 are active at the end (m = 3).
   * Payments 100.00, spend 25.00. arpa = 100 / 3 = 33.33…, churn = 2 / 3 =
   * 0.66…, yet ltv = 33.33… / 0.66… = 50 exactly (dividing the rounded parts
   * gives 49.999999999999999999), and ltv / cac = 50 / 12.50 = 4 exactly.
   */
  exact = await createFixture(db, {
    customers: [
      { name: 'i1', convertedAt: '2023-01-01T00:00:00Z' },
      { name: 'i2', convertedAt: '2023-01-01T00:00:00Z', churnedAt: at('03-10') },
      { name: 'i3', convertedAt: '2023-01-01T00:00:00Z', churnedAt: at('03-11') },
      { name: 'i4', convertedAt: at('03-12') },
      { name: 'i5', convertedAt: at('03-13') },
    ],
    payments: [{ customer: 'i1', amount: '100.00', paidAt: at('03-05') }],
    spend: [{ category: 'SALES', date: at('03-01T00:00:00'), amount: '25.00' }],
  });
});

afterAll(async () => {
  await db?.close();
});

const north = (): string => String(fx.ids.teams['North']);
const south = (): string => String(fx.ids.teams['South']);

describe('active_customers', () => {
  it('counts converted, not yet churned customers at the end', async () => {
    // At 04-01: r1, r4 (churns exactly then), r5, r9 = 4.
    expectValue(single(await evaluate(activeCustomers, march)), 4);
    // At 03-01 (February's end): r1 r2 r3 r4 r9 = 5; r7 churned exactly at 02-01 so
    // is gone; r5 converts exactly at 03-01 so is not yet in.
    expectValue(single(await evaluate(activeCustomers, february)), 5);
    // At 2022-02-01: nobody had converted.
    expectValue(single(await evaluate(activeCustomers, january2022)), 0);
  });

  it('breaks down by team', async () => {
    // North: r1 = 1. South: r4 r5 r9 = 3.
    const byTeam = await evaluate(activeCustomers, march, { groupBy: 'team' });
    expectValue(byTeam.get(north()), 1);
    expectValue(byTeam.get(south()), 3);
  });
});

describe('churn_rate', () => {
  it('divides churns in the period by actives at its start', async () => {
    // 3 / 5.
    const result = single(await evaluate(churnRate, march));
    expectValue(result, '0.6');
    expect(result.numerator?.toNumber()).toBe(3);
    expect(result.denominator?.toNumber()).toBe(5);
    // February: active at 02-01: r1 r2 r3 r4 r7 (churns exactly at the start: still active) r9 = 6;
    // churned in February: r7 = 1. 1 / 6.
    expectRounded(single(await evaluate(churnRate, february)), '0.1666666667');
  });

  it('has no value without actives at the start', async () => {
    // At 2023-01-01 r7 converts exactly then, so nobody is active yet.
    expectNull(single(await evaluate(churnRate, january2023)));
  });

  it('filters by region and breaks down by team', async () => {
    // DE: active at start r1 r2 r3 r4 = 4; churned r2 r3 = 2. 2 / 4.
    expectValue(single(await evaluate(churnRate, march, { filter: { region: ['DE'] } })), '0.5');
    // North: active r1 r2 r3 = 3, churned r2 r3 = 2 → 2/3. South: active r4 r9 = 2, churned r6 = 1 → 1/2.
    const byTeam = await evaluate(churnRate, march, { groupBy: 'team' });
    expectRounded(byTeam.get(north()), '0.6666666667');
    expectValue(byTeam.get(south()), '0.5');
  });
});

describe('retention_rate', () => {
  it('is the share of the start\'s actives still active at the end', async () => {
    // Of r1 r2 r3 r4 r9, still active at 04-01: r1, r4 (churns exactly at the end), r9 = 3. 3 / 5.
    // r5, won during March, is not in the cohort.
    expectValue(single(await evaluate(retentionRate, march)), '0.6');
    // DE: of r1 r2 r3 r4: r1 r4 = 2 / 4.
    expectValue(single(await evaluate(retentionRate, march, { filter: { region: ['DE'] } })), '0.5');
    expectNull(single(await evaluate(retentionRate, january2023)));
  });

  it('declares a target of 80 %', () => {
    expect(retentionRate.target).toEqual({ default: 0.8 });
  });
});

describe('arpa', () => {
  it('divides payments by the mean of actives at start and end', async () => {
    // 500.00 / ((5 + 4) / 2) = 500 / 4.5 = 111.1111…
    expectRounded(single(await evaluate(arpa, march)), '111.1111111111');
    // DE: payments r1 100.10 + 0.20, r2 49.70 = 150.00; actives start 4 (r1–r4), end 2 (r1, r4); 150 / 3 = 50.
    expectValue(single(await evaluate(arpa, march, { filter: { region: ['DE'] } })), '50');
  });

  it('breaks down by team', async () => {
    // North: payments r1 100.30 + r2 49.70 = 150.00; actives 3 at start, 1 at end → 150 / 2 = 75.
    // South: r9 300.00 + r5 50.00 = 350.00; actives 2 at start (r4 r9), 3 at end (r4 r5 r9) → 350 / 2.5 = 140.
    const byTeam = await evaluate(arpa, march, { groupBy: 'team' });
    expectValue(byTeam.get(north()), '75');
    expectValue(byTeam.get(south()), '140');
  });

  it('has no value without any active customer', async () => {
    expectNull(single(await evaluate(arpa, january2022)));
  });
});

describe('ltv', () => {
  it('is arpa × margin ÷ churn rate', async () => {
    // (500 / 4.5) ÷ 0.6 = 5000 / 27 = 185.185185…
    expectRounded(single(await evaluate(ltv, march)), '185.1851851852');
    // At a 50 % margin: 2500 / 27 = 92.592592…
    expectRounded(single(await evaluate(ltv, march, { params: { grossMargin: 0.5 } })), '92.5925925926');
    // DE: arpa 50, churn 0.5 → 100.
    expectValue(single(await evaluate(ltv, march, { filter: { region: ['DE'] } })), '100');
  });

  it('stays exact when its parts repeat', async () => {
    expectValue(single(await evaluateExact(ltv, march)), 50);
  });

  it('has no value when nobody churned', async () => {
    // December 2023: 6 active at the start, no churn, no payments.
    const result = single(await evaluate(ltv, december2023));
    expectNull(result);
    expect(result.reason?.message).toContain('churn rate');
  });

  it('has no value without actives', async () => {
    expectNull(single(await evaluate(ltv, january2022)));
  });

  it('validates the gross margin as a fraction in (0, 1]', () => {
    const params = ltv.params!;
    expect(params.parse({})).toEqual({ grossMargin: 1 });
    expect(params.safeParse({ grossMargin: 0 }).success).toBe(false);
    expect(params.safeParse({ grossMargin: 1.5 }).success).toBe(false);
    expect(params.safeParse({ grossMargin: 1 }).success).toBe(true);
  });
});

describe('ltv_cac_ratio', () => {
  it('divides ltv by cac', async () => {
    // ltv 5000 / 27; cac 500.00 / 2 = 250. (5000 / 27) / 250 = 20 / 27 = 0.740740…
    expectRounded(single(await evaluate(ltvCacRatio, march)), '0.7407407407');
    // At a 50 % margin: 10 / 27.
    expectRounded(single(await evaluate(ltvCacRatio, march, { params: { grossMargin: 0.5 } })), '0.3703703704');
    // channel search is everyone here and all the spend: the same 20 / 27.
    expectRounded(single(await evaluate(ltvCacRatio, march, { filter: { channel: ['search'] } })), '0.7407407407');
  });

  it('stays exact when its parts repeat', async () => {
    expectValue(single(await evaluateExact(ltvCacRatio, march)), 4);
  });

  it('has no value when cac has none', async () => {
    // February: ltv is 0 (no payments; churn 1/6) but no spend and no new customer.
    const result = single(await evaluate(ltvCacRatio, february));
    expectNull(result);
    expect(result.reason?.message).toContain('new customers');
  });

  it('declares a target of 3', () => {
    expect(ltvCacRatio.target).toEqual({ default: 3 });
  });
});
