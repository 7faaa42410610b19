import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliResult, CliServer } from './harness.js';
import { runCli, startCliServer } from './harness.js';

/**
 * `kpigraph goals` and `kpigraph goal` as real processes against a real
 * server; the numbers are worked out by hand in harness.ts. Every run is
 * judged at 2025-04-01 (Berlin), so they do not depend on today.
 */
let server: CliServer;
const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');
const at = ['--at', '2025-04-01'];

beforeAll(async () => {
  server = await startCliServer();
});
afterAll(async () => server?.close());

/** Runs several commands at once: each process mostly waits for tsx to start. */
const runAll = (commands: string[][]): Promise<CliResult[]> => Promise.all(commands.map((args) => runCli(args, server.env)));

describe('kpigraph goals', () => {
  it('prints an aligned table, a JSON array and RFC 4180 CSV', async () => {
    const [table, json, csv] = await runAll([
      ['goals', ...at],
      ['goals', ...at, '--json'],
      ['goals', ...at, '--csv'],
    ]);

    expect(table!.stderr).toBe('');
    expect(table!.code).toBe(0);
    const lines = table!.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^goal\s+description\s+kpi\s+owner\/team\s+period\s+actual\s+target\s+attainment\s+status$/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^ +1 {2}Win 30k in Q1 +won_revenue {2}North \(team\) {2}2025-01-01\.\.2025-04-01 +15,000\.00 +30,000\.00 +50 % {2}MISSED$/),
      expect.stringMatching(/^ +2 {2}Win 3k in Q1 +won_revenue {2}Bo +2025-01-01\.\.2025-04-01 +3,000\.00 +3,000\.00 +100 % {2}ACHIEVED$/),
      expect.stringMatching(/^ +3 {2}Win half the deals +win_rate +North \(team\) {2}2025-01-01\.\.2025-07-01 +50\.0 % +50\.0 % +100 % {2}ON_TRACK$/),
      expect.stringMatching(/^ +4 {2}Win rate 40 %, "all teams", all regions {2}win_rate +Ada +2025-01-01\.\.2025-07-01 +37\.5 % +40\.0 % +94 % {2}AT_RISK$/),
      expect.stringMatching(/^ +5 {2}South wins half +win_rate +South \(team\) {2}2025-01-01\.\.2025-07-01 +25\.0 % +50\.0 % +50 % {2}OFF_TRACK$/),
    ]);
    // Aligned: every column starts at the same offset on every line.
    const statusColumn = lines[0]!.indexOf('status');
    for (const line of lines) expect(line.slice(statusColumn)).toMatch(/^[A-Z_]+$|^status$/);

    expect(json!.code).toBe(0);
    const goals = JSON.parse(json!.stdout) as Record<string, unknown>[];
    expect(goals.map((g) => g['status'])).toEqual(['MISSED', 'ACHIEVED', 'ON_TRACK', 'AT_RISK', 'OFF_TRACK']);
    expect(goals[0]).toEqual({
      id: gid('Goal', server.fixture.goalIds[0]!),
      number: server.fixture.goalIds[0],
      kpi: 'won_revenue',
      kpiName: 'Won revenue',
      unit: 'MONEY',
      direction: 'HIGHER',
      description: 'Win 30k in Q1',
      owner: null,
      team: { id: gid('Team', server.fixture.ids.teams['North']!), name: 'North' },
      scope: `team ${server.fixture.ids.teams['North']}`,
      ownerKind: 'TEAM',
      parent: null,
      period: { start: '2024-12-31T23:00:00.000Z', end: '2025-03-31T22:00:00.000Z' },
      at: '2025-03-31T22:00:00.000Z',
      elapsed: 1,
      actual: 15000,
      expected: 30000,
      projected: 15000,
      target: 30000,
      stretchTarget: null,
      baseline: null,
      attainment: 0.5,
      status: 'MISSED',
      reason: null,
      pacing: 'LINEAR',
      gap: -15000,
      required: { perDay: null, perWeek: null, reason: { code: 'PERIOD_ENDED', message: 'The period is over.' } },
      archived: false,
    });
    expect(goals[3]).toMatchObject({ kpi: 'win_rate', owner: { name: 'Ada' }, actual: 0.375, expected: 0.4, projected: 0.375, attainment: 0.9375, status: 'AT_RISK' });

    expect(csv!.code).toBe(0);
    const [g1, g2, g3, g4, g5] = server.fixture.goalIds.map((id) => gid('Goal', id));
    const { North: north, South: south } = server.fixture.ids.teams;
    const q1 = '2024-12-31T23:00:00.000Z,2025-03-31T22:00:00.000Z';
    const h1 = '2024-12-31T23:00:00.000Z,2025-06-30T22:00:00.000Z';
    expect(csv!.stdout).toBe(
      [
        'id,number,kpi,description,owner,team,scope,period_start,period_end,actual,expected,projected,target,attainment,status',
        `${g1},1,won_revenue,Win 30k in Q1,,North,team ${north},${q1},15000,30000,15000,30000,0.5,MISSED`,
        `${g2},2,won_revenue,Win 3k in Q1,Bo,,owner ${server.fixture.ids.users['Bo']},${q1},3000,3000,3000,3000,1,ACHIEVED`,
        `${g3},3,win_rate,Win half the deals,,North,team ${north},${h1},0.5,0.5,0.5,0.5,1,ON_TRACK`,
        `${g4},4,win_rate,"Win rate 40 %, ""all teams"", all regions",Ada,,whole workspace,${h1},0.375,0.4,0.375,0.4,0.9375,AT_RISK`,
        `${g5},5,win_rate,South wins half,,South,team ${south},${h1},0.25,0.5,0.25,0.5,0.5,OFF_TRACK`,
        '',
      ].join('\r\n'),
    );
  }, 90_000);

  it('--fail-on: 5 when a listed goal is that bad or worse (MISSED is worse than OFF_TRACK), else 0', async () => {
    const [atRisk, noneAtRisk, missedCounts, atRiskIsNotOffTrack] = await runAll([
      ['goals', ...at, '--fail-on', 'at-risk'],
      ['goals', ...at, '--status', 'on-track,achieved', '--fail-on', 'at-risk'],
      ['goals', ...at, '--kpi', 'won_revenue', '--fail-on', 'off-track', '--json'],
      ['goals', ...at, '--status', 'at-risk', '--status', 'on-track', '--fail-on', 'off-track', '--csv'],
    ]);
    expect(atRisk!.code, atRisk!.stderr).toBe(5);
    expect(atRisk!.stderr).toMatch(/3 of 5 goal\(s\) at risk or worse \(--fail-on at-risk\): #1 won_revenue MISSED, #4 win_rate AT_RISK, #5 win_rate OFF_TRACK/);
    expect(atRisk!.stdout).toContain('AT_RISK');

    expect(noneAtRisk!.code, noneAtRisk!.stderr).toBe(0);
    expect(noneAtRisk!.stderr).toBe('');
    expect(noneAtRisk!.stdout).toMatch(/ON_TRACK/);
    expect(noneAtRisk!.stdout).not.toMatch(/AT_RISK|OFF_TRACK|MISSED/);

    expect(missedCounts!.code).toBe(5);
    expect((JSON.parse(missedCounts!.stdout) as { status: string }[]).map((g) => g.status)).toEqual(['MISSED', 'ACHIEVED']);

    expect(atRiskIsNotOffTrack!.code, atRiskIsNotOffTrack!.stderr).toBe(0);
    expect(atRiskIsNotOffTrack!.stdout.trimEnd().split('\r\n')).toHaveLength(3);
  }, 90_000);

  it('filters by team (its goals and its members’), owner, active date and scope', async () => {
    const { teams, users } = server.fixture.ids;
    const [byTeam, byOwner, byScope] = await runAll([
      ['goals', ...at, '--team', String(teams['South']), '--json'],
      ['goals', ...at, '--owner', gid('User', users['Ada']!), '--active-at', '2025-05-01', '--json'],
      ['goals', ...at, '--scope', `team=${teams['North']}`, '--kpi', 'win_rate,won_revenue', '--json'],
    ]);
    const numbers = (result: CliResult) => (JSON.parse(result.stdout) as { number: number }[]).map((g) => g.number);
    expect(numbers(byTeam!)).toEqual([2, 5]);
    expect(numbers(byOwner!)).toEqual([4]);
    expect(numbers(byScope!)).toEqual([1, 3]);
  }, 90_000);
});

describe('kpigraph goal', () => {
  it('shows one goal with expected, projected, a sparkline and the series; --json gives the same fields and the series', async () => {
    const id = server.fixture.goalIds[3]!;
    const [table, json, missing] = await runAll([
      ['goal', String(id), ...at],
      ['goal', gid('Goal', id), ...at, '--json'],
      ['goal', '999999'],
    ]);
    expect(table!.code, table!.stderr).toBe(0);
    const lines = table!.stdout.split('\n');
    expect(lines.slice(0, 12)).toEqual([
      'Goal 4: Win rate 40 %, "all teams", all regions',
      'kpi         win_rate (Win rate, percent, higher is better)',
      'owner/team  Ada',
      'scope       whole workspace',
      'period      2025-01-01..2025-07-01 (50 % elapsed at 2025-04-01)',
      'actual      37.5 %',
      'expected    40.0 %',
      'projected   37.5 %',
      'target      40.0 %',
      'baseline    —',
      'attainment  94 %',
      'status      AT_RISK',
    ]);
    expect(lines).toContain('series      █▃▁');
    expect(table!.stdout).toMatch(/from {8}to {12}value\n2025-01-01 {2}2025-02-01 {2}100\.0 %\n2025-02-01 {2}2025-03-01 {3}25\.0 %\n2025-03-01 {2}2025-04-01 {4}0\.0 %\n$/);

    expect(json!.code, json!.stderr).toBe(0);
    const goal = JSON.parse(json!.stdout) as Record<string, unknown>;
    expect(goal).toMatchObject({ number: id, kpi: 'win_rate', status: 'AT_RISK', expected: 0.4, projected: 0.375, additive: false, rationale: null });
    expect((goal['series'] as { value: number }[]).map((p) => p.value)).toEqual([1, 0.25, 0]);

    expect(missing!.code).toBe(1);
    expect(missing!.stderr).toMatch(/goal 999999 was not found/);
  }, 90_000);
});
