import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { Fixture, FixtureSpec } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import { createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';
import { createGoal, errorOf, gid } from './helpers.js';

/**
 * Won revenue (WON deals' amounts by close date) on a UTC workspace; teams
 * North (Ana, Ben) and South (Cy). Goals run over Q1 2025 (90 days) and are
 * judged on 15 February (45 days in: elapsed 0.5, 45 days left).
 *
 * - Q1 2025 by 15 Feb: Ana 1000 (01-10) + 500 (02-01) = 1500; Ben 300
 *   (01-20); Cy 2000 (02-10). North 1800, South 2000, workspace 3800.
 * - Q4 2024 (the previous period, the reference): Ana 600, Ben 400, Cy 1000.
 * - Q1 2024 (a year earlier): Ana 200 (01-15) and 800 (03-01): by 15 Feb
 *   200 of 1000, a share of 0.2. Cy and Ben: nothing.
 */
const deal = (customer: string, amount: number, closedAt: string) => ({ customer, amount, stage: 'WON' as const, createdAt: '2023-01-01T00:00:00Z', closedAt: `${closedAt}T12:00:00Z` });
const spec = (): FixtureSpec => ({
  workspace: { timeZone: 'UTC' },
  users: [{ name: 'Ana', team: 'North' }, { name: 'Ben', team: 'North' }, { name: 'Cy', team: 'South' }],
  customers: [{ name: 'A', owner: 'Ana' }, { name: 'B', owner: 'Ben' }, { name: 'C', owner: 'Cy' }],
  deals: [
    deal('A', 1000, '2025-01-10'), deal('A', 500, '2025-02-01'), deal('B', 300, '2025-01-20'), deal('C', 2000, '2025-02-10'),
    deal('A', 600, '2024-11-10'), deal('B', 400, '2024-11-10'), deal('C', 1000, '2024-11-10'),
    deal('A', 200, '2024-01-15'), deal('A', 800, '2024-03-01'),
  ],
});

const q1 = { start: '2025-01-01T00:00:00Z', end: '2025-04-01T00:00:00Z' };
const at = '2025-02-15T00:00:00Z';

const progressQuery = /* GraphQL */ `
  query P($id: ID!, $at: DateTime) {
    node(id: $id) {
      ... on Goal {
        scopeFromOwner ownerKind scope { summary }
        children { targetExact team { name } }
        progress(at: $at) {
          actual expected projected gap status pacing pacingWarning rolledUp
          required { remaining perDay perWeek daysLeft reason { code } }
          drivers(by: OWNER) { key actual share expected contribution }
          childrenCarrying { team { name } }
          childrenMissing { team { name } }
        }
      }
    }
  }
`;

interface Progress {
  actual: number | null; expected: number | null; projected: number | null; gap: number | null; status: string; pacing: string; pacingWarning: string | null; rolledUp: boolean;
  required: { remaining: number | null; perDay: number | null; perWeek: number | null; daysLeft: number; reason: { code: string } | null };
  drivers: { key: string; actual: number; share: number; expected: number; contribution: number }[];
  childrenCarrying: { team: { name: string } }[];
  childrenMissing: { team: { name: string } }[];
}
interface Node { scopeFromOwner: boolean; ownerKind: string; scope: { summary: string }; children: { targetExact: string; team: { name: string } }[]; progress: Progress }

let db: Database;
let fixture: Fixture;
let client: TestClient;

async function read(id: string): Promise<Node> {
  const result = await client.execute<{ node: Node }>(progressQuery, { id, at });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.node;
}

const base = { kpiKey: 'won_revenue', period: q1, description: 'Close the renewals' };

beforeAll(async () => {
  db = await createTestDatabase();
  fixture = await createFixture(db, spec());
  client = createTestClient(db, fixture.workspaceId);
});
afterAll(async () => db.close());

describe('owner scope: a goal without a scope measures its owner’s own work', () => {
  it('a team goal measures the team (North 1800), equal to the KPI filtered to the team', async () => {
    const north = fixture.ids.teams['North']!;
    const goal = await createGoal(client, { ...base, target: '4000', owner: { teamId: String(north) } });
    const node = await read(goal.id);
    expect(node).toMatchObject({ scopeFromOwner: true, ownerKind: 'TEAM', scope: { summary: `team ${north}` } });
    expect(node.progress.actual).toBe(1800);
    const kpi = await client.execute<{ kpi: { value: { value: number } } }>(
      `query K($f: KpiFilter) { kpi(key: "won_revenue") { value(period: { start: "${q1.start}", end: "${at}" }, filter: $f) { value } } }`,
      { f: { team: [gid('Team', north)] } },
    );
    expect(kpi.errors, JSON.stringify(kpi.errors)).toBeUndefined();
    expect(kpi.data!.kpi.value.value).toBe(1800);
  });

  it('a rep goal measures the rep (Ana 1500); a company goal everything (3800)', async () => {
    const ana = await createGoal(client, { ...base, target: '3000', owner: { userId: gid('User', fixture.ids.users['Ana']!) } });
    expect((await read(ana.id)).progress.actual).toBe(1500);
    const company = await createGoal(client, { ...base, target: '8000', owner: { workspace: true } });
    const node = await read(company.id);
    expect(node).toMatchObject({ ownerKind: 'WORKSPACE', scope: { summary: 'whole workspace' } });
    expect(node.progress.actual).toBe(3800);
  });

  it('an explicit scope is kept: scope {} on a team goal measures the whole workspace', async () => {
    const goal = await createGoal(client, { ...base, target: '4000', owner: { teamId: String(fixture.ids.teams['North']!) }, scope: {} });
    const node = await read(goal.id);
    expect(node.scopeFromOwner).toBe(false);
    expect(node.progress.actual).toBe(3800);
  });

  it('refuses a rep goal on a KPI that cannot be split by owner, naming the owner field', async () => {
    const result = await client.execute(`mutation C($input: CreateGoalInput!) { createGoal(input: $input) { id } }`, {
      input: { kpiKey: 'cac', target: '80', period: q1, description: 'Cheaper leads', owner: { userId: String(fixture.ids.users['Ana']!) } },
    });
    expect(errorOf(result)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.owner' });
    expect(errorOf(result).message).toMatch(/cac cannot be split by owner.*explicit scope/);
  });

  it('names the field the caller sent for a bad owner ID', async () => {
    const result = await client.execute(`mutation C($input: CreateGoalInput!) { createGoal(input: $input) { id } }`, {
      input: { ...base, target: '1', owner: { teamId: 'not-an-id' } },
    });
    expect(errorOf(result)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.owner.teamId' });
    const missing = await client.execute(`mutation C($input: CreateGoalInput!) { createGoal(input: $input) { id } }`, {
      input: { ...base, target: '1', owner: { teamId: '99999' } },
    });
    expect(errorOf(missing)).toMatchObject({ code: 'NOT_FOUND', field: 'input.owner.teamId' });
  });
});

describe('what it would take, and why', () => {
  it('North, target 4000: expected 2000, gap −200; 2200 left over 45 days: 48.89 a day, 342.22 a week', async () => {
    const goal = await createGoal(client, { ...base, target: '4000', owner: { teamId: String(fixture.ids.teams['North']!) } });
    const { progress } = await read(goal.id);
    expect(progress).toMatchObject({ actual: 1800, expected: 2000, gap: -200, projected: 3600, pacing: 'LINEAR' });
    expect(progress.required.remaining).toBe(2200);
    expect(progress.required.daysLeft).toBe(45);
    expect(progress.required.perDay).toBeCloseTo(2200 / 45, 10);
    expect(progress.required.perWeek).toBeCloseTo((2200 / 45) * 7, 10);
    // Shares of Q4 2024: Ana 600 / 1000, Ben 400 / 1000. Ana expected
    // 2000 × 0.6 = 1200, contributes 1500 − 1200 = +300; Ben 800, 300 − 800 = −500;
    // worst first; −500 + 300 = −200, the gap.
    const ana = String(fixture.ids.users['Ana']!);
    const ben = String(fixture.ids.users['Ben']!);
    expect(progress.drivers).toEqual([
      { key: ben, actual: 300, share: 0.4, expected: 800, contribution: -500 },
      { key: ana, actual: 1500, share: 0.6, expected: 1200, contribution: 300 },
    ]);
  });

  it('required is null with a reason once the target is reached', async () => {
    const goal = await createGoal(client, { ...base, target: '1000', owner: { userId: String(fixture.ids.users['Ana']!) } });
    const { progress } = await read(goal.id);
    expect(progress.status).toBe('ACHIEVED');
    expect(progress.required).toMatchObject({ perDay: null, perWeek: null, remaining: -500, reason: { code: 'ALREADY_REACHED' } });
  });

  it('seasonal pacing: Ana’s Q1 2024 had 200 of 1000 by 15 Feb, so 3000 × 0.2 = 600 is expected and 1500 ÷ 0.2 = 7500 projected', async () => {
    const goal = await createGoal(client, { ...base, target: '3000', pacing: 'SEASONAL', owner: { userId: String(fixture.ids.users['Ana']!) } });
    const { progress } = await read(goal.id);
    expect(progress).toMatchObject({ pacing: 'SEASONAL', pacingWarning: null, expected: 600, projected: 7500, gap: 900, status: 'ON_TRACK' });
  });

  it('seasonal pacing without last year’s value falls back to linear with a warning', async () => {
    const goal = await createGoal(client, { ...base, target: '3000', pacing: 'SEASONAL', owner: { userId: String(fixture.ids.users['Cy']!) } });
    const { progress } = await read(goal.id);
    expect(progress).toMatchObject({ pacing: 'LINEAR', expected: 1500, projected: 4000 });
    expect(progress.pacingWarning).toMatch(/fell back to linear/);
  });
});

describe('cascades', () => {
  const cascade = /* GraphQL */ `mutation S($id: ID!, $input: CascadeGoalInput!) { cascadeGoal(id: $id, input: $input) { id children { targetExact team { name } } } }`;

  it('splits 10000 by weights 7 : 3, rolls up 1800 + 2000, and shows South carrying and North missing', async () => {
    const parent = await createGoal(client, { ...base, target: '10000', owner: { workspace: true } });
    const north = String(fixture.ids.teams['North']!);
    const south = String(fixture.ids.teams['South']!);
    const result = await client.execute<{ cascadeGoal: { children: { targetExact: string; team: { name: string } }[] } }>(cascade, {
      id: parent.id,
      input: { children: [{ teamId: north }, { teamId: south }], method: 'WEIGHTS', weights: ['7', '3'] },
    });
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    expect(result.data!.cascadeGoal.children).toEqual([{ targetExact: '7000', team: { name: 'North' } }, { targetExact: '3000', team: { name: 'South' } }]);
    // North: 1800 → 3600 projected < 6300 (7000 less 10 %): OFF_TRACK. South:
    // 2000 → 4000 ≥ 3000: ON_TRACK. Parent: 3800 → 7600 < 9000: OFF_TRACK.
    const { progress } = await read(parent.id);
    expect(progress).toMatchObject({ rolledUp: true, actual: 3800, projected: 7600, status: 'OFF_TRACK' });
    expect(progress.childrenCarrying).toEqual([{ team: { name: 'South' } }]);
    expect(progress.childrenMissing).toEqual([{ team: { name: 'North' } }]);

    const again = await client.execute(cascade, { id: parent.id, input: { children: [{ teamId: north }], method: 'EVEN' } });
    expect(errorOf(again).code).toBe('CONFLICT');

    const resplit = await client.execute<{ updateGoal: { children: { targetExact: string }[] } }>(
      `mutation U($id: ID!, $version: Int!) { updateGoal(id: $id, version: $version, input: { target: "20000" }, resplit: true) { children { targetExact } } }`,
      { id: parent.id, version: parent.version },
    );
    expect(resplit.errors, JSON.stringify(resplit.errors)).toBeUndefined();
    expect(resplit.data!.updateGoal.children).toEqual([{ targetExact: '14000' }, { targetExact: '6000' }]);
  });

  it('splits by each child’s share of the reference period (Q4 2024: Ana 600, Ben 400)', async () => {
    const parent = await createGoal(client, { ...base, target: '5000', owner: { teamId: String(fixture.ids.teams['North']!) } });
    const result = await client.execute<{ cascadeGoal: { children: { targetExact: string }[] } }>(cascade, {
      id: parent.id,
      input: { children: [{ userId: String(fixture.ids.users['Ana']!) }, { userId: String(fixture.ids.users['Ben']!) }], method: 'REFERENCE' },
    });
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    expect(result.data!.cascadeGoal.children.map((c) => c.targetExact)).toEqual(['3000', '2000']);
  });
});
