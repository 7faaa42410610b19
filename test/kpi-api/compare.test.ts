import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createFixture } from '../../src/testing/fixture.js';
import { countStatements, createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';

/*
 * Won deals (closed on the 10th): North 100.10 in February, 300.30 in March;
 * South 50.05 in February only; West 10.00 in March only, and a LOST deal in
 * March. Won revenue: February 150.15, March 310.30.
 */
const won = (customer: string, amount: string, month: string, stage: 'WON' | 'LOST' = 'WON') => ({
  customer, stage, amount, createdAt: `2025-01-05T00:00:00Z`, closedAt: `2025-${month}-10T00:00:00Z`, ...(stage === 'LOST' ? { lostReason: 'price' } : {}),
});

type Previous = { exact: string | null; change: number | null; relativeChange: number | null; reason: { code: string } | null } | null;
type Group = { label: string; value: { exact: string | null; previous: Previous } };

describe('compareTo on series and breakdowns; ordered, cut breakdowns', () => {
  let db: Database;
  let client: TestClient;
  beforeAll(async () => {
    db = await createTestDatabase();
    const { workspaceId } = await createFixture(db, {
      teams: ['North', 'South', 'West'],
      users: [{ name: 'n', team: 'North' }, { name: 's', team: 'South' }, { name: 'w', team: 'West' }],
      customers: [{ name: 'cn', owner: 'n' }, { name: 'cs', owner: 's' }, { name: 'cw', owner: 'w' }],
      deals: [won('cn', '100.10', '02'), won('cn', '300.30', '03'), won('cs', '50.05', '02'), won('cw', '10.00', '03'), won('cw', '5.00', '03', 'LOST')],
    });
    client = createTestClient(db, workspaceId);
    await client.execute('{ __typename }');
  });
  afterAll(async () => db?.close());

  it('gives each breakdown group its previous value, change and relative change', async () => {
    const { data, errors } = await client.execute<{ kpi: { breakdown: Group[] } }>(/* GraphQL */ `
      { kpi(key: "won_revenue") { breakdown(period: { start: "2025-03-01T00:00:00Z", end: "2025-04-01T00:00:00Z" }, by: TEAM, compareTo: PREVIOUS_PERIOD) {
          label value { exact previous { exact change relativeChange reason { code } } } } } }`);
    expect(errors).toBeUndefined();
    expect(data!.kpi.breakdown).toEqual([
      // 300.30 − 100.10 = 200.20; 200.20 ÷ 100.10 = 2.
      { label: 'North', value: { exact: '300.3', previous: { exact: '100.1', change: 200.2, relativeChange: 2, reason: null } } },
      // South won nothing in March: still listed (complete breakdown), 0 against February's 50.05.
      { label: 'South', value: { exact: '0', previous: { exact: '50.05', change: -50.05, relativeChange: -1, reason: null } } },
      // West had no won deal in February: 0, and no relative change from 0.
      { label: 'West', value: { exact: '10', previous: { exact: '0', change: 10, relativeChange: null, reason: null } } },
    ]);
  });

  it('gives a rate group without rows in the comparison period no previous value, with a reason', async () => {
    const { data } = await client.execute<{ kpi: { breakdown: Group[] } }>(/* GraphQL */ `
      { kpi(key: "win_rate") { breakdown(period: { start: "2025-03-01T00:00:00Z", end: "2025-04-01T00:00:00Z" }, by: TEAM, compareTo: PREVIOUS_PERIOD) {
          label value { exact previous { exact change relativeChange reason { code } } } } } }`);
    const west = data!.kpi.breakdown.find((group) => group.label === 'West')!;
    // March: 1 won of 2 closed; February: nothing closed.
    expect(west.value).toEqual({ exact: '0.5', previous: { exact: null, change: null, relativeChange: null, reason: { code: 'ZERO_DENOMINATOR' } } });
  });

  it('compares every point of a series, in the statements the series costs anyway', async () => {
    const series = (compare: string) => /* GraphQL */ `
      { kpi(key: "won_revenue") { series(range: { start: "2025-02-01T00:00:00Z", end: "2025-04-01T00:00:00Z" }, grain: MONTH${compare}) {
          start value { exact previous { exact change } } } } }`;
    const plain = await countStatements(db, () => client.execute(series('')));
    const compared = await countStatements(db, () => client.execute<{ kpi: { series: { start: string; value: { exact: string; previous: Previous } }[] } }>(series(', compareTo: PREVIOUS_PERIOD')));
    expect(compared.result.errors).toBeUndefined();
    expect(compared.result.data!.kpi.series.map((point) => [point.value.exact, point.value.previous?.exact, point.value.previous?.change])).toEqual([
      ['150.15', '0', 150.15],
      ['310.3', '150.15', 160.15],
    ]);
    expect(plain.statements).toHaveLength(1);
    expect(compared.statements).toHaveLength(1);
  });

  it('orders groups by value and folds the rest into "other": summed for money, recomputed for a rate', async () => {
    const query = (key: string) => /* GraphQL */ `
      { kpi(key: "${key}") { breakdown(period: { start: "2025-02-01T00:00:00Z", end: "2025-04-01T00:00:00Z" }, by: TEAM, orderBy: { value: DESC }, first: 1) {
          key label value { exact numerator denominator } } } }`;
    type Data = { kpi: { breakdown: { key: string | null; label: string; value: { exact: string | null; numerator: string | null; denominator: string | null } }[] } };
    const revenue = await client.execute<Data>(query('won_revenue'));
    expect(revenue.errors).toBeUndefined();
    // February and March: North 400.40, South 50.05, West 10.00; the rest 60.05.
    expect(revenue.data!.kpi.breakdown.map((g) => [g.key === null ? null : g.label, g.value.exact])).toEqual([
      ['North', '400.4'],
      ['Other (2 groups)', '60.05'],
    ]);
    expect(revenue.data!.kpi.breakdown[1]!.key).toBe('(other)');
    const rate = await client.execute<Data>(query('win_rate'));
    // North 2/2 = 1, South 1/1 = 1 (tie: key order), West 1/2; the rest: (1 + 1) / (1 + 2) = 2/3, not the mean of 1 and 0.5.
    expect(rate.data!.kpi.breakdown.map((g) => [g.label, g.value.exact, g.value.numerator, g.value.denominator])).toEqual([
      ['North', '1', '2', '2'],
      ['Other (2 groups)', new Decimal(2).div(3).toFixed(), '2', '3'],
    ]);
  });

  it('refuses first below 1, naming the argument', async () => {
    const result = await client.execute(/* GraphQL */ `
      { kpi(key: "won_revenue") { breakdown(period: { start: "2025-02-01T00:00:00Z", end: "2025-04-01T00:00:00Z" }, by: TEAM, first: 0) { key } } }`);
    expect(result.errors?.[0]?.message).toContain('first');
  });
});
