import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { Fixture, FixtureSpec } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import { createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';
import type { GoalData } from './helpers.js';
import { createGoal, gid, progressAt, updateGoalMutation } from './helpers.js';

/**
 * The SMART examples of KPI_CATALOGUE.md on one hand-made workspace (UTC),
 * every number worked out in the comments.
 *
 * - AT-1…AT-20 (region AT) converted 2024-01-01; churned: four in Q1 2025
 *   (Jan 10, Feb 10, Mar 10, Mar 20), three in Q2 (Apr 20, May 10, Jun 15).
 *   Churn Q1 = 4 / 20 = 0.2. Q2: 16 active on 1 April.
 * - DE-1…DE-5 converted 2023-06-01; DE-1 churned 2024-05-01, DE-2 2025-03-10.
 *   FR-1…FR-4 converted 2023-06-01; FR-1 churned 2024-02-01.
 * - Deals of "Deals Inc" (US), all WON: 120 days (2024-11-01 → 2025-03-01),
 *   60 (03-01 → 04-30), 15 (06-16 → 07-01), 20 (07-01 → 07-21).
 * - NL customers N1…N5 converted 2024-03-01, 2024-10-01, 2025-01-15,
 *   2025-03-01, 2025-11-01; payments 2024: N1 1000 (03-15) + 1000 (06-15),
 *   N2 2000 (10-10) → new revenue 2024 = 4000; 2025: N3 1500 (02-01),
 *   N2 500 (02-15, within 6 months of its conversion), N4 1500 (04-01),
 *   N5 2500 (11-15).
 * - Spend 2025: marketing 155 (01-10), sales 100 (03-05). New customers
 *   2025: N3, N4 (by March), N5 (November).
 */
const spec = (): FixtureSpec => {
  const customers: NonNullable<FixtureSpec['customers']>[number][] = [];
  const atChurn = ['2025-01-10', '2025-02-10', '2025-03-10', '2025-03-20', '2025-04-20', '2025-05-10', '2025-06-15'];
  for (let i = 1; i <= 20; i++) {
    const churnedAt = atChurn[i - 1];
    customers.push({ name: `AT-${i}`, owner: 'Mia', region: 'AT', createdAt: '2023-12-01T00:00:00Z', convertedAt: '2024-01-01T00:00:00Z', ...(churnedAt ? { churnedAt: `${churnedAt}T12:00:00Z` } : {}) });
  }
  const churnDe: Record<number, string> = { 1: '2024-05-01T00:00:00Z', 2: '2025-03-10T00:00:00Z' };
  for (let i = 1; i <= 5; i++) customers.push({ name: `DE-${i}`, owner: 'Mia', region: 'DE', convertedAt: '2023-06-01T00:00:00Z', ...(churnDe[i] ? { churnedAt: churnDe[i] } : {}) });
  for (let i = 1; i <= 4; i++) customers.push({ name: `FR-${i}`, owner: 'Mia', region: 'FR', convertedAt: '2023-06-01T00:00:00Z', ...(i === 1 ? { churnedAt: '2024-02-01T00:00:00Z' } : {}) });
  customers.push({ name: 'Deals Inc', owner: 'Mia', region: 'US', convertedAt: '2024-01-01T00:00:00Z' });
  const converted = ['2024-03-01', '2024-10-01', '2025-01-15', '2025-03-01', '2025-11-01'];
  converted.forEach((day, i) => customers.push({ name: `N${i + 1}`, owner: 'Mia', region: 'NL', createdAt: `${day.slice(0, 4)}-01-01T00:00:00Z`, convertedAt: `${day}T00:00:00Z` }));
  const won = (createdAt: string, closedAt: string) => ({ customer: 'Deals Inc', stage: 'WON' as const, createdAt: `${createdAt}T00:00:00Z`, closedAt: `${closedAt}T00:00:00Z` });
  return {
    users: [{ name: 'Mia', team: 'Sales' }],
    customers,
    deals: [won('2024-11-01', '2025-03-01'), won('2025-03-01', '2025-04-30'), won('2025-06-16', '2025-07-01'), won('2025-07-01', '2025-07-21')],
    payments: [
      { customer: 'N1', amount: '1000', paidAt: '2024-03-15T00:00:00Z' },
      { customer: 'N1', amount: '1000', paidAt: '2024-06-15T00:00:00Z' },
      { customer: 'N2', amount: '2000', paidAt: '2024-10-10T00:00:00Z' },
      { customer: 'N3', amount: '1500', paidAt: '2025-02-01T00:00:00Z' },
      { customer: 'N2', amount: '500', paidAt: '2025-02-15T00:00:00Z' },
      { customer: 'N4', amount: '1500', paidAt: '2025-04-01T00:00:00Z' },
      { customer: 'N5', amount: '2500', paidAt: '2025-11-15T00:00:00Z' },
    ],
    spend: [
      { category: 'MARKETING', date: '2025-01-10T00:00:00Z', amount: '155' },
      { category: 'SALES', date: '2025-03-05T00:00:00Z', amount: '100' },
    ],
  };
};

const year2025 = { start: '2025-01-01T00:00:00Z', end: '2026-01-01T00:00:00Z' };

let db: Database;
let fixture: Fixture;
let client: TestClient;
let mia: string;
let sales: string;
const goals: Record<string, GoalData> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  fixture = await createFixture(db, spec());
  client = createTestClient(db, fixture.workspaceId);
  mia = gid('User', fixture.ids.users['Mia']!);
  sales = gid('Team', fixture.ids.teams['Sales']!);
});
afterAll(async () => db.close());

describe('reduce churn_rate by 25 % against last quarter by the end of the quarter (AT, Q2 2025)', () => {
  it('computes the baseline from Q1 (4 / 20 = 0.2), flags a target it already meets, then takes baseline × 0.75', async () => {
    const draft = await createGoal(client, {
      kpiKey: 'churn_rate',
      target: '0.2',
      period: { start: '2025-04-01T00:00:00Z', end: '2025-07-01T00:00:00Z' },
      teamId: sales,
      scope: { region: ['AT'] },
      description: 'Call every AT customer with falling usage within a week',
      rationale: 'Churn in AT doubled last year',
    });
    expect(draft.baselineExact).toBe('0.2');
    expect(draft.targetAlreadyMet).toBe(true);
    expect(draft.warnings[0]).toContain('already met');
    expect(draft.scope.summary).toBe('region AT');
    const target = (draft.baseline! * 0.75).toFixed(2); // 0.15
    const updated = await client.execute<{ updateGoal: GoalData }>(updateGoalMutation, { id: draft.id, version: draft.version, input: { target } });
    expect(updated.errors).toBeUndefined();
    goals['churn'] = updated.data!.updateGoal;
    expect(goals['churn']).toMatchObject({ targetExact: '0.15', version: 2, warnings: [], targetAlreadyMet: false, baselineExact: '0.2' });
  });

  it('on 31 May: 2 of 16 churned = 0.125 ≤ 0.15 → ON_TRACK, attainment 0.15 ÷ 0.125 = 1.2; the target is what is expected', async () => {
    const p = await progressAt(client, goals['churn']!.id, '2025-05-31T00:00:00Z');
    expect(p).toMatchObject({ exact: '0.125', status: 'ON_TRACK', expected: 0.15, projected: 0.125 });
    expect(p.attainment).toBeCloseTo(1.2, 12);
  });

  it('on 30 June: 3 of 16 = 0.1875, beyond 0.15 + 10 % = 0.165 → OFF_TRACK', async () => {
    expect(await progressAt(client, goals['churn']!.id, '2025-06-30T00:00:00Z')).toMatchObject({ exact: '0.1875', status: 'OFF_TRACK' });
  });

  it('asked on 15 July, it is judged at the end of Q2: 0.1875 > 0.15 → MISSED, attainment 0.8', async () => {
    const p = await progressAt(client, goals['churn']!.id, '2025-07-15T00:00:00Z');
    expect(p).toMatchObject({ at: '2025-07-01T00:00:00.000Z', elapsedFraction: 1, exact: '0.1875', status: 'MISSED' });
    expect(p.attainment).toBeCloseTo(0.8, 12);
  });
});

describe('cut sales_cycle_days from 120 to 60 in 2025', () => {
  beforeAll(async () => {
    goals['cycle'] = await createGoal(client, {
      kpiKey: 'sales_cycle_days', target: '60', baseline: '120', period: year2025, ownerId: mia, scope: {},
      description: 'Qualify out deals without a budget in the first call',
    });
  });

  it('keeps the given baseline and has no warnings', () => {
    expect(goals['cycle']).toMatchObject({ baselineExact: '120', targetExact: '60', warnings: [] });
  });
  it('on 1 May: deals won so far took 120 and 60 days, mean 90 > 66 → OFF_TRACK, attainment 60 ÷ 90', async () => {
    const p = await progressAt(client, goals['cycle']!.id, '2025-05-01T00:00:00Z');
    expect(p).toMatchObject({ actual: 90, expected: 60, projected: 90, status: 'OFF_TRACK' });
    expect(p.attainment).toBeCloseTo(2 / 3, 12);
  });
  it('on 2 July: (120 + 60 + 15) ÷ 3 = 65, within 66 → AT_RISK', async () => {
    expect(await progressAt(client, goals['cycle']!.id, '2025-07-02T00:00:00Z')).toMatchObject({ actual: 65, status: 'AT_RISK' });
  });
  it('on 1 August: 215 ÷ 4 = 53.75 ≤ 60 → ON_TRACK; after the year → ACHIEVED, attainment 60 ÷ 53.75', async () => {
    expect(await progressAt(client, goals['cycle']!.id, '2025-08-01T00:00:00Z')).toMatchObject({ actual: 53.75, status: 'ON_TRACK' });
    const final = await progressAt(client, goals['cycle']!.id, '2026-01-05T00:00:00Z');
    expect(final).toMatchObject({ actual: 53.75, status: 'ACHIEVED', elapsedFraction: 1 });
    expect(final.attainment).toBeCloseTo(60 / 53.75, 12);
  });
});

describe('raise new_revenue 50 % in 2025 against 2024', () => {
  beforeAll(async () => {
    goals['revenue'] = await createGoal(client, {
      kpiKey: 'new_revenue', target: '6000', period: year2025, ownerId: mia, scope: {}, description: 'Onboarding call in the first week for every new customer',
    });
  });

  it('computes the baseline over 2024 (1000 + 1000 + 2000 = 4000); the target is 4000 × 1.5', () => {
    expect(goals['revenue']!.baselineExact).toBe('4000');
    expect(goals['revenue']!.target).toBe(goals['revenue']!.baseline! * 1.5);
  });
  it('on 1 April: 2000 earned; expected 6000 × 90/365, projected 2000 × 365/90 ≈ 8111 ≥ 6000 → ON_TRACK', async () => {
    const p = await progressAt(client, goals['revenue']!.id, '2025-04-01T00:00:00Z');
    expect(p).toMatchObject({ exact: '2000', status: 'ON_TRACK' });
    expect(p.elapsedFraction).toBeCloseTo(90 / 365, 12);
    expect(p.expected).toBeCloseTo((6000 * 90) / 365, 9);
    expect(p.projected).toBeCloseTo((2000 * 365) / 90, 9);
    expect(p.attainment).toBeCloseTo(1 / 3, 12);
  });
  it('on 1 October: 3500 × 365/273 ≈ 4679 < 5400 → OFF_TRACK', async () => {
    const p = await progressAt(client, goals['revenue']!.id, '2025-10-01T00:00:00Z');
    expect(p).toMatchObject({ exact: '3500', status: 'OFF_TRACK' });
    expect(p.projected).toBeCloseTo((3500 * 365) / 273, 9);
  });
  it('on 16 November: 6000 reached before the end → ACHIEVED', async () => {
    expect(await progressAt(client, goals['revenue']!.id, '2025-11-16T00:00:00Z')).toMatchObject({ exact: '6000', status: 'ACHIEVED', attainment: 1 });
  });
});

describe('lower cac from 115 to 80 by the end of 2025', () => {
  beforeAll(async () => {
    goals['cac'] = await createGoal(client, { kpiKey: 'cac', target: '80', baseline: '115', period: year2025, ownerId: mia, scope: {}, description: 'Move budget from display ads to referrals' });
  });

  it('on 1 April: 255 ÷ 2 new customers = 127.5 > 88 → OFF_TRACK; an average, so expected is the target', async () => {
    const p = await progressAt(client, goals['cac']!.id, '2025-04-01T00:00:00Z');
    expect(p).toMatchObject({ actual: 127.5, expected: 80, projected: 127.5, status: 'OFF_TRACK' });
  });
  it('on 2 November: 255 ÷ 3 = 85, within 88 → AT_RISK; at the end still 85 → MISSED, attainment 80 ÷ 85', async () => {
    expect(await progressAt(client, goals['cac']!.id, '2025-11-02T00:00:00Z')).toMatchObject({ actual: 85, status: 'AT_RISK' });
    const final = await progressAt(client, goals['cac']!.id, '2026-02-01T00:00:00Z');
    expect(final).toMatchObject({ actual: 85, status: 'MISSED' });
    expect(final.attainment).toBeCloseTo(80 / 85, 12);
  });
});

describe('keep retention_rate ≥ 80 % in every region (one goal per region)', () => {
  beforeAll(async () => {
    for (const region of ['DE', 'FR']) {
      goals[`retention-${region}`] = await createGoal(client, {
        kpiKey: 'retention_rate', target: '0.8', period: year2025, teamId: sales, scope: { region: [region] }, description: `Quarterly business review with every ${region} customer`,
      });
    }
  });

  it('computes baselines over 2024: DE 4 of 5 = 0.8 (already met: flagged), FR 3 of 4 = 0.75', () => {
    expect(goals['retention-DE']).toMatchObject({ baselineExact: '0.8', targetAlreadyMet: true });
    expect(goals['retention-FR']).toMatchObject({ baselineExact: '0.75', targetAlreadyMet: false, warnings: [] });
  });
  it('on 2 July: DE 3 of 4 still active = 0.75, within 0.72 → AT_RISK; FR 3 of 3 = 1 → ON_TRACK', async () => {
    expect(await progressAt(client, goals['retention-DE']!.id, '2025-07-02T00:00:00Z')).toMatchObject({ actual: 0.75, status: 'AT_RISK', attainment: 0.9375 });
    expect(await progressAt(client, goals['retention-FR']!.id, '2025-07-02T00:00:00Z')).toMatchObject({ actual: 1, status: 'ON_TRACK', attainment: 1.25 });
  });
  it('after the year: DE MISSED, FR ACHIEVED', async () => {
    expect((await progressAt(client, goals['retention-DE']!.id, '2026-01-02T00:00:00Z')).status).toBe('MISSED');
    expect((await progressAt(client, goals['retention-FR']!.id, '2026-01-02T00:00:00Z')).status).toBe('ACHIEVED');
  });
});

describe('lists and scorecards of these goals on 2 July 2025', () => {
  const list = /* GraphQL */ `
    query List($filter: GoalFilter, $at: DateTime) {
      goals(filter: $filter, at: $at, first: 50) { totalCount edges { node { kpiKey scope { summary } progress { status } } } }
    }
  `;
  const listOf = async (filter: Record<string, unknown>) => {
    const result = await client.execute<{ goals: { totalCount: number; edges: { node: { kpiKey: string; scope: { summary: string }; progress: { status: string } } }[] } }>(list, { filter, at: '2025-07-02T00:00:00Z' });
    expect(result.errors).toBeUndefined();
    return result.data!.goals.edges.map((e) => `${e.node.kpiKey}${e.node.scope.summary === 'whole workspace' ? '' : ` ${e.node.scope.summary}`}: ${e.node.progress.status}`);
  };

  it('filters by status (computed as of the list’s instant)', async () => {
    expect(await listOf({ status: ['AT_RISK', 'OFF_TRACK'] })).toEqual(['sales_cycle_days: AT_RISK', 'cac: OFF_TRACK', 'retention_rate region DE: AT_RISK']);
  });
  it('filters by scope, KPI, owner, team and active date', async () => {
    expect(await listOf({ scope: { region: ['DE'] } })).toEqual(['retention_rate region DE: AT_RISK']);
    expect(await listOf({ kpiKey: ['cac', 'new_revenue'] })).toEqual(['new_revenue: ON_TRACK', 'cac: OFF_TRACK']);
    expect(await listOf({ ownerId: mia })).toHaveLength(3);
    expect(await listOf({ teamId: sales })).toHaveLength(6); // the team's three and its member's three
    expect(await listOf({ activeAt: '2025-08-01T00:00:00Z' })).toHaveLength(5); // the Q2 churn goal has ended
  });

  const scorecard = /* GraphQL */ `
    query Card($ownerId: ID, $teamId: ID) {
      scorecard(ownerId: $ownerId, teamId: $teamId, period: { start: "2025-01-01T00:00:00Z", end: "2026-01-01T00:00:00Z" }, at: "2025-07-02T00:00:00Z") {
        total attainment achieved onTrack atRisk offTrack missed goals { kpiKey }
      }
    }
  `;
  it('Mia: cycle AT_RISK (60 ÷ 65), new revenue ON_TRACK (3500 ÷ 6000), cac OFF_TRACK (80 ÷ 127.5); overall their mean', async () => {
    const result = await client.execute<{ scorecard: Record<string, number> }>(scorecard, { ownerId: mia });
    expect(result.errors).toBeUndefined();
    expect(result.data!.scorecard).toMatchObject({ total: 3, onTrack: 1, atRisk: 1, offTrack: 1, achieved: 0, missed: 0 });
    expect(result.data!.scorecard['attainment']).toBeCloseTo((60 / 65 + 3500 / 6000 + 80 / 127.5) / 3, 9);
  });
  it('team Sales: churn MISSED (0.8), DE AT_RISK (0.9375), FR ON_TRACK (1.25): overall 2.9875 ÷ 3', async () => {
    const result = await client.execute<{ scorecard: Record<string, number> }>(scorecard, { teamId: sales });
    expect(result.errors).toBeUndefined();
    expect(result.data!.scorecard).toMatchObject({ total: 3, onTrack: 1, atRisk: 1, missed: 1 });
    expect(result.data!.scorecard['attainment']).toBeCloseTo(2.9875 / 3, 9);
  });
});
