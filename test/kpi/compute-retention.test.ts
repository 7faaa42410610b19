import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import repurchaseRate from '../../plugins/repurchase-rate.js';
import rfmSegmentShare from '../../plugins/rfm-segment-share.js';
import topCustomerRevenueShare from '../../plugins/top-customer-revenue-share.js';
import type { Database } from '../../src/db/client.js';
import type { KpiCellKey } from '../../src/kpi/cell.js';
import { createKpiLoader } from '../../src/kpi/engine.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import { createRegistry } from '../../src/kpi/registry.js';
import { rfmForCustomers } from '../../src/kpi/rfm.js';
import type { CellValues, KpiDefinition } from '../../src/kpi/sdk.js';
import { evaluateKpi } from '../../src/testing/testkit.js';
import { countStatements, createTestDatabase } from '../support/database.js';

const month = (y: number, m: number) => ({ start: new Date(Date.UTC(y, m - 1, 1)), end: new Date(Date.UTC(y, m, 1)) });
const shown = (values: CellValues): Record<string, string | null> =>
  Object.fromEntries([...values].map(([key, result]) => [key, result.value === null ? null : result.value.toString()]));

let db: Database;
let pay: Fixture;
let rfm: Fixture;
beforeAll(async () => {
  db = await createTestDatabase();
  pay = await createFixture(db, {
    customers: [
      { name: 't1', region: 'DE' },
      { name: 't2', region: 'DE' },
      { name: 't3', region: 'FR' },
      { name: 't4', region: 'FR' },
      { name: 't5', region: 'FR' },
      { name: 't6', region: 'FR' },
    ],
    payments: [
      { customer: 't1', amount: '500.00', paidAt: '2024-02-01T00:00:00Z' },
      { customer: 't1', amount: '0.01', paidAt: '2024-02-29T23:59:59Z' },
      { customer: 't2', amount: '300.00', paidAt: '2024-02-10T00:00:00Z' },
      { customer: 't3', amount: '100.00', paidAt: '2024-02-11T00:00:00Z' },
      { customer: 't4', amount: '50.00', paidAt: '2024-02-12T00:00:00Z' },
      { customer: 't5', amount: '49.99', paidAt: '2024-02-13T00:00:00Z' },
      // At the end of February: March's.
      { customer: 't6', amount: '1000.00', paidAt: '2024-03-01T00:00:00Z' },
      { customer: 't6', amount: '5.00', paidAt: '2024-01-20T00:00:00Z' },
    ],
  });
  rfm = await createFixture(db, {
    users: [{ name: 'Ann', team: 'North' }, { name: 'Bob', team: 'South' }],
    customers: [
      { name: 'r1', owner: 'Ann', region: 'DE' },
      { name: 'r2', owner: 'Ann', region: 'DE' },
      { name: 'r3', owner: 'Bob', region: 'FR' },
      { name: 'r4', owner: 'Bob', region: 'FR' },
      { name: 'r5', owner: 'Bob', region: 'FR' },
    ],
    payments: [
      { customer: 'r1', amount: '120.10', paidAt: '2024-06-30T00:00:00Z' },
      { customer: 'r1', amount: '119.90', paidAt: '2024-06-01T00:00:00Z' },
      { customer: 'r1', amount: '120.00', paidAt: '2024-05-01T00:00:00Z' },
      { customer: 'r2', amount: '1020.00', paidAt: '2024-06-21T00:00:00Z' },
      { customer: 'r3', amount: '10.00', paidAt: '2024-04-01T00:00:00Z' },
      { customer: 'r3', amount: '10.00', paidAt: '2024-03-01T00:00:00Z' },
      { customer: 'r3', amount: '10.00', paidAt: '2024-02-01T00:00:00Z' },
      { customer: 'r3', amount: '10.00', paidAt: '2024-01-01T00:00:00Z' },
      { customer: 'r4', amount: '20.00', paidAt: '2024-03-02T00:00:00Z' },
      // Exactly at the end of June: not "up to" 1 July.
      { customer: 'r5', amount: '5000.00', paidAt: '2024-07-01T00:00:00Z' },
    ],
  });
});
afterAll(async () => db?.close());

const evaluate = (fixture: Fixture, definition: KpiDefinition, cell: Omit<KpiCellKey, 'kpiKey'>) => evaluateKpi(db, fixture.scope, definition, cell);

describe('top_customer_revenue_share', () => {
  // February: t1 500.01, t2 300, t3 100, t4 50, t5 49.99 → 5 payers, 1000.00 in all.
  it('takes the top ⌈N % × payers⌉ customers', async () => {
    // 20 %: ⌈1⌉ = 1 customer → 500.01 / 1000 = 0.50001.
    expect(shown(await evaluate(pay, topCustomerRevenueShare, { period: month(2024, 2) }))).toEqual({ '*': '0.50001' });
    // 50 %: ⌈2.5⌉ = 3 → 900.01 / 1000.
    expect(shown(await evaluate(pay, topCustomerRevenueShare, { period: month(2024, 2), params: { percent: 50 } }))).toEqual({ '*': '0.90001' });
    // 1 %: ⌈0.05⌉ = 1 still.
    expect(shown(await evaluate(pay, topCustomerRevenueShare, { period: month(2024, 2), params: { percent: 1 } }))).toEqual({ '*': '0.50001' });
    expect(shown(await evaluate(pay, topCustomerRevenueShare, { period: month(2024, 3) }))).toEqual({ '*': '1' });
  });

  it('ranks within each group', async () => {
    // DE: t1, t2 → ⌈0.4⌉ = 1 → 500.01 / 800.01; FR: t3, t4, t5 → 1 → 100 / 199.99.
    const values = await evaluate(pay, topCustomerRevenueShare, { period: month(2024, 2), groupBy: 'region' });
    expect(values.get('DE')?.value?.toFixed(10)).toBe('0.6250046874');
    expect(values.get('FR')?.value?.toFixed(10)).toBe('0.5000250013');
    expect(values.get('FR')?.sampleSize).toBe(3);
  });

  it('has no value without payments and rejects a bad percent', async () => {
    const april = (await evaluate(pay, topCustomerRevenueShare, { period: month(2024, 4) })).get('*')!;
    expect(april.value).toBeNull();
    expect(april.reason?.code).toBe('ZERO_DENOMINATOR');
    await expect(evaluate(pay, topCustomerRevenueShare, { period: month(2024, 2), params: { percent: 0 } })).rejects.toMatchObject({ field: 'params.percent' });
  });
});

describe('repurchase_rate', () => {
  it('is the share of paying customers with two or more payments', async () => {
    // February: t1 paid twice (the second at 23:59:59 on the 29th); t2–t5 once → 1/5.
    expect(shown(await evaluate(pay, repurchaseRate, { period: month(2024, 2) }))).toEqual({ '*': '0.2' });
    // March: t6 once (its 1 March 00:00 payment) → 0/1.
    expect(shown(await evaluate(pay, repurchaseRate, { period: month(2024, 3) }))).toEqual({ '*': '0' });
    expect(shown(await evaluate(pay, repurchaseRate, { period: month(2024, 2), groupBy: 'region' }))).toEqual({ DE: '0.5', FR: '0' });
    const april = (await evaluate(pay, repurchaseRate, { period: month(2024, 4) })).get('*')!;
    expect(april.reason?.code).toBe('ZERO_DENOMINATOR');
  });
});

describe('RFM', () => {
  // At t = 1 July 2024 (end of June), payments before t:
  //   r1: 30 Jun, 1 Jun, 1 May; 120.10 + 119.90 + 120.00 = 360.00 → R 1 day,  F 3, M 360
  //   r2: 21 Jun 1020.00                                       → R 10,     F 1, M 1020
  //   r3: 1 Apr, 1 Mar, 1 Feb, 1 Jan, 10.00 each                → R 91,     F 4, M 40
  //   r4: 2 Mar 20.00                                          → R 121,    F 1, M 20
  //   r5: only at t itself → not a paying customer.
  // Means: R 223/4 = 55.75, F 9/4 = 2.25, M 1440/4 = 360 (r1's M equals it: high).
  //   r1 high/high/high → IMPORTANT_VALUE; r2 high/low/high → IMPORTANT_DEVELOP;
  //   r3 low/high/low → GENERAL_RETAIN; r4 low/low/low → GENERAL_WIN_BACK.
  const june = month(2024, 6);
  const none = { IMPORTANT_RETAIN: '0', IMPORTANT_WIN_BACK: '0', GENERAL_VALUE: '0', GENERAL_DEVELOP: '0' };

  it('gives the share of paying customers in each of the eight segments', async () => {
    const values = await evaluate(rfm, rfmSegmentShare, { period: june, groupBy: 'rfmSegment' });
    expect(shown(values)).toEqual({ ...none, IMPORTANT_VALUE: '0.25', IMPORTANT_DEVELOP: '0.25', GENERAL_RETAIN: '0.25', GENERAL_WIN_BACK: '0.25' });
    expect([...values.keys()]).toHaveLength(8);
    expect(shown(await evaluate(rfm, rfmSegmentShare, { period: june, params: { segment: 'IMPORTANT_VALUE' } }))).toEqual({ '*': '0.25' });
  });

  it('filters and groups the shares, keeping the means over the whole workspace', async () => {
    const de = await evaluate(rfm, rfmSegmentShare, { period: june, groupBy: 'rfmSegment', filter: { region: ['DE'] } });
    expect(shown(de)).toEqual({ ...none, IMPORTANT_VALUE: '0.5', IMPORTANT_DEVELOP: '0.5', GENERAL_RETAIN: '0', GENERAL_WIN_BACK: '0' });
    const byRegion = await evaluate(rfm, rfmSegmentShare, { period: june, groupBy: 'region', params: { segment: 'GENERAL_RETAIN' } });
    expect(shown(byRegion)).toEqual({ DE: '0', FR: '0.5' });
  });

  it('has no value before any payment, and needs a segment unless grouped by segment', async () => {
    const values = await evaluate(rfm, rfmSegmentShare, { period: month(2023, 12), groupBy: 'rfmSegment' });
    expect([...values.values()].every((r) => r.value === null && r.reason?.code === 'ZERO_DENOMINATOR')).toBe(true);
    await expect(evaluate(rfm, rfmSegmentShare, { period: june })).rejects.toMatchObject({ field: 'params.segment' });
  });

  it('batches several periods into one statement', async () => {
    // At t = 1 April: r3 (1 Jan, 1 Feb, 1 Mar: R 31, F 3, M 30) and r4 (R 30, F 1, M 20);
    // means R 30.5, F 2, M 25 → r3 IMPORTANT_RETAIN, r4 GENERAL_DEVELOP.
    const registry = createRegistry([{ definition: rfmSegmentShare, source: 'plugins/rfm-segment-share.ts' }]);
    const loader = createKpiLoader({ db, workspaceId: rfm.workspaceId, timeZone: 'UTC', registry });
    const { result, statements } = await countStatements(db, () =>
      Promise.all([june, month(2024, 3)].map((period) => loader.load({ kpiKey: 'rfm_segment_share', period, groupBy: 'rfmSegment' }))),
    );
    expect(statements).toHaveLength(1);
    expect(shown(result[1]!)).toMatchObject({ IMPORTANT_RETAIN: '0.5', GENERAL_DEVELOP: '0.5', IMPORTANT_VALUE: '0' });
  });

  it('rfmForCustomers gives each customer’s RFM in one statement', async () => {
    const ids = rfm.ids.customers;
    const at = june.end;
    const { result, statements } = await countStatements(db, () => rfmForCustomers(db, rfm.workspaceId, [ids['r1']!, ids['r3']!, ids['r5']!, pay.ids.customers['t1']!], at));
    expect(statements).toHaveLength(1);
    const r1 = result.get(ids['r1']!)!;
    expect([r1.recencyDays.toString(), r1.frequency, r1.monetary.toString(), r1.segment]).toEqual(['1', 3, '360', 'IMPORTANT_VALUE']);
    expect(result.get(ids['r3']!)?.segment).toBe('GENERAL_RETAIN');
    expect(result.get(ids['r5']!)).toBeNull();
    // Another workspace's customer is unknown here.
    expect(result.get(pay.ids.customers['t1']!)).toBeNull();
  });
});
