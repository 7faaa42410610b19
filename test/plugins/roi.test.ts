import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import crmRoi from '../../plugins/crm-roi.js';
import { createTestDatabase } from '../support/database.js';
import { evaluator, expectNull, expectValue, single, year } from './helpers.js';

/*
 * The catalogue's worked check, over 2023 = [2023-01-01, 2024-01-01):
 * costs: purchase 400,000 (exactly at the start) + implementation 300,000 +
 * training 100,000 + operations 200,000 = 1,000,000;
 * benefits: sales uplift 2,000,000 + satisfaction 500,000 + cost savings
 * 300,000 + better decisions 200,000 = 3,000,000.
 * ROI = (3,000,000 − 1,000,000) / 1,000,000 = 2, i.e. 200 % (not the 100 % of
 * the published version whose benefits were mis-added to 2,000,000).
 * Outside 2023: a cost of 999,999.00 exactly at 2024-01-01 and a benefit of
 * 100.00 on 2022-12-31 (2022 has no cost: no value).
 *
 * 2025: costs 0.10 + 0.20 = 0.30, benefit 0.60 → (0.60 − 0.30) / 0.30 = 1 exactly.
 * 2026: cost 100.00, benefit 50.00 → −0.5 (the CRM lost half its cost).
 */
let db: Database;
let fx: Fixture;
const evaluate = evaluator(() => db, () => fx);

beforeAll(async () => {
  db = await createTestDatabase();
  fx = await createFixture(db, {
    ledger: [
      { kind: 'COST', category: 'purchase', date: '2023-01-01T00:00:00Z', amount: '400000.00' },
      { kind: 'COST', category: 'implementation', date: '2023-02-01T00:00:00Z', amount: '300000.00' },
      { kind: 'COST', category: 'training', date: '2023-03-01T00:00:00Z', amount: '100000.00' },
      { kind: 'COST', category: 'operations', date: '2023-12-31T23:59:59.999Z', amount: '200000.00' },
      { kind: 'BENEFIT', category: 'sales_uplift', date: '2023-12-01T00:00:00Z', amount: '2000000.00' },
      { kind: 'BENEFIT', category: 'satisfaction', date: '2023-06-01T00:00:00Z', amount: '500000.00' },
      { kind: 'BENEFIT', category: 'cost_savings', date: '2023-07-01T00:00:00Z', amount: '300000.00' },
      { kind: 'BENEFIT', category: 'better_decisions', date: '2023-08-01T00:00:00Z', amount: '200000.00' },
      { kind: 'COST', category: 'operations', date: '2024-01-01T00:00:00Z', amount: '999999.00' },
      { kind: 'BENEFIT', category: 'cost_savings', date: '2022-12-31T00:00:00Z', amount: '100.00' },
      { kind: 'COST', category: 'operations', date: '2025-03-01T00:00:00Z', amount: '0.10' },
      { kind: 'COST', category: 'training', date: '2025-04-01T00:00:00Z', amount: '0.20' },
      { kind: 'BENEFIT', category: 'cost_savings', date: '2025-05-01T00:00:00Z', amount: '0.60' },
      { kind: 'COST', category: 'operations', date: '2026-03-01T00:00:00Z', amount: '100.00' },
      { kind: 'BENEFIT', category: 'satisfaction', date: '2026-05-01T00:00:00Z', amount: '50.00' },
    ],
  });
});

afterAll(async () => {
  await db?.close();
});

describe('crm_roi', () => {
  it('is exactly 2 (200 %) on the catalogue\'s worked check', async () => {
    const result = single(await evaluate(crmRoi, year(2023)));
    expectValue(result, 2);
    expect(result.numerator?.toString()).toBe('2000000');
    expect(result.denominator?.toString()).toBe('1000000');
  });

  it('keeps cents exact', async () => {
    expectValue(single(await evaluate(crmRoi, year(2025))), 1);
  });

  it('goes negative when benefits fall short of costs', async () => {
    expectValue(single(await evaluate(crmRoi, year(2026))), '-0.5');
  });

  it('has no value when nothing was spent on the CRM', async () => {
    // 2022: a benefit of 100.00 and no cost; 2021: nothing at all.
    expectNull(single(await evaluate(crmRoi, year(2022))));
    expectNull(single(await evaluate(crmRoi, year(2021))));
  });

  it('supports no dimension: ledger entries belong to the whole workspace', async () => {
    expect(crmRoi.dimensions).toEqual([]);
    // So a filter or a breakdown is refused rather than silently ignored.
    await expect(evaluate(crmRoi, year(2023), { filter: { region: ['DE'] } })).rejects.toThrow(/cannot be filtered by region/);
    await expect(evaluate(crmRoi, year(2023), { groupBy: 'team' })).rejects.toThrow(/cannot be grouped by team/);
  });
});
