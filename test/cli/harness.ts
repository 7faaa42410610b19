import { spawn } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../src/db/client.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import type { KpigraphServer } from '../../src/server/create-server.js';
import { createServer } from '../../src/server/create-server.js';
import { createTestDatabase } from '../support/database.js';
import { mintTestKey, testConfig } from '../support/server.js';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(projectRoot, 'bin/kpigraph.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `node bin/kpigraph.js ARGS` as a real process with only the environment
 * given (plus PATH), so a developer's KPIGRAPH_* variables cannot leak in.
 */
export function runCli(args: readonly string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<CliResult> {
  return runProcess(process.execPath, [bin, ...args], env, timeoutMs);
}

export function runProcess(command: string, args: readonly string[], env: Record<string, string>, timeoutMs: number): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: projectRoot,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A port nothing listens on: bound, read, released. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface CliServer {
  db: Database;
  fixture: Fixture & { goalIds: number[] };
  url: string;
  key: string;
  /** KPIGRAPH_URL and KPIGRAPH_API_KEY for runCli. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The CLI tests' workspace (time zone Europe/Berlin, so bare dates must be
 * taken as Berlin midnights). Deals closed, by team:
 *
 *   Q4 2024  North (Ada): WON 4000 (Nov 10), LOST (Dec 1)        win rate 1/2
 *            South (Bo):  LOST (Oct 15), LOST (Nov 20)            win rate 0/2
 *   Q1 2025  North (Ada): WON 10000 (Jan 15), WON 5000 (Feb 10), LOST (Feb 20), LOST (Mar 5)   2/4
 *            South (Bo):  WON 3000 (Jan 20), LOST (Feb 1), LOST (Feb 15), LOST (Mar 10)         1/4
 *
 * So Q1 2025: win rate 3/8 = 37.5 % (Q4 2024: 1/4 = 25 %), won revenue
 * 18,000 (North 15,000, South 3,000). Ada's customer is in DE, Bo's in FR.
 *
 * Goals, judged at 2025-04-01 (Berlin):
 *   1 won_revenue ≥ 30,000, Q1, team North, scope team North: 15,000 → MISSED (50 %)
 *   2 won_revenue ≥ 3,000,  Q1, owner Bo, scope owner Bo:      3,000 → ACHIEVED (100 %)
 *   3 win_rate ≥ 50 %, H1, team North, scope team North:       50 %  → ON_TRACK (100 %)
 *   4 win_rate ≥ 40 %, H1, owner Ada, whole workspace:        37.5 % → AT_RISK (93.75 %; within the 10 % margin)
 *   5 win_rate ≥ 50 %, H1, team South, scope team South:       25 %  → OFF_TRACK (50 %)
 */
export async function seedCliWorkspace(db: Database): Promise<Fixture & { goalIds: number[] }> {
  const deal = (customer: string, stage: 'WON' | 'LOST', closedAt: string, amount = '1000.00') => ({
    customer,
    stage,
    amount,
    createdAt: '2024-09-01T00:00:00Z',
    closedAt: `${closedAt}T12:00:00Z`,
  });
  const fixture = await createFixture(db, {
    workspace: { name: 'CLI test', timeZone: 'Europe/Berlin' },
    users: [
      { name: 'Ada', team: 'North' },
      { name: 'Bo', team: 'South' },
    ],
    customers: [
      { name: 'Acme GmbH', owner: 'Ada', region: 'DE', convertedAt: '2024-01-01T00:00:00Z' },
      { name: 'Bolt SA', owner: 'Bo', region: 'FR', convertedAt: '2024-01-01T00:00:00Z' },
    ],
    deals: [
      deal('Acme GmbH', 'WON', '2024-11-10', '4000.00'),
      deal('Acme GmbH', 'LOST', '2024-12-01'),
      deal('Bolt SA', 'LOST', '2024-10-15'),
      deal('Bolt SA', 'LOST', '2024-11-20'),
      deal('Acme GmbH', 'WON', '2025-01-15', '10000.00'),
      deal('Acme GmbH', 'WON', '2025-02-10', '5000.00'),
      deal('Acme GmbH', 'LOST', '2025-02-20'),
      deal('Acme GmbH', 'LOST', '2025-03-05'),
      deal('Bolt SA', 'WON', '2025-01-20', '3000.00'),
      deal('Bolt SA', 'LOST', '2025-02-01'),
      deal('Bolt SA', 'LOST', '2025-02-15'),
      deal('Bolt SA', 'LOST', '2025-03-10'),
    ],
  });
  const north = fixture.ids.teams['North']!;
  const south = fixture.ids.teams['South']!;
  const ada = fixture.ids.users['Ada']!;
  const bo = fixture.ids.users['Bo']!;
  // Berlin midnights: CET (+01:00) in winter, CEST (+02:00) from the end of March.
  const q1 = { periodStart: new Date('2025-01-01T00:00:00+01:00'), periodEnd: new Date('2025-04-01T00:00:00+02:00') };
  const h1 = { periodStart: new Date('2025-01-01T00:00:00+01:00'), periodEnd: new Date('2025-07-01T00:00:00+02:00') };
  const goals = [
    { kpiKey: 'won_revenue', target: '30000', ...q1, ownerTeamId: north, scope: { team: [String(north)] }, description: 'Win 30k in Q1' },
    { kpiKey: 'won_revenue', target: '3000', ...q1, ownerUserId: bo, scope: { owner: [String(bo)] }, description: 'Win 3k in Q1' },
    { kpiKey: 'win_rate', target: '0.5', ...h1, ownerTeamId: north, scope: { team: [String(north)] }, description: 'Win half the deals' },
    { kpiKey: 'win_rate', target: '0.4', ...h1, ownerUserId: ada, scope: {}, description: 'Win rate 40 %, "all teams", all regions' },
    { kpiKey: 'win_rate', target: '0.5', ...h1, ownerTeamId: south, scope: { team: [String(south)] }, description: 'South wins half' },
  ];
  const goalIds: number[] = [];
  // One at a time, so that goal ids follow the list.
  for (const goal of goals) goalIds.push((await db.prisma.goal.create({ data: { workspaceId: fixture.workspaceId, ...goal } })).id);
  return { ...fixture, goalIds };
}

/** A real HTTP server on a fresh test database (PGlite or PostgreSQL, as the run says) with the CLI workspace and a viewer key. */
export async function startCliServer(): Promise<CliServer> {
  const db = await createTestDatabase();
  const fixture = await seedCliWorkspace(db);
  const key = await mintTestKey(db, fixture.workspaceId, { role: 'VIEWER' });
  const server: KpigraphServer = createServer({ db, config: testConfig() });
  const port = await server.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}/graphql`;
  return {
    db,
    fixture,
    url,
    key,
    env: { KPIGRAPH_URL: url, KPIGRAPH_API_KEY: key },
    // createServer's close also closes the database.
    close: () => server.close(),
  };
}
