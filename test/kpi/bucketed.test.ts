import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import { validateCell } from '../../src/kpi/cell.js';
import { emptyGroupResult } from '../../src/kpi/empty-group.js';
import { createKpiLoader } from '../../src/kpi/engine.js';
import { createRegistry } from '../../src/kpi/registry.js';
import type { Measure } from '../../src/kpi/sdk.js';
import type { CellValues } from '../../src/kpi/sdk.js';
import { customers, deals, defineKpi, ratio, tickets, value, z } from '../../src/kpi/sdk.js';
import { expandBucketed } from '../../src/kpi/sql/bucket-expansion.js';
import type { BucketedGroup } from '../../src/kpi/sql/bucketed.js';
import { compileBucketed, isBucketable } from '../../src/kpi/sql/bucketed.js';
import type { GroupSpec, PeriodRow, ResultRow } from '../../src/kpi/sql/compile.js';
import { compileSinglePeriod, isSinglePeriod } from '../../src/kpi/sql/single-period.js';
import { compileGroup } from '../../src/kpi/sql/compile.js';
import type { Dimension, DimensionFilter } from '../../src/kpi/types.js';
import { countStatements, createTestDatabase } from '../support/database.js';

const at = (iso: string): Date => new Date(iso);
const month = (m: number): PeriodRow => ({ start: new Date(Date.UTC(2024, m - 1, 1)), end: new Date(Date.UTC(2024, m, 1)) });
const q1: PeriodRow = { start: at('2024-01-01T00:00:00Z'), end: at('2024-04-01T00:00:00Z') };
const edge = (iso: string): PeriodRow => ({ start: at('2023-01-01T00:00:00Z'), end: at(iso), edge: at(iso) });

let db: Database;
let hand: Fixture;
let random: Fixture;

/** A small deterministic generator, so the oracle comparison sees the same data every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
  hand = await createFixture(db, {
    users: [{ name: 'Ann', team: 'North' }, { name: 'Bob', team: 'South' }],
    customers: [{ name: 'c1', owner: 'Ann' }, { name: 'c2', owner: 'Bob' }],
    deals: [
      { name: 'won-feb', customer: 'c1', stage: 'WON', amount: '0.10', createdAt: '2024-01-15T00:00:00Z', closedAt: '2024-02-05T00:00:00Z' },
      { name: 'won-feb-2', customer: 'c1', stage: 'WON', amount: '0.20', createdAt: '2024-02-01T00:00:00Z', closedAt: '2024-02-11T00:00:00Z' },
      // Closed exactly at March's start: March, and still open at that edge.
      { name: 'lost-edge', customer: 'c2', stage: 'LOST', amount: '5.00', createdAt: '2024-01-01T00:00:00Z', closedAt: '2024-03-01T00:00:00Z' },
      // Created exactly at an edge: not yet open at it.
      { name: 'open-mar', customer: 'c2', stage: 'PROPOSAL', amount: '7.00', createdAt: '2024-03-01T00:00:00Z' },
      { name: 'open-old', customer: 'c1', stage: 'PROPOSAL', amount: '1.00', createdAt: '2023-06-01T00:00:00Z' },
    ],
  });
  const next = prng(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const time = (): string => new Date(Date.UTC(2023, 10, 1) + Math.floor(next() * 240) * 86_400_000 + Math.floor(next() * 4) * 21_600_000).toISOString();
  const later = (from: string): string => new Date(at(from).getTime() + Math.floor(next() * 90) * 86_400_000).toISOString();
  const owners = ['Ann', 'Bob', 'Cid', 'Dee'];
  const people = Array.from({ length: 60 }, (_, i) => {
    const createdAt = time();
    const converted = next() < 0.6 ? later(createdAt) : undefined;
    const churned = converted && next() < 0.4 ? later(converted) : undefined;
    return { name: `p${i}`, owner: pick(owners), region: pick(['DE', 'FR']), createdAt, ...(converted ? { convertedAt: converted } : {}), ...(churned ? { churnedAt: churned } : {}) };
  });
  random = await createFixture(db, {
    users: [{ name: 'Ann', team: 'North' }, { name: 'Bob', team: 'South' }, { name: 'Cid', team: 'North' }, { name: 'Dee' }],
    customers: people,
    deals: Array.from({ length: 200 }, (_, i) => {
      const createdAt = time();
      const stage = pick(['WON', 'LOST', 'PROPOSAL', 'LEAD'] as const);
      const closed = stage === 'WON' || stage === 'LOST' ? { closedAt: later(createdAt) } : {};
      return { name: `d${i}`, customer: pick(people).name, stage, amount: `${Math.floor(next() * 100_000)}.${String(Math.floor(next() * 100)).padStart(2, '0')}`, createdAt, ...closed };
    }),
  });
});
afterAll(async () => db?.close());

/** Runs a family through the bucketed statement: group index → period → group key → measure values as text. */
async function viaBuckets(
  fixture: Fixture,
  source: 'deals' | 'customers',
  groups: BucketedGroup[],
  filter: DimensionFilter = {},
  groupBy: Dimension | null = null,
  layout: 'auto' | 'packed' | 'plain' = 'auto',
) {
  const statement = compileBucketed(fixture.workspaceId, source, filter, groupBy, groups, layout);
  // Through the transport the engine uses, so that its decoding is checked too.
  const { rows: packed } = await db.query<{ r: string }>(`SELECT ${statement.transport.aggregate} AS r FROM (${statement.sql}) x`, statement.params);
  const rows = statement.transport.decode(packed[0]!.r);
  return expandBucketed(statement, groups, rows).map((result, g) =>
    groups[g]!.periods.map((_period, p) => {
      const byKey = new Map<string, string[]>();
      for (const [key, row] of result.rows.get(p) ?? []) byKey.set(key, result.measures.map((measure) => JSON.stringify(measure.decode(row))));
      return byKey;
    }),
  );
}

/** The same through the period join, the oracle. */
async function viaJoin(fixture: Fixture, source: 'deals' | 'customers', group: BucketedGroup, filter: DimensionFilter = {}, groupBy: Dimension | null = null) {
  const spec: GroupSpec = { source, timing: group.timing, filter, groupBy };
  const statement = compileGroup(fixture.workspaceId, spec, group.measures, group.periods);
  const { rows } = await db.query<ResultRow>(statement.sql, statement.params);
  return group.periods.map((_period, p) => {
    const byKey = new Map<string, string[]>();
    for (const row of rows.filter((r) => Number(r.pi) === p)) byKey.set(row.gk === null ? '(none)' : String(row.gk), statement.measures.map((measure) => JSON.stringify(measure.decode(row))));
    return byKey;
  });
}

describe('bucketed measure groups (one pass per source)', () => {
  it('counts and sums ranges exactly, overlapping periods included', async () => {
    const measures: Measure[] = [
      deals.count({ time: 'closedAt', where: { stage: 'WON' } }),
      deals.sum({ field: 'amount', time: 'closedAt', where: { stage: 'WON' } }),
      deals.mean({ of: { from: 'createdAt', to: 'closedAt', in: 'days' }, time: 'closedAt', where: { stage: 'WON' } }),
    ];
    const [periods] = await viaBuckets(hand, 'deals', [{ timing: { kind: 'range', field: 'closedAt' }, measures, periods: [month(2), month(3), q1] }]);
    // February: two wins, 0.10 + 0.20 exactly, cycles of 21 and 10 days.
    expect(periods![0]!.get('*')).toEqual(['2', '"0.3"', JSON.stringify({ sum: '31', count: 2 })]);
    // March has a closed (lost) deal, so it has a row, with no wins in it.
    expect(periods![1]!.get('*')).toEqual(['0', '"0"', JSON.stringify({ sum: '0', count: 0 })]);
    // The quarter overlaps both months and sums them.
    expect(periods![2]!.get('*')).toEqual(['2', '"0.3"', JSON.stringify({ sum: '31', count: 2 })]);
  });

  it('leaves out a period and group with no rows at all, as the period join does', async () => {
    const [periods] = await viaBuckets(hand, 'deals', [{ timing: { kind: 'range', field: 'closedAt' }, measures: [deals.count({ time: 'closedAt' })], periods: [month(5)] }]);
    expect(periods![0]!.size).toBe(0);
  });

  it('takes snapshots at edges: open from creation (exclusive) until closing (inclusive)', async () => {
    const measures: Measure[] = [
      deals.snapshotCount({ at: 'end', from: 'createdAt', until: 'closedAt' }),
      deals.snapshotSum({ at: 'end', field: 'amount', from: 'createdAt', until: 'closedAt' }),
    ];
    const edges = [edge('2024-01-01T00:00:00Z'), edge('2024-02-01T00:00:00Z'), edge('2024-03-01T00:00:00Z'), edge('2024-04-01T00:00:00Z')];
    const [periods] = await viaBuckets(hand, 'deals', [{ timing: { kind: 'snapshot', from: 'createdAt', until: 'closedAt' }, measures, periods: edges }], {}, 'team');
    const team = (p: number) => Object.fromEntries(periods![p]!);
    // 1 Jan: open-old (North); lost-edge is created exactly then, so not yet open.
    expect(team(0)).toEqual({ [String(hand.ids.teams['North'])]: ['1', '"1"'] });
    // 1 Feb: open-old and won-feb (North: 1.00 + 0.10); lost-edge (South); won-feb-2 is created at the edge.
    expect(team(1)).toEqual({ [String(hand.ids.teams['North'])]: ['2', '"1.1"'], [String(hand.ids.teams['South'])]: ['1', '"5"'] });
    // 1 Mar: lost-edge closes exactly at the edge and still counts; open-mar is created at it and does not.
    expect(team(2)).toEqual({ [String(hand.ids.teams['North'])]: ['1', '"1"'], [String(hand.ids.teams['South'])]: ['1', '"5"'] });
    // 1 Apr: never-closed deals only.
    expect(team(3)).toEqual({ [String(hand.ids.teams['North'])]: ['1', '"1"'], [String(hand.ids.teams['South'])]: ['1', '"7"'] });
  });

  it('agrees with the period join on random data, for every timing, filter and group-by together', async () => {
    const periods = [month(1), month(2), month(3), q1, { start: at('2024-02-10T06:00:00Z'), end: at('2024-05-03T18:00:00Z') }, month(7)];
    const snapshots = periods.map((p) => ({ ...p, edge: p.end }));
    const dealGroups: BucketedGroup[] = [
      {
        timing: { kind: 'range', field: 'closedAt' },
        periods,
        measures: [
          deals.count({ time: 'closedAt', where: { stage: { in: ['WON', 'LOST'] } } }),
          deals.sum({ field: 'amount', time: 'closedAt', where: { stage: 'WON' } }),
          deals.mean({ of: 'amount', time: 'closedAt', where: { stage: { notIn: ['LOST'] } } }),
        ],
      },
      { timing: { kind: 'range', field: 'createdAt' }, periods, measures: [deals.count({ time: 'createdAt' })] },
      {
        timing: { kind: 'snapshot', from: 'createdAt', until: 'closedAt' },
        periods: snapshots,
        measures: [deals.snapshotCount({ at: 'end', from: 'createdAt', until: 'closedAt' }), deals.snapshotSum({ at: 'end', field: 'amount', from: 'createdAt', until: 'closedAt' })],
      },
    ];
    const customerGroups: BucketedGroup[] = [
      { timing: { kind: 'range', field: 'createdAt' }, periods, measures: [customers.count({ time: 'createdAt', where: { convertedAt: { set: true } } })] },
      { timing: { kind: 'snapshot', from: 'convertedAt', until: 'churnedAt' }, periods: snapshots, measures: [customers.snapshotCount({ at: 'end', from: 'convertedAt', until: 'churnedAt' })] },
      { timing: { kind: 'range', field: 'churnedAt' }, periods, measures: [customers.count({ time: 'churnedAt' })] },
    ];
    let compared = 0;
    const cases = [[null, {}, 'packed'], ['team', {}, 'packed'], ['owner', { region: ['DE'] }, 'packed'], [null, {}, 'plain'], ['owner', { region: ['DE'] }, 'plain']] as const;
    for (const [groupBy, filter, layout] of cases) {
      const dealsBucketed = await viaBuckets(random, 'deals', dealGroups, filter, groupBy, layout);
      const customersBucketed = await viaBuckets(random, 'customers', customerGroups, filter, groupBy, layout);
      for (const [g, group] of dealGroups.entries()) {
        const expected = await viaJoin(random, 'deals', group, filter, groupBy);
        expect(dealsBucketed[g]).toEqual(expected);
        compared += expected.reduce((n, byKey) => n + byKey.size, 0);
      }
      for (const [g, group] of customerGroups.entries()) expect(customersBucketed[g]).toEqual(await viaJoin(random, 'customers', group, filter, groupBy));
    }
    // The comparison is not vacuous: there were values to compare.
    expect(compared).toBeGreaterThan(100);
  });

  it('packs buckets and outcomes into one key the planner hashes, unless they would overflow a bigint', () => {
    const measures = [customers.count({ time: 'createdAt' }), customers.count({ time: 'qualifiedAt' }), customers.count({ time: 'convertedAt' }), customers.count({ time: 'churnedAt' })];
    const family = (days: number): BucketedGroup[] =>
      measures.map((measure) => ({
        timing: { kind: 'range', field: (measure as { time: string }).time },
        measures: [measure],
        periods: Array.from({ length: days }, (_, d) => ({ start: new Date(Date.UTC(2024, 0, 1 + d)), end: new Date(Date.UTC(2024, 0, 2 + d)) })),
      }));
    // 4 time fields over 12 monthly edges: 4 × log2(14) ≈ 15 bits.
    expect(compileBucketed(1, 'customers', {}, null, family(12)).sql).toMatch(/AS k[\s\S]*OFFSET 0/);
    // 4 time fields over 100,000 daily edges: 4 × 16.6 bits + outcomes > 62.
    const wide = compileBucketed(1, 'customers', {}, null, family(100_000)).sql;
    expect(wide).not.toContain('OFFSET 0');
    expect(wide).toContain('width_bucket(t."churnedAt"');
  });

  it('leaves distinct counts and conditions on period edges to the period join', () => {
    expect(isBucketable(deals.count({ time: 'closedAt' }))).toBe(true);
    expect(isBucketable(deals.distinctCount({ field: 'customerId', time: 'closedAt' }))).toBe(false);
    expect(isBucketable(tickets.count({ time: 'openedAt', where: { resolvedAt: { before: 'end' } } }))).toBe(false);
    expect(isBucketable(tickets.count({ time: 'openedAt', where: { resolvedAt: { set: true } } }))).toBe(true);
  });

  it('keeps every value a parameter, scoped to the workspace as $1', () => {
    const statement = compileBucketed(42, 'deals', { region: [`'; DROP TABLE "Deal"; --`] }, 'team', [
      { timing: { kind: 'range', field: 'closedAt' }, periods: [month(2)], measures: [deals.count({ time: 'closedAt', where: { stage: 'WON' } })] },
    ]);
    expect(statement.sql).not.toContain('DROP');
    expect(statement.sql).not.toContain('2024');
    expect(statement.sql).not.toContain("'WON'");
    expect(statement.sql).toMatch(/WHERE t\."workspaceId" = \$1::int/);
    expect(statement.params[0]).toBe(42);
  });

  it('runs a bucketed family and a period-joined group of one source as one statement', async () => {
    const base = { description: 'test KPI', stages: ['growth'] as const, dimensions: ['team'] as const, params: z.object({}), unit: 'count' as const, direction: 'higher' as const };
    const registry = createRegistry(
      [
        defineKpi({ ...base, key: 'closed_deals', name: 'Closed deals', inputs: { closed: deals.count({ time: 'closedAt', where: { stage: { in: ['WON', 'LOST'] } } }) }, formula: ({ closed }) => value(closed) }),
        defineKpi({ ...base, key: 'buying_customers', name: 'Buying customers', inputs: { buyers: deals.distinctCount({ field: 'customerId', time: 'createdAt' }) }, formula: ({ buyers }) => value(buyers) }),
      ].map((definition) => ({ definition, source: `inline:${definition.key}` })),
    );
    const loader = createKpiLoader({ db, workspaceId: hand.workspaceId, timeZone: 'UTC', registry });
    const { result, statements } = await countStatements(db, () =>
      loader.loadMany([
        { kpiKey: 'closed_deals', period: month(2) },
        { kpiKey: 'buying_customers', period: month(1) },
        { kpiKey: 'buying_customers', period: month(2) },
      ]),
    );
    expect(statements).toHaveLength(1);
    const values = result.map((cell) => (cell instanceof Error ? cell.message : cell.get('*')?.value?.toString()));
    // February closes won-feb and won-feb-2; January creates deals of c1 and c2; February one of c1.
    expect(values).toEqual(['2', '2', '1']);
  });

  it('computes one period without buckets, as the period join does, over one or several time fields', async () => {
    const period = [{ start: at('2024-01-10T00:00:00Z'), end: at('2024-04-20T12:00:00Z') }];
    const groups: BucketedGroup[] = [
      {
        timing: { kind: 'range', field: 'closedAt' },
        periods: period,
        measures: [deals.count({ time: 'closedAt', where: { stage: 'WON' } }), deals.mean({ of: { from: 'createdAt', to: 'closedAt', in: 'days' }, time: 'closedAt', where: {} })],
      },
      { timing: { kind: 'range', field: 'createdAt' }, periods: period, measures: [deals.sum({ field: 'amount', time: 'createdAt', where: { stage: { notIn: ['LOST'] } } })] },
    ];
    expect(isSinglePeriod(groups)).toBe(true);
    expect(isSinglePeriod([groups[0]!, { ...groups[1]!, periods: [month(2)] }])).toBe(false);
    let compared = 0;
    for (const family of [groups, [groups[0]!]]) {
      for (const [groupBy, filter] of [[null, {}], ['team', { region: ['FR'] }]] as const) {
        const statement = compileSinglePeriod(random.workspaceId, 'deals', filter, groupBy, family);
        const { rows } = await db.query<ResultRow>(statement.sql, statement.params);
        const results = statement.outcomes(rows);
        for (const [g, group] of family.entries()) {
          const byKey = new Map<string, string[]>();
          for (const [key, row] of results[g]!.rows.get(0) ?? []) byKey.set(key, results[g]!.measures.map((measure) => JSON.stringify(measure.decode(row))));
          const [expected] = await viaJoin(random, 'deals', group, filter, groupBy);
          expect(byKey).toEqual(expected);
          compared += byKey.size;
        }
      }
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('gives a grouped cell the value of a group without rows, without asking the database again', async () => {
    const base = { description: 'test KPI', stages: ['growth'] as const, dimensions: ['team'] as const, params: z.object({}), direction: 'higher' as const };
    const registry = createRegistry(
      [
        defineKpi({ ...base, key: 'won', name: 'Won deals', unit: 'count', inputs: { won: deals.count({ time: 'closedAt', where: { stage: 'WON' } }) }, formula: ({ won }) => value(won) }),
        defineKpi({
          ...base,
          key: 'win_share',
          name: 'Win share',
          unit: 'percent',
          inputs: { won: deals.count({ time: 'closedAt', where: { stage: 'WON' } }), closed: deals.count({ time: 'closedAt' }) },
          formula: ({ won, closed }) => ratio(won, closed, 'closed deals'),
        }),
      ].map((definition) => ({ definition, source: `inline:${definition.key}` })),
    );
    const loader = createKpiLoader({ db, workspaceId: hand.workspaceId, timeZone: 'UTC', registry });
    const { result, statements } = await countStatements(db, () => loader.loadMany([{ kpiKey: 'won', period: month(2), groupBy: 'team' }, { kpiKey: 'win_share', period: month(2), groupBy: 'team' }]));
    expect(statements).toHaveLength(1);
    const [won] = result as CellValues[];
    // February's closes are all North's; South has no row, so no entry...
    expect([...won!.keys()]).toEqual([String(hand.ids.teams['North'])]);
    // ...and its value is the formula over zero rows: 0 deals, a rate with no denominator.
    const empty = (kpiKey: string) => emptyGroupResult(validateCell({ kpiKey, period: month(2), groupBy: 'team' }, registry, {}));
    const more = await countStatements(db, async () => [empty('won'), empty('win_share')]);
    expect(more.statements).toHaveLength(0);
    expect(more.result[0]?.value?.toString()).toBe('0');
    expect(more.result[1]).toMatchObject({ value: null, reason: { code: 'ZERO_DENOMINATOR' } });
    // And it is what the cell filtered to that group gives.
    const south = await loader.load({ kpiKey: 'win_share', period: month(2), filter: { team: [String(hand.ids.teams['South'])] } });
    expect(south.get('*')).toMatchObject({ value: null, reason: { code: 'ZERO_DENOMINATOR' } });
  });

  it('serves two snapshots over the same pair of fields, in either order, from one grouping set', async () => {
    const edges = [month(1), month(2), month(3)].map((p) => ({ ...p, edge: p.end }));
    const groups: BucketedGroup[] = [
      { timing: { kind: 'snapshot', from: 'createdAt', until: 'closedAt' }, periods: edges, measures: [deals.snapshotCount({ at: 'end', from: 'createdAt', until: 'closedAt' })] },
      { timing: { kind: 'snapshot', from: 'closedAt', until: 'createdAt' }, periods: edges, measures: [deals.snapshotCount({ at: 'end', from: 'closedAt', until: 'createdAt' })] },
    ];
    const statement = compileBucketed(random.workspaceId, 'deals', {}, 'team', groups);
    expect(statement.sql.match(/\(t\.gk, t\.b\d, t\.b\d\)/g)).toHaveLength(1);
    const results = await viaBuckets(random, 'deals', groups, {}, 'team');
    for (const [g, group] of groups.entries()) expect(results[g]).toEqual(await viaJoin(random, 'deals', group, {}, 'team'));
    expect(results[0]!.some((byKey) => byKey.size > 0)).toBe(true);
  });
});
