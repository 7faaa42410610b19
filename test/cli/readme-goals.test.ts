import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createFixture } from '../../src/testing/fixture.js';
import type { KpigraphServer } from '../../src/server/create-server.js';
import { createServer } from '../../src/server/create-server.js';
import { createTestDatabase } from '../support/database.js';
import { mintTestKey, testConfig } from '../support/server.js';
import { projectRoot, runProcess } from './harness.js';

/**
 * Runs the README's "Goals" section: every ```graphql block in order over
 * HTTP with an editor's key (the cascade gets the goal the first block
 * created), then every ```sh command as a shell would, on a workspace with
 * teams 1 and 2 and won deals in Q1 2025.
 */
let db: Database;
let server: KpigraphServer;
let url: string;
let key: string;
let bin: string;
let section: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const deal = (customer: string, amount: number, closedAt: string) => ({ customer, amount, stage: 'WON' as const, createdAt: '2024-01-01T00:00:00Z', closedAt });
  const fixture = await createFixture(db, {
    workspace: { timeZone: 'UTC' },
    users: [{ name: 'Ana', team: 'North' }, { name: 'Cy', team: 'South' }],
    customers: [{ name: 'A', owner: 'Ana' }, { name: 'C', owner: 'Cy' }],
    deals: [deal('A', 9000, '2025-01-20T10:00:00Z'), deal('C', 4000, '2025-02-01T10:00:00Z'), deal('A', 5000, '2024-11-10T10:00:00Z'), deal('C', 5000, '2024-11-10T10:00:00Z')],
  });
  expect(fixture.ids.teams).toEqual({ North: 1, South: 2 });
  server = createServer({ db, config: testConfig() });
  url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/graphql`;
  key = await mintTestKey(db, fixture.workspaceId, { role: 'EDITOR' });
  const readme = await readFile(path.join(projectRoot, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Goals\n');
  if (start < 0) throw new Error('README.md has no "## Goals" section');
  const rest = readme.slice(start + 1);
  section = rest.slice(0, rest.indexOf('\n## ', 1));
  bin = await mkdtemp(path.join(tmpdir(), 'kpigraph-bin-'));
  await writeFile(path.join(bin, 'kpigraph'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(projectRoot, 'bin/kpigraph.js')}" "$@"\n`);
  await chmod(path.join(bin, 'kpigraph'), 0o755);
}, 60_000);
afterAll(async () => {
  await server?.close();
  if (bin) await rm(bin, { recursive: true, force: true });
});

async function post(query: string, variables: Record<string, unknown>): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

it('every GraphQL example of the Goals section runs without errors', async () => {
  const blocks = [...section.matchAll(/^```graphql\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
  expect(blocks.length).toBeGreaterThanOrEqual(4);
  let goalId: string | undefined;
  for (const block of blocks) {
    const result = await post(block, goalId ? { id: goalId } : {});
    expect(result.errors, `${block}\n${JSON.stringify(result.errors)}`).toBeUndefined();
    const created = result.data?.['createGoal'] as { id: string; scope: { summary: string }; scopeFromOwner: boolean } | undefined;
    if (created) {
      expect(created).toMatchObject({ scope: { summary: 'team 1' }, scopeFromOwner: true });
      goalId = created.id;
    }
    const records = (result.data?.['node'] as { records?: { totalCount: number; edges: { node: { amount: string } }[] } } | undefined)?.records;
    // Team 1's won deal of Q1 2025 (9000); South's is another team's.
    if (records) expect(records).toMatchObject({ totalCount: 1, edges: [{ node: { amount: '9000' } }] });
    const cascade = result.data?.['cascadeGoal'] as { children: { targetExact: string }[] } | undefined;
    // Q4 2024: North 5000, South 5000, so 60000 splits evenly.
    if (cascade) expect(cascade.children.map((child) => child.targetExact)).toEqual(['30000', '30000']);
  }
}, 60_000);

it('every shell example of the Goals section runs and prints something', async () => {
  const commands = [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].flatMap((match) => match[1]!.split('\n').filter((line) => line.trim() !== ''));
  expect(commands.length).toBeGreaterThanOrEqual(2);
  const env = { KPIGRAPH_URL: url, KPIGRAPH_API_KEY: key, PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}` };
  for (const command of commands) {
    const result = await runProcess('bash', ['-o', 'pipefail', '-c', command], env, 60_000);
    expect(result.code, `${command}\n${result.stderr}`).toBe(0);
    expect(result.stdout.trim()).not.toBe('');
  }
}, 120_000);
