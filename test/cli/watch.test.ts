import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { connect, createServer as createNetServer } from 'node:net';
import type { Server as NetServer, Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import type { KpigraphServer } from '../../src/server/create-server.js';
import { createServer } from '../../src/server/create-server.js';
import { waitFor } from '../events/helpers.js';
import { gid } from '../goals/helpers.js';
import { createTestDatabase } from '../support/database.js';
import { mintTestKey, testConfig } from '../support/server.js';
import { closedPort, projectRoot, runCli } from './harness.js';

/**
 * `kpigraph watch` as a real process, reaching the server through a TCP
 * proxy the test can cut, on a workspace with one goal: two new leads over a
 * two-hour period a quarter gone. The first lead moves it OFF_TRACK ->
 * ON_TRACK and past 50 %; the second ON_TRACK -> ACHIEVED and past 100 %.
 */
const minute = 60_000;
let db: Database;
let acme: Fixture;
let server: KpigraphServer;
let key: string;
let proxy: NetServer;
let proxyUrl: string;
let proxyUp = true;
const sockets = new Set<Socket>();

async function graphql(query: string, variables: Record<string, unknown>): Promise<void> {
  const response = await fetch(proxyUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { errors?: unknown[] };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
}

const addLead = (name: string) =>
  graphql(`mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`, { input: { name, industry: 'Retail', region: 'DE', channel: 'referral', ownerId: gid('User', acme.ids.users['Ada']!) } });

interface Watch {
  child: ChildProcessWithoutNullStreams;
  lines(): string[];
  stderr(): string;
  exited: Promise<number | null>;
}

function watch(args: string[], url = proxyUrl): Watch {
  const child = spawn(process.execPath, [path.join(projectRoot, 'bin/kpigraph.js'), 'watch', ...args], {
    cwd: projectRoot,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NO_COLOR: '1', KPIGRAPH_URL: url, KPIGRAPH_API_KEY: key },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return { child, lines: () => stdout.split('\n').filter(Boolean), stderr: () => stderr, exited };
}

beforeAll(async () => {
  db = await createTestDatabase();
  acme = await createFixture(db, { workspace: { name: 'Acme', timeZone: 'UTC' }, users: [{ name: 'Ada', team: 'North' }] });
  server = createServer({ db, config: testConfig({ GOAL_EVENTS: 'true', GOAL_EVENTS_INTERVAL_MS: '0', GOAL_EVENTS_DEBOUNCE_MS: '20' }) });
  const port = await server.listen(0, '127.0.0.1');
  key = await mintTestKey(db, acme.workspaceId);
  // While down, the proxy drops every connection at once, as a network outage would.
  proxy = createNetServer((client) => {
    if (!proxyUp) return void client.destroy();
    const upstream = connect(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  proxyUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;
  const start = new Date(Date.now() - 30 * minute);
  await graphql(`mutation($input: CreateGoalInput!) { createGoal(input: $input) { id } }`, {
    input: { kpiKey: 'new_leads', target: '2', baseline: '0', period: { start: start.toISOString(), end: new Date(start.getTime() + 120 * minute).toISOString() }, teamId: gid('Team', acme.ids.teams['North']!), scope: {}, description: 'Two leads' },
  });
  await waitFor(async () => (await db.prisma.goalEventState.count()) === 1, 5_000, 'the goal judged');
}, 60_000);
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => proxy?.close(resolve));
  await server?.close();
});

describe('kpigraph watch', () => {
  it('--help documents the command', async () => {
    const result = await runCli(['watch', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: kpigraph watch/);
    for (const flag of ['--json', '--until', '--after', '--status', '--team', '--owner', '--kpi']) expect(result.stdout).toContain(flag);
    expect(result.stdout).toMatch(/5 --until matched/);
  });

  it('streams NDJSON and, after the connection is cut, resumes after the last event: none lost, none repeated', async () => {
    const watcher = watch(['--json', '--after', '0']);
    try {
      await addLead('Lead 1');
      await waitFor(() => watcher.lines().length === 2, 15_000, 'two NDJSON lines');
      const [changed, crossed] = watcher.lines().map((text) => JSON.parse(text) as Record<string, unknown>);
      expect(changed).toMatchObject({ kind: 'STATUS_CHANGED', kpiKey: 'new_leads', oldStatus: 'OFF_TRACK', newStatus: 'ON_TRACK', threshold: null, actual: 1, target: 2, attainment: 0.5 });
      expect(crossed).toMatchObject({ kind: 'THRESHOLD_CROSSED', oldStatus: 'OFF_TRACK', newStatus: 'ON_TRACK', threshold: 50 });

      // The network goes away; meanwhile the second lead makes two more events.
      proxyUp = false;
      for (const socket of sockets) socket.destroy();
      await addLeadDirectly('Lead 2');
      await waitFor(async () => (await db.prisma.goalEvent.count()) === 4, 5_000, 'two more events recorded');
      await waitFor(() => watcher.stderr().includes('reconnecting'), 5_000, 'watch to notice');
      proxyUp = true;
      await waitFor(() => watcher.lines().length === 4, 15_000, 'the missed events');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const stored = await db.prisma.goalEvent.findMany({ orderBy: { id: 'asc' } });
      const printed = watcher.lines().map((text) => JSON.parse(text) as { id: string; kind: string; newStatus: string; threshold: number | null });
      expect(printed.map((event) => Number(event.id))).toEqual(stored.map((event) => event.id));
      expect(printed.slice(2).map((event) => [event.kind, event.newStatus, event.threshold])).toEqual([
        ['STATUS_CHANGED', 'ACHIEVED', null],
        ['THRESHOLD_CROSSED', 'ACHIEVED', 100],
      ]);
      expect(watcher.stderr()).toContain(`after event ${stored[1]!.id}`);
    } finally {
      watcher.child.kill('SIGTERM');
      await watcher.exited;
    }
  }, 60_000);

  it('--until exits with status 5 at the first event reaching that status, printing it last', async () => {
    const watcher = watch(['--after', '0', '--until', 'achieved']);
    const code = await watcher.exited;
    expect(code, watcher.stderr()).toBe(5);
    const lines = watcher.lines();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/new_leads\s+OFF_TRACK -> ON_TRACK\s+50\.0 %\s+1 \/ 2$/);
    expect(lines[1]).toMatch(/reached 50 % \(ON_TRACK\)/);
    expect(lines[2]).toMatch(/ON_TRACK -> ACHIEVED\s+100\.0 %\s+2 \/ 2$/);
  }, 30_000);

  it('a server that cannot be reached at the first connection exits with status 3', async () => {
    const watcher = watch([], `http://127.0.0.1:${await closedPort()}/graphql`);
    expect(await watcher.exited).toBe(3);
    expect(watcher.stderr()).toMatch(/cannot reach .*ECONNREFUSED/);
  }, 30_000);
});

/** A lead added straight through the server (not the proxy, which is down). */
async function addLeadDirectly(name: string): Promise<void> {
  const response = await server.yoga.fetch('http://kpigraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`, variables: { input: { name, industry: 'Retail', region: 'DE', channel: 'referral', ownerId: gid('User', acme.ids.users['Ada']!) } } }),
  });
  const body = (await response.json()) as { errors?: unknown[] };
  expect(body.errors).toBeUndefined();
}
