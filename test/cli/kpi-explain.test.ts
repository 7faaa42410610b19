import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintTestKey } from '../support/server.js';
import type { CliServer } from './harness.js';
import { runCli, startCliServer } from './harness.js';

/** `kpigraph kpi … --explain` against a real server (the workspace of harness.ts, in Europe/Berlin). */
let server: CliServer;
let admin: Record<string, string>;
const q1 = ['--period', '2025-01-01..2025-04-01'];

beforeAll(async () => {
  server = await startCliServer();
  admin = { ...server.env, KPIGRAPH_API_KEY: await mintTestKey(server.db, server.fixture.workspaceId, { role: 'ADMIN' }) };
});
afterAll(async () => server?.close());

describe('kpigraph kpi --explain', () => {
  it('prints the cells, the plan and the SQL with its parameters; --json gives the whole plan', async () => {
    const [table, json] = await Promise.all([
      runCli(['kpi', 'win_rate', ...q1, '--by', 'owner', '--explain'], admin),
      runCli(['kpi', 'won_revenue', ...q1, '--grain', 'month', '--explain', '--json'], admin),
    ]);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toBe('win_rate — Win rate: path RAW (no result cache)');
    // Q1 in Berlin: from 23:00 UTC on New Year's Eve to 22:00 UTC on 31 March (summer time).
    expect(lines).toContain('  2024-12-31T23:00:00.000Z .. 2025-03-31T22:00:00.000Z  RAW  by OWNER');
    expect(lines).toContain('plan: 1 group');
    expect(lines).toContain('  #0 deals: closedAt in the period, by OWNER; 2 measure(s) over 1 period(s)');
    expect(lines).toContain('statements: 1 (one per source)');
    expect(lines).toContain('-- deals: SINGLE_PERIOD (groups 0)');
    // The daily rollup keeps team and stage, not owner: the line says why the rows are read.
    expect(lines.some((line) => /^-- group 0 from the rows: .*owner/.test(line))).toBe(true);
    expect(lines).toContain(`-- $1 = ${server.fixture.workspaceId}`);
    expect(table.stdout).toMatch(/FROM "Deal" t/);

    expect(json.code, json.stderr).toBe(0);
    const explained = JSON.parse(json.stdout) as { key: string; path: string; cells: unknown[]; plan: { groups: { periods: unknown[] }[] }; statements: { units: { kind: string }[] }[] };
    expect(explained).toMatchObject({ key: 'won_revenue', path: 'RAW' });
    expect(explained.cells).toHaveLength(3);
    expect(explained.plan.groups[0]!.periods).toHaveLength(3);
    // Whole months in the workspace's zone with no group-by: the daily rollup serves them.
    expect(explained.statements.map((statement) => statement.units.map((unit) => unit.kind))).toEqual([['ROLLUP']]);
  });

  it('refuses a viewer key (the server’s FORBIDDEN message, a failing exit status), --grain without --explain and --explain with --csv', async () => {
    const [viewer, grain, csv] = await Promise.all([
      runCli(['kpi', 'win_rate', ...q1, '--explain'], server.env),
      runCli(['kpi', 'win_rate', ...q1, '--grain', 'month'], admin),
      runCli(['kpi', 'win_rate', ...q1, '--explain', '--csv'], admin),
    ]);
    expect(viewer.code).not.toBe(0);
    expect(viewer.stderr).toMatch(/may not use KpiDefinition\.explain/);
    expect(grain.code).toBe(2);
    expect(grain.stderr).toMatch(/--grain is for --explain/);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toMatch(/use --json/);
  });
});
