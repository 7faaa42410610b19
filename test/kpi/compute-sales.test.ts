import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import newRevenue from '../../plugins/new-revenue.js';
import stageConversion from '../../plugins/stage-conversion.js';
import stageShare from '../../plugins/stage-share.js';
import type { Database } from '../../src/db/client.js';
import type { KpiCellKey } from '../../src/kpi/cell.js';
import { KpiInputError } from '../../src/kpi/errors.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import type { CellValues, KpiDefinition } from '../../src/kpi/sdk.js';
import { evaluateKpi } from '../../src/testing/testkit.js';
import { createTestDatabase } from '../support/database.js';

const month = (y: number, m: number) => ({ start: new Date(Date.UTC(y, m - 1, 1)), end: new Date(Date.UTC(y, m, 1)) });
const shown = (values: CellValues): Record<string, string | null> =>
  Object.fromEntries([...values].map(([key, result]) => [key, result.value === null ? null : result.value.toString()]));
const third = new Decimal(1).div(3).toString();
const twoThirds = new Decimal(2).div(3).toString();
const sixth = new Decimal(1).div(6).toString();

let db: Database;
let conversion: Fixture;
let share: Fixture;
let revenueUtc: Fixture;
let revenueBerlin: Fixture;
beforeAll(async () => {
  db = await createTestDatabase();
  conversion = await createFixture(db, {
    users: [{ name: 'Ann', team: 'North' }, { name: 'Bob', team: 'South' }],
    customers: [{ name: 'a', owner: 'Ann' }, { name: 'b', owner: 'Bob' }],
    deals: [{ name: 'd1', customer: 'a' }, { name: 'd2', customer: 'a' }, { name: 'd3', customer: 'a' }, { name: 'd4', customer: 'a' }, { name: 'd5', customer: 'b' }],
    stageEvents: [
      { deal: 'd1', to: 'LEAD', at: '2024-01-05T00:00:00Z' },
      { deal: 'd1', from: 'LEAD', to: 'QUALIFIED', at: '2024-02-03T00:00:00Z' },
      { deal: 'd1', from: 'QUALIFIED', to: 'PROPOSAL', at: '2024-03-10T00:00:00Z' },
      { deal: 'd2', from: 'LEAD', to: 'QUALIFIED', at: '2024-02-10T00:00:00Z' },
      { deal: 'd2', from: 'QUALIFIED', to: 'LOST', at: '2024-02-20T00:00:00Z' },
      { deal: 'd3', from: 'LEAD', to: 'QUALIFIED', at: '2024-02-15T00:00:00Z' },
      { deal: 'd3', from: 'QUALIFIED', to: 'LEAD', at: '2024-02-16T00:00:00Z' },
      { deal: 'd3', from: 'LEAD', to: 'QUALIFIED', at: '2024-02-18T00:00:00Z' },
      { deal: 'd3', from: 'QUALIFIED', to: 'NEEDS_ANALYSIS', at: '2024-04-01T00:00:00Z' },
      { deal: 'd4', from: 'LEAD', to: 'QUALIFIED', at: '2024-03-01T00:00:00Z' },
      { deal: 'd5', from: 'LEAD', to: 'QUALIFIED', at: '2024-02-25T00:00:00Z' },
      { deal: 'd5', from: 'QUALIFIED', to: 'WON', at: '2024-02-28T00:00:00Z' },
    ],
  });
  share = await createFixture(db, {
    users: [{ name: 'Ann', team: 'North' }, { name: 'Bob', team: 'South' }],
    customers: [{ name: 'a', owner: 'Ann' }, { name: 'b', owner: 'Bob' }],
    deals: [
      { name: 's1', customer: 'a', createdAt: '2024-01-01T00:00:00Z' },
      { name: 's2', customer: 'a', createdAt: '2024-01-01T00:00:00Z' },
      { name: 's3', customer: 'a', createdAt: '2024-01-01T00:00:00Z' },
      { name: 's4', customer: 'a', createdAt: '2024-01-01T00:00:00Z', stage: 'WON', closedAt: '2024-02-20T00:00:00Z' },
      { name: 's5', customer: 'b', createdAt: '2024-02-01T00:00:00Z', stage: 'WON', closedAt: '2024-03-01T00:00:00Z' },
      { name: 's6', customer: 'b', createdAt: '2024-03-05T00:00:00Z' },
      { name: 's7', customer: 'b', createdAt: '2024-01-01T00:00:00Z', stage: 'PROPOSAL' },
      { name: 's8', customer: 'b', createdAt: '2024-01-01T00:00:00Z', stage: 'NEGOTIATION' },
    ],
    stageEvents: [
      { deal: 's1', to: 'LEAD', at: '2024-01-01T00:00:00Z' },
      { deal: 's1', from: 'LEAD', to: 'QUALIFIED', at: '2024-02-10T00:00:00Z' },
      { deal: 's1', from: 'QUALIFIED', to: 'PROPOSAL', at: '2024-03-01T00:00:00Z' },
      { deal: 's2', to: 'LEAD', at: '2024-01-01T00:00:00Z' },
      { deal: 's2', from: 'LEAD', to: 'NEEDS_ANALYSIS', at: '2024-01-20T00:00:00Z' },
      { deal: 's3', to: 'LEAD', at: '2024-01-01T00:00:00Z' },
      { deal: 's3', from: 'LEAD', to: 'NEEDS_ANALYSIS', at: '2024-02-05T00:00:00Z' },
      { deal: 's4', to: 'LEAD', at: '2024-01-01T00:00:00Z' },
      { deal: 's4', from: 'LEAD', to: 'WON', at: '2024-02-20T00:00:00Z' },
      { deal: 's5', to: 'LEAD', at: '2024-02-01T00:00:00Z' },
      { deal: 's5', from: 'LEAD', to: 'WON', at: '2024-03-01T00:00:00Z' },
      { deal: 's8', from: 'QUALIFIED', to: 'NEGOTIATION', at: '2024-03-10T00:00:00Z' },
    ],
  });
  // The same rows in two time zones: calendar months are counted on the local clock.
  const revenueSpec = (timeZone: string) => ({
    workspace: { timeZone },
    customers: [
      { name: 'n1', convertedAt: '2024-01-31T10:00:00Z' },
      { name: 'n2', convertedAt: '2024-06-15T00:00:00Z' },
      { name: 'n3' },
      { name: 'n4', convertedAt: '2024-03-31T22:30:00Z' },
    ],
    payments: [
      { customer: 'n1', amount: '100.10', paidAt: '2024-07-31T10:00:00Z' },
      { customer: 'n1', amount: '0.20', paidAt: '2024-07-31T10:00:01Z' },
      { customer: 'n2', amount: '7.00', paidAt: '2024-06-10T00:00:00Z' },
      { customer: 'n2', amount: '50.05', paidAt: '2024-07-01T00:00:00Z' },
      { customer: 'n2', amount: '3.00', paidAt: '2024-08-01T00:00:00Z' },
      { customer: 'n3', amount: '999.00', paidAt: '2024-07-15T00:00:00Z' },
      { customer: 'n4', amount: '10.00', paidAt: '2024-09-30T23:00:00Z' },
    ],
  });
  revenueUtc = await createFixture(db, revenueSpec('UTC'));
  revenueBerlin = await createFixture(db, revenueSpec('Europe/Berlin'));
});
afterAll(async () => db?.close());

const evaluate = (fixture: Fixture, definition: KpiDefinition, cell: Omit<KpiCellKey, 'kpiKey'>) => evaluateKpi(db, fixture.scope, definition, cell);

describe('stage_conversion', () => {
  it('follows the deals that entered the stage in the period, whenever they moved on', async () => {
    // February, S = QUALIFIED: d1, d2, d3 (twice, counted once), d5 entered = 4.
    // Later stage: d1 PROPOSAL (10 March, after the period: still counts), d3
    // NEEDS_ANALYSIS, d5 WON; d2 went to LOST, which is not later. 3 / 4.
    // d4 entered at 1 March 00:00: March, not February.
    expect(shown(await evaluate(conversion, stageConversion, { period: month(2024, 2), params: { stage: 'QUALIFIED' } }))).toEqual({ '*': '0.75' });
    expect(shown(await evaluate(conversion, stageConversion, { period: month(2024, 3), params: { stage: 'QUALIFIED' } }))).toEqual({ '*': '0' });
    expect(shown(await evaluate(conversion, stageConversion, { period: month(2024, 1), params: { stage: 'LEAD' } }))).toEqual({ '*': '1' });
  });

  it('groups by the deal owner’s team', async () => {
    // North (Ann): d1, d2, d3 → d1 and d3 advanced = 2/3; South (Bob): d5 → 1/1.
    const values = await evaluate(conversion, stageConversion, { period: month(2024, 2), params: { stage: 'QUALIFIED' }, groupBy: 'team' });
    expect(shown(values)).toEqual({ [String(conversion.ids.teams['North'])]: twoThirds, [String(conversion.ids.teams['South'])]: '1' });
  });

  it('gives null with a reason when no deal entered the stage, and rejects a bad stage', async () => {
    const empty = (await evaluate(conversion, stageConversion, { period: month(2024, 1), params: { stage: 'QUALIFIED' } })).get('*')!;
    expect(empty.value).toBeNull();
    expect(empty.reason?.code).toBe('ZERO_DENOMINATOR');
    await expect(evaluate(conversion, stageConversion, { period: month(2024, 2), params: { stage: 'WON' } })).rejects.toThrow(KpiInputError);
    await expect(evaluate(conversion, stageConversion, { period: month(2024, 2) })).rejects.toMatchObject({ field: 'params.stage' });
  });
});

describe('stage_share', () => {
  // Open at 1 March (createdAt < t, no closedAt < t): s1 (QUALIFIED: its move to
  // PROPOSAL is at t, not before), s2 and s3 (NEEDS_ANALYSIS), s5 (closed at t,
  // so open; LEAD), s7 (no moves: its current PROPOSAL), s8 (no move before t:
  // the stage its first later move left, QUALIFIED). s4 closed before; s6 created after.
  it('gives one share per stage of the open deals at the end of the period', async () => {
    const values = await evaluate(share, stageShare, { period: month(2024, 2), groupBy: 'stage' });
    expect(shown(values)).toEqual({ LEAD: sixth, QUALIFIED: third, NEEDS_ANALYSIS: third, PROPOSAL: sixth, NEGOTIATION: '0' });
    expect(values.get('LEAD')?.denominator?.toString()).toBe('6');
  });

  it('gives the share of one stage, also per team', async () => {
    expect(shown(await evaluate(share, stageShare, { period: month(2024, 2), params: { stage: 'NEEDS_ANALYSIS' } }))).toEqual({ '*': third });
    // North (Ann): s1, s2, s3 → 2 of 3 in needs analysis; South (Bob): s5, s7, s8 → 0 of 3.
    const byTeam = await evaluate(share, stageShare, { period: month(2024, 2), params: { stage: 'NEEDS_ANALYSIS' }, groupBy: 'team' });
    expect(shown(byTeam)).toEqual({ [String(share.ids.teams['North'])]: twoThirds, [String(share.ids.teams['South'])]: '0' });
  });

  it('has no value without open deals, and needs a stage unless grouped by stage', async () => {
    // At 1 January no deal was created before: every share is null with a reason.
    const values = await evaluate(share, stageShare, { period: month(2023, 12), groupBy: 'stage' });
    expect([...values.keys()]).toEqual(['LEAD', 'QUALIFIED', 'NEEDS_ANALYSIS', 'PROPOSAL', 'NEGOTIATION']);
    expect([...values.values()].every((r) => r.value === null && r.reason?.code === 'ZERO_DENOMINATOR')).toBe(true);
    await expect(evaluate(share, stageShare, { period: month(2024, 2) })).rejects.toMatchObject({ field: 'params.stage' });
  });
});

describe('new_revenue', () => {
  it('counts payments within N calendar months of conversion, boundaries included', async () => {
    // July: n1's 100.10 is paid exactly 6 months after conversion (kept); its
    // 0.20 a second later (dropped); n2's 50.05 (converted 15 June). n3 never
    // converted; n2's June payment predates conversion. 150.15.
    const july = (await evaluate(revenueUtc, newRevenue, { period: month(2024, 7) })).get('*')!;
    expect(july.value?.toString()).toBe('150.15');
    expect(july.sampleSize).toBe(2);
    // One month: 31 July − 1 month = 30 June > n1's conversion; 1 July − 1 month = 1 June ≤ 15 June.
    expect(shown(await evaluate(revenueUtc, newRevenue, { period: month(2024, 7), params: { months: 1 } }))).toEqual({ '*': '50.05' });
    expect(shown(await evaluate(revenueUtc, newRevenue, { period: month(2024, 5) }))).toEqual({ '*': '0' });
  });

  it('counts months on the workspace’s local clock', async () => {
    // n4 converted 2024-03-31T22:30Z (1 April 00:30 in Berlin), paid 2024-09-30T23:00Z.
    // UTC: 30 Sep 23:00 − 6 months = 30 Mar 23:00 ≤ conversion: new revenue.
    // Berlin: 1 Oct 01:00 − 6 months = 1 Apr 01:00 (31 Mar 23:00Z) > conversion: not new.
    const autumn = { start: new Date('2024-09-01T00:00:00Z'), end: new Date('2024-11-01T00:00:00Z') };
    expect(shown(await evaluate(revenueUtc, newRevenue, { period: autumn }))).toEqual({ '*': '10' });
    expect(shown(await evaluate(revenueBerlin, newRevenue, { period: autumn }))).toEqual({ '*': '0' });
  });
});
