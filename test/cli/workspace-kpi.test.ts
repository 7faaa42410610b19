import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CliServer } from './harness.js';
import { runCli, startCliServer } from './harness.js';

/** `kpigraph kpi` answers a KPI defined in the workspace by a formula, as it does a plugin's (numbers in harness.ts). */
let server: CliServer;

beforeAll(async () => {
  server = await startCliServer();
  // Stored as defineKpi stores it, before the server first reads the workspace's KPIs.
  await server.db.prisma.workspaceKpi.create({
    data: {
      workspaceId: server.fixture.workspaceId,
      key: 'half_won_revenue',
      version: 1,
      name: 'Half the won revenue',
      description: 'Won revenue divided by two.',
      unit: 'money',
      direction: 'higher',
      formula: 'won_revenue / 2',
    },
  });
});
afterAll(async () => server?.close());

it('kpigraph kpi prints a workspace formula KPI, whole and by team', async () => {
  const [whole, byTeam] = await Promise.all([
    runCli(['kpi', 'half_won_revenue', '--period', '2025-01-01..2025-04-01', '--json'], server.env),
    runCli(['kpi', 'half_won_revenue', '--period', '2025-01-01..2025-04-01', '--by', 'team', '--json'], server.env),
  ]);
  expect(whole.code, whole.stderr).toBe(0);
  // Q1 2025: won 10,000 + 5,000 + 3,000 = 18,000; half is 9,000. North 15,000 → 7,500; South 3,000 → 1,500.
  expect(whole.stdout).toContain('"exact": "9000"');
  expect(byTeam.code, byTeam.stderr).toBe(0);
  expect(byTeam.stdout).toContain('"exact": "7500"');
  expect(byTeam.stdout).toContain('"exact": "1500"');
});
