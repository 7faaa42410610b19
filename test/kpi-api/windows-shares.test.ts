import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createFixture } from '../../src/testing/fixture.js';
import { countStatements, createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';

/*
 * Deals closed on the 10th of each month of 2025 (UTC):
 *   January  North won 100
 *   February North won 200; South lost three
 *   March    South won 100
 *   April, May nothing
 *   June     West won 400
 * Product lines: North's January deal and the South and West won deals are
 * Cloud, North's February deal Support; the lost deals the fixture's "core".
 * Won revenue per month, February to June: 200, 100, 0, 0, 400.
 * Win rate (won / closed) per month: Jan 1/1, Feb 1/4, Mar 1/1, Apr 0/0, May 0/0, Jun 1/1.
 */
const closed = (customer: string, amount: string, month: string, stage: 'WON' | 'LOST' = 'WON', productLine?: string) => ({
  customer, stage, amount, createdAt: '2024-12-01T00:00:00Z', closedAt: `2025-${month}-10T00:00:00Z`, ...(stage === 'LOST' ? { lostReason: 'price' } : {}),
  ...(productLine ? { productLine } : {}),
});

const range = (start: string, end: string) => `{ start: "2025-${start}-01T00:00:00Z", end: "2025-${end}-01T00:00:00Z" }`;
type Value = { exact: string | null; numerator?: string | null; denominator?: string | null; reason?: { code: string } | null; period?: { start: string } };
type Point = { start: string; value: Value & { previous?: { exact: string | null; change: number | null; relativeChange: number | null } | null } };

describe('windows on series, shares of breakdowns, comparison with a given period', () => {
  let db: Database;
  let client: TestClient;
  beforeAll(async () => {
    db = await createTestDatabase();
    const { workspaceId } = await createFixture(db, {
      teams: ['North', 'South', 'West'],
      users: [{ name: 'n', team: 'North' }, { name: 's', team: 'South' }, { name: 'w', team: 'West' }],
      customers: [{ name: 'cn', owner: 'n' }, { name: 'cs', owner: 's' }, { name: 'cw', owner: 'w' }],
      deals: [
        closed('cn', '100', '01', 'WON', 'Cloud'),
        closed('cn', '200', '02', 'WON', 'Support'),
        closed('cs', '10', '02', 'LOST'),
        closed('cs', '20', '02', 'LOST'),
        closed('cs', '30', '02', 'LOST'),
        closed('cs', '100', '03', 'WON', 'Cloud'),
        closed('cw', '400', '06', 'WON', 'Cloud'),
      ],
    });
    client = createTestClient(db, workspaceId);
    await client.execute('{ __typename }');
  });
  afterAll(async () => db?.close());

  const series = async (key: string, args: string, fields = 'exact numerator denominator reason { code } period { start }') => {
    const query = /* GraphQL */ `{ kpi(key: "${key}") { series(range: ${range('02', '07')}, grain: MONTH${args}) { start value { ${fields} } } } }`;
    const { result, statements } = await countStatements(db, () => client.execute<{ kpi: { series: Point[] } }>(query));
    expect(result.errors).toBeUndefined();
    return { points: result.data!.kpi.series, statements };
  };

  it('sums money over a rolling window that reaches back before the range, in the series’ one statement', async () => {
    const plain = await series('won_revenue', '');
    const rolling = await series('won_revenue', ', window: { rolling: 2 }');
    expect(plain.points.map((p) => p.value.exact)).toEqual(['200', '100', '0', '0', '400']);
    // Jan+Feb, Feb+Mar, Mar+Apr, Apr+May, May+Jun.
    expect(rolling.points.map((p) => p.value.exact)).toEqual(['300', '300', '100', '0', '400']);
    expect(rolling.points[0]!.start).toBe('2025-02-01T00:00:00.000Z');
    expect(rolling.points[0]!.value.period!.start).toBe('2025-01-01T00:00:00.000Z');
    expect(plain.statements).toHaveLength(1);
    expect(rolling.statements).toHaveLength(1);
  });

  it('recomputes a rate over the window from its numerators and denominators; an empty window has no value, with a reason', async () => {
    const { points, statements } = await series('win_rate', ', window: { rolling: 2 }');
    expect(points.map((p) => [p.value.exact, p.value.numerator, p.value.denominator, p.value.reason?.code ?? null])).toEqual([
      ['0.4', '2', '5', null], // Jan 1/1 + Feb 1/4: 2/5, not the mean of 1 and 0.25
      ['0.4', '2', '5', null], // Feb 1/4 + Mar 1/1
      ['1', '1', '1', null], // Mar 1/1 + Apr 0/0
      [null, '0', '0', 'ZERO_DENOMINATOR'], // Apr and May: nothing closed
      ['1', '1', '1', null], // May 0/0 + Jun 1/1
    ]);
    expect(statements).toHaveLength(1);
  });

  it('gives running totals and to-date rates from the range’s start', async () => {
    const revenue = await series('won_revenue', ', window: { cumulative: true }');
    expect(revenue.points.map((p) => p.value.exact)).toEqual(['200', '300', '300', '300', '700']);
    expect(revenue.points.every((p) => p.value.period!.start === '2025-02-01T00:00:00.000Z')).toBe(true);
    const rate = await series('win_rate', ', window: { cumulative: true }');
    // February alone 1/4; then 2/5 until June adds a won deal: 3/6.
    expect(rate.points.map((p) => [p.value.numerator, p.value.denominator, p.value.exact])).toEqual([
      ['1', '4', '0.25'],
      ['2', '5', '0.4'],
      ['2', '5', '0.4'],
      ['2', '5', '0.4'],
      ['3', '6', '0.5'],
    ]);
  });

  it('compares a window with the window before it, in the same statement', async () => {
    const { points, statements } = await series('won_revenue', ', window: { rolling: 2 }, compareTo: PREVIOUS_PERIOD', 'exact previous { exact change relativeChange }');
    // March's window Feb–Mar is 300; the two months before it (Dec–Jan) 100.
    expect(points[1]!.value).toEqual({ exact: '300', previous: { exact: '100', change: 200, relativeChange: 2 } });
    expect(statements).toHaveLength(1);
  });

  it('compares a value, each point and each group with a given period', async () => {
    const value = await client.execute<{ kpi: { value: Point['value'] } }>(/* GraphQL */ `
      { kpi(key: "won_revenue") { value(period: ${range('02', '03')}, compareToPeriod: ${range('01', '02')}) { exact previous { exact change relativeChange } } } }`);
    expect(value.errors).toBeUndefined();
    expect(value.data!.kpi.value).toEqual({ exact: '200', previous: { exact: '100', change: 100, relativeChange: 1 } });

    const points = await client.execute<{ kpi: { series: Point[] } }>(/* GraphQL */ `
      { kpi(key: "won_revenue") { series(range: ${range('02', '04')}, grain: MONTH, compareToPeriod: ${range('01', '02')}) { value { exact previous { exact change relativeChange } } } } }`);
    expect(points.errors).toBeUndefined();
    // January has one month: the second point has nothing to compare with.
    expect(points.data!.kpi.series.map((p) => p.value)).toEqual([
      { exact: '200', previous: { exact: '100', change: 100, relativeChange: 1 } },
      { exact: '100', previous: null },
    ]);

    type Group = { label: string; value: Point['value'] };
    const groups = await client.execute<{ kpi: { breakdown: Group[] } }>(/* GraphQL */ `
      { kpi(key: "won_revenue") { breakdown(period: ${range('02', '07')}, by: TEAM, compareToPeriod: ${range('01', '02')}) { label value { exact previous { exact change relativeChange } } } } }`);
    expect(groups.errors).toBeUndefined();
    expect(groups.data!.kpi.breakdown).toEqual([
      { label: 'North', value: { exact: '200', previous: { exact: '100', change: 100, relativeChange: 1 } } },
      { label: 'South', value: { exact: '100', previous: { exact: '0', change: 100, relativeChange: null } } },
      { label: 'West', value: { exact: '400', previous: { exact: '0', change: 400, relativeChange: null } } },
    ]);
  });

  it('gives each group its share of the total for money, "other" included, and none for a rate', async () => {
    type Group = { label: string; shareOfTotal: { exact: string | null; total: string | null; reason: { code: string } | null } };
    const query = (key: string, shaping = '') => /* GraphQL */ `
      { kpi(key: "${key}") { breakdown(period: ${range('01', '07')}, by: TEAM${shaping}) { label shareOfTotal { exact total reason { code } } } } }`;
    const revenue = await client.execute<{ kpi: { breakdown: Group[] } }>(query('won_revenue'));
    expect(revenue.errors).toBeUndefined();
    // North 300, South 100, West 400 of 800.
    expect(revenue.data!.kpi.breakdown.map((g) => [g.label, g.shareOfTotal.exact, g.shareOfTotal.total])).toEqual([
      ['North', '0.375', '800'],
      ['South', '0.125', '800'],
      ['West', '0.5', '800'],
    ]);
    const top = await client.execute<{ kpi: { breakdown: Group[] } }>(query('won_revenue', ', orderBy: { value: DESC }, first: 1'));
    expect(top.data!.kpi.breakdown.map((g) => [g.label, g.shareOfTotal.exact])).toEqual([
      ['West', '0.5'],
      ['Other (2 groups)', '0.5'],
    ]);
    const rate = await client.execute<{ kpi: { breakdown: Group[] } }>(query('win_rate'));
    expect(rate.data!.kpi.breakdown.map((g) => [g.shareOfTotal.exact, g.shareOfTotal.reason?.code])).toEqual([
      [null, 'NOT_APPLICABLE'],
      [null, 'NOT_APPLICABLE'],
      [null, 'NOT_APPLICABLE'],
    ]);
  });

  it('breaks down by two dimensions at once, in one statement, each group keyed and labelled by both', async () => {
    type Group = { label: string; second: { dimension: string; key: string | null; label: string } | null; value: { exact: string | null }; shareOfTotal: { exact: string | null } };
    const query = /* GraphQL */ `
      { kpi(key: "won_revenue") { breakdown(period: ${range('01', '07')}, by: TEAM, thenBy: PRODUCT_LINE) {
          label second { dimension key label } value { exact } shareOfTotal { exact } } } }`;
    const { result, statements } = await countStatements(db, () => client.execute<{ kpi: { breakdown: Group[] } }>(query));
    expect(result.errors).toBeUndefined();
    expect(statements).toHaveLength(1);
    const groups = result.data!.kpi.breakdown.map((g) => [g.label, g.second?.label, g.value.exact, g.shareOfTotal.exact]);
    // South's lost deals are of the fixture's default line "core" and won nothing: their group is 0 of the 800.
    expect(groups).toEqual([
      ['North', 'Cloud', '100', '0.125'],
      ['North', 'Support', '200', '0.25'],
      ['South', 'Cloud', '100', '0.125'],
      ['South', 'core', '0', '0'],
      ['West', 'Cloud', '400', '0.5'],
    ]);
    expect(result.data!.kpi.breakdown[0]!.second).toEqual({ dimension: 'PRODUCT_LINE', key: 'Cloud', label: 'Cloud' });
    const same = await client.execute(/* GraphQL */ `{ kpi(key: "won_revenue") { breakdown(period: ${range('01', '07')}, by: TEAM, thenBy: TEAM) { label } } }`);
    expect(same.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'thenBy' });
  });

  it('refuses contradictory windows and comparisons, naming the field', async () => {
    const both = await client.execute(/* GraphQL */ `{ kpi(key: "won_revenue") { series(range: ${range('02', '04')}, grain: MONTH, window: { rolling: 2, cumulative: true }) { start } } }`);
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'window' });
    const zero = await client.execute(/* GraphQL */ `{ kpi(key: "won_revenue") { series(range: ${range('02', '04')}, grain: MONTH, window: { rolling: 0 }) { start } } }`);
    expect(zero.errors?.[0]?.message).toMatch(/rolling.*at least 1/);
    const twice = await client.execute(/* GraphQL */ `
      { kpi(key: "won_revenue") { value(period: ${range('02', '03')}, compareTo: YEAR_AGO, compareToPeriod: ${range('01', '02')}) { exact } } }`);
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'compareToPeriod' });
  });
});
