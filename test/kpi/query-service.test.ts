import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { TeamScopeError } from '../../src/errors.js';
import { KpiInputError } from '../../src/kpi/errors.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import { GroupDirectory } from '../../src/kpi/group-directory.js';
import type { KpiQueryService } from '../../src/kpi/query-service.js';
import { createKpiQueryService } from '../../src/kpi/query-service-factory.js';
import type { KpiRegistry } from '../../src/kpi/registry.js';
import { createKpiRegistry } from '../../src/kpi/kpi-plugins.js';
import { countStatements, createTestDatabase } from '../support/database.js';

const month = (m: number) => ({ start: new Date(Date.UTC(2025, m - 1, 1)), end: new Date(Date.UTC(2025, m, 1)) });
const exact = (value: { result: { value: { toFixed(): string } | null } }) => value.result.value?.toFixed() ?? null;

/**
 * Three teams with one rep each, and a manager without a team. North gets
 * two leads in January and one in March, South one in January, West none.
 * In January North wins a deal of 100 and South loses one of 10.
 */
const spec = {
  teams: ['North', 'South', 'West'],
  users: [
    { name: 'rep-N', team: 'North' },
    { name: 'rep-S', team: 'South' },
    { name: 'rep-W', team: 'West' },
    { name: 'boss', role: 'MANAGER' as const },
  ],
  customers: [
    { name: 'n1', owner: 'rep-N', channel: 'web', createdAt: '2025-01-10T10:00:00Z' },
    { name: 'n2', owner: 'rep-N', channel: 'web', createdAt: '2025-01-11T10:00:00Z' },
    { name: 'n3', owner: 'rep-N', channel: 'event', createdAt: '2025-03-05T10:00:00Z' },
    { name: 's1', owner: 'rep-S', channel: 'web', createdAt: '2025-01-20T10:00:00Z' },
  ],
  deals: [
    { customer: 'n1', stage: 'WON' as const, amount: '100.00', createdAt: '2025-01-10T10:00:00Z', closedAt: '2025-01-15T10:00:00Z' },
    { customer: 's1', stage: 'LOST' as const, amount: '10.00', createdAt: '2025-01-20T10:00:00Z', closedAt: '2025-01-25T10:00:00Z', lostReason: 'price' },
  ],
};

describe('the KPI query service, asked directly', () => {
  let db: Database;
  let fixture: Fixture;
  let registry: KpiRegistry;
  const service = (options: { teamScope?: number; directory?: GroupDirectory } = {}): KpiQueryService =>
    createKpiQueryService({ db, workspaceId: fixture.workspaceId, timeZone: 'UTC', registry, ...options });
  const kpi = (key: string) => registry.get(key)!;
  const team = (name: string) => String(fixture.ids.teams[name]);
  const teamsInKeyOrder = () => ['North', 'South', 'West'].sort((a, b) => (team(a) < team(b) ? -1 : 1));

  beforeAll(async () => {
    db = await createTestDatabase();
    fixture = await createFixture(db, spec);
    registry = await createKpiRegistry([]);
  });
  afterAll(async () => db?.close());

  it('lists every team in every month of a series, 0 where a team had no new lead', async () => {
    const points = service().series({ definition: kpi('new_leads'), range: { start: month(1).start, end: month(4).end }, grain: 'month', by: 'team' });
    const breakdowns = await Promise.all(points.map((point) => point.breakdown()));
    // As many groups per bucket as there are teams, in every bucket, also where no team has data.
    expect(breakdowns.map((groups) => groups.length)).toEqual([3, 3, 3, 3]);
    const byLabel = breakdowns.map((groups) => Object.fromEntries(groups.map((group) => [group.label, exact(group.value)])));
    expect(byLabel).toEqual([
      { North: '2', South: '1', West: '0' },
      { North: '0', South: '0', West: '0' },
      { North: '1', South: '0', West: '0' },
      { North: '0', South: '0', West: '0' },
    ]);
    // A stable order: by the groups' keys, the same in every bucket.
    for (const groups of breakdowns) expect(groups.map((group) => group.label)).toEqual(teamsInKeyOrder());
  });

  it('gives a rate of a team without closed deals no value, with the division-by-zero reason', async () => {
    const groups = await service().breakdown({ definition: kpi('win_rate'), period: month(1), by: 'team' });
    const byLabel = Object.fromEntries(groups.map((group) => [group.label, group.value.result]));
    expect(byLabel['North']!.value?.toFixed()).toBe('1');
    expect(byLabel['South']!.value?.toFixed()).toBe('0');
    expect(byLabel['West']).toMatchObject({ value: null, reason: { code: 'ZERO_DENOMINATOR' } });
  });

  it('completes before ordering and cutting: the empty team is one of the "other" groups', async () => {
    const groups = await service().breakdown({ definition: kpi('new_leads'), period: month(1), by: 'team', order: 'DESC', first: 1 });
    expect(groups.map((group) => [group.label, exact(group.value)])).toEqual([
      ['North', '2'],
      ['Other (2 groups)', '1'],
    ]);
  });

  it('lists closed sets (deal types) in full, and free-text dimensions (channel) only where there are records', async () => {
    const types = await service().breakdown({ definition: kpi('won_revenue'), period: month(1), by: 'dealType' });
    expect(types.map((group) => [group.key, exact(group.value)])).toEqual([
      ['CROSS_SELL', '0'],
      ['NEW', '100'],
      ['RENEWAL', '0'],
      ['UPSELL', '0'],
    ]);
    const channels = await service().breakdown({ definition: kpi('new_leads'), period: month(3), by: 'channel' });
    expect(channels.map((group) => [group.key, exact(group.value)])).toEqual([['event', '1']]);
  });

  it('keeps the members to a filter on the same dimension, and owners to the filtered teams', async () => {
    const teams = await service().breakdown({ definition: kpi('new_leads'), period: month(2), by: 'team', filter: { team: [team('West')] } });
    expect(teams.map((group) => [group.label, exact(group.value)])).toEqual([['West', '0']]);
    const owners = await service().breakdown({ definition: kpi('new_leads'), period: month(1), by: 'owner', filter: { team: [team('North'), team('South')] } });
    expect(owners.map((group) => [group.label, exact(group.value)]).sort()).toEqual([
      ['rep-N', '2'],
      ['rep-S', '1'],
    ]);
  });

  it('reads each dimension’s members once per request, and not again while they are fresh', async () => {
    const directory = new GroupDirectory(db);
    const request = service({ directory });
    const { statements } = await countStatements(db, async () => {
      const series = request.series({ definition: kpi('new_leads'), range: { start: month(1).start, end: month(6).end }, grain: 'month', by: 'team' });
      return Promise.all([
        ...series.map((point) => point.breakdown()),
        request.breakdown({ definition: kpi('won_revenue'), period: month(1), by: 'team' }),
        request.breakdown({ definition: kpi('win_rate'), period: month(1), by: 'owner' }),
        request.breakdown({ definition: kpi('win_rate'), period: month(2), by: 'owner' }),
      ]);
    });
    const readsOf = (table: string) => statements.filter((sql) => new RegExp(`FROM "(public"\\.")?${table}"`).test(sql) && !sql.includes('UNION ALL') && !sql.includes('JOIN'));
    expect(readsOf('Team')).toHaveLength(1);
    expect(readsOf('User')).toHaveLength(1);
    // The engine's statements: one per source (customers, deals).
    expect(statements).toHaveLength(4);
    const next = await countStatements(db, () => service({ directory }).breakdown({ definition: kpi('new_leads'), period: month(1), by: 'team' }));
    expect(next.statements).toHaveLength(1);
    expect(next.result).toHaveLength(3);
  });

  it('keeps a team-limited caller to its team: its own team and people only, and no KPI that cannot be cut by team', async () => {
    const south = service({ teamScope: fixture.ids.teams['South']! });
    const teams = await south.breakdown({ definition: kpi('new_leads'), period: month(1), by: 'team' });
    expect(teams.map((group) => [group.label, exact(group.value)])).toEqual([['South', '1']]);
    const owners = await south.breakdown({ definition: kpi('new_leads'), period: month(3), by: 'owner' });
    expect(owners.map((group) => [group.label, exact(group.value)])).toEqual([['rep-S', '0']]);
    expect((await south.value({ definition: kpi('new_leads'), period: month(1) })).result.value?.toFixed()).toBe('1');
    await expect(south.value({ definition: kpi('crm_roi'), period: month(1) })).rejects.toBeInstanceOf(TeamScopeError);
  });

  it('answers a value with its target and the comparison period', async () => {
    const value = await service().value({ definition: kpi('new_leads'), period: month(3), compareTo: 'previousPeriod' });
    expect(exact(value)).toBe('1');
    expect(value.previous?.period).toEqual(month(2));
    expect(value.previous?.result.value?.toFixed()).toBe('0');
    expect(value.target).toBeNull();
    // valid_leads aims at 100 a month: 100 for March, 300 for the quarter.
    const valid = await service().value({ definition: kpi('valid_leads'), period: month(3) });
    expect([valid.target?.toFixed(), valid.targetFloat, exact(valid)]).toEqual(['100', 100, '0']);
    const quarter = await service().value({ definition: kpi('valid_leads'), period: { start: month(1).start, end: month(3).end } });
    expect(quarter.target?.toFixed()).toBe('300');
  });

  it('gives a goal’s filtered value through a shared breakdown, a group without records at what the filter gives', async () => {
    const request = service();
    const { result, statements } = await countStatements(db, () =>
      Promise.all(['North', 'South', 'West'].map((name) => request.result({ definition: kpi('win_rate'), period: month(1), filter: { team: [team(name)], channel: ['web'] } }))),
    );
    expect(statements).toHaveLength(1);
    expect(result.map((r) => r.value?.toFixed() ?? r.reason?.code)).toEqual(['1', '0', 'ZERO_DENOMINATOR']);
  });

  it('rejects a bad input with a typed error naming the field', async () => {
    const error = await service().breakdown({ definition: kpi('new_leads'), period: month(1), by: 'stage' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KpiInputError);
    expect((error as KpiInputError).field).toBe('groupBy');
    expect(() => service().series({ definition: kpi('new_leads'), range: month(1), grain: 'day', by: 'stage' })).toThrow(KpiInputError);
  });
});
