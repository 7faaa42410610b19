import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createFixture } from '../../src/testing/fixture.js';
import { createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient, mintTestKey } from '../support/server.js';

/** Workspace A: teams North (nora) and South (sam), one customer each with a won deal; workspace B: one customer. */
async function seed(db: Database) {
  const a = await createFixture(db, {
    users: [
      { name: 'nora', team: 'North' },
      { name: 'sam', team: 'South' },
    ],
    customers: [
      { name: 'Northwind', owner: 'nora', region: 'DE', convertedAt: '2025-01-10T00:00:00Z' },
      { name: 'Southbank', owner: 'sam', region: 'FR', convertedAt: '2025-01-12T00:00:00Z' },
    ],
    deals: [
      { customer: 'Northwind', stage: 'WON', amount: '100.00', closedAt: '2025-01-10T00:00:00Z' },
      { customer: 'Southbank', stage: 'WON', amount: '300.00', closedAt: '2025-01-12T00:00:00Z' },
      { customer: 'Southbank', stage: 'LOST', amount: '5.00', closedAt: '2025-01-13T00:00:00Z', lostReason: 'price' },
    ],
  });
  const b = await createFixture(db, { workspace: { name: 'B' }, customers: [{ name: 'Stranger' }] });
  return { a, b };
}

const gid = (typename: string, id: number) => Buffer.from(`${typename}:${id}`).toString('base64');
const january = { start: '2025-01-01T00:00:00Z', end: '2025-02-01T00:00:00Z' };

describe('API keys and roles', () => {
  let db: Database;
  let ids: Awaited<ReturnType<typeof seed>>;
  let admin: TestClient;
  let viewer: TestClient;
  let editor: TestClient;
  let northViewer: TestClient;
  let otherWorkspace: TestClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    ids = await seed(db);
    admin = createTestClient(db, ids.a.workspaceId);
    viewer = createTestClient(db, ids.a.workspaceId, {}, { role: 'VIEWER' });
    editor = createTestClient(db, ids.a.workspaceId, {}, { role: 'EDITOR' });
    northViewer = createTestClient(db, ids.a.workspaceId, {}, { role: 'VIEWER', teamId: ids.a.ids.teams['North']! });
    otherWorkspace = createTestClient(db, ids.b.workspaceId);
  });
  afterAll(async () => db.close());

  it('refuses a request with no key, a malformed key or an unknown key with UNAUTHENTICATED (401)', async () => {
    for (const authorization of ['', 'Bearer nope', `Bearer kpg_abcdefgh_${'x'.repeat(32)}`, 'Basic dXNlcjpwYXNz']) {
      const result = await viewer.execute('{ customers(first: 1) { edges { node { name } } } }', {}, { authorization });
      expect(result.status, authorization).toBe(401);
      expect(result.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
      expect(result.data ?? null).toBeNull();
    }
  });

  it('lets a viewer read but not write: FORBIDDEN, and nothing is written', async () => {
    const read = await viewer.execute<{ customers: { edges: unknown[] } }>('{ customers(first: 10) { edges { node { name } } } }');
    expect(read.data?.customers.edges).toHaveLength(2);
    const before = await db.prisma.customer.count();
    const write = await viewer.execute('mutation { createCustomer(input: { name: "X", industry: "retail", region: "DE", channel: "search" }) { id } }');
    expect(write.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(await db.prisma.customer.count()).toBe(before);
  });

  it('lets an editor write records but not manage keys', async () => {
    const write = await editor.execute<{ createCustomer: { name: string } }>('mutation { createCustomer(input: { name: "Newco", industry: "retail", region: "DE", channel: "search" }) { name } }');
    expect(write.data?.createCustomer.name).toBe('Newco');
    const keys = await editor.execute('mutation { createApiKey(name: "x", role: ADMIN) { key } }');
    expect(keys.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const list = await editor.execute('{ apiKeys { prefix } }');
    expect(list.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('lets an admin mint a key that works at once and revoke it so that it stops at once', async () => {
    const created = await admin.execute<{ createApiKey: { key: string; apiKey: { id: string; prefix: string; role: string } } }>(
      'mutation { createApiKey(name: "dashboard", role: VIEWER) { key apiKey { id prefix role } } }',
    );
    const { key, apiKey } = created.data!.createApiKey;
    expect(key).toMatch(new RegExp(`^kpg_${apiKey.prefix}_`));
    const stored = await db.prisma.apiKey.findUniqueOrThrow({ where: { prefix: apiKey.prefix } });
    expect(stored.hash).not.toContain(key.slice(13));
    const withKey = await admin.execute<{ workspace: { name: string } }>('{ workspace { name } }', {}, { authorization: `Bearer ${key}` });
    expect(withKey.errors).toBeUndefined();
    expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { prefix: apiKey.prefix } })).lastUsedAt).not.toBeNull();
    await admin.execute('mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: apiKey.id });
    const after = await admin.execute('{ workspace { name } }', {}, { authorization: `Bearer ${key}` });
    expect(after.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('shows a team-limited key only its team’s customers, deals and KPI values', async () => {
    const customers = await northViewer.execute<{ customers: { edges: Array<{ node: { name: string } }> } }>('{ customers(first: 10) { edges { node { name } } } }');
    expect(customers.data?.customers.edges.map((e) => e.node.name)).toEqual(['Northwind']);
    const deals = await northViewer.execute<{ deals: { edges: unknown[] } }>('{ deals(first: 10) { edges { node { title } } } }');
    expect(deals.data?.deals.edges).toHaveLength(1);
    // Company-wide January: 2 won of 3 closed, 400.00. North alone: 1 of 1, 100.00.
    const kpi = await northViewer.execute<{ won: { value: { exact: string } }; rate: { value: { value: number } } }>(
      `query($p: PeriodInput!) { won: kpi(key: "won_revenue") { value(period: $p) { exact } } rate: kpi(key: "win_rate") { value(period: $p) { value } } }`,
      { p: january },
    );
    expect(kpi.data?.won.value.exact).toBe('100');
    expect(kpi.data?.rate.value.value).toBe(1);
    const southAsked = await northViewer.execute<{ kpi: { value: { exact: string } } }>(
      `query($p: PeriodInput!, $t: ID!) { kpi(key: "won_revenue") { value(period: $p, filter: { team: [$t] }) { exact } } }`,
      { p: january, t: gid('Team', ids.a.ids.teams['South']!) },
    );
    expect(southAsked.data?.kpi.value.exact).toBe('0');
    const roi = await northViewer.execute(`query($p: PeriodInput!) { kpi(key: "crm_roi") { value(period: $p) { value } } }`, { p: january });
    expect(roi.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const other = await northViewer.execute<{ node: unknown }>('query($id: ID!) { node(id: $id) { id } }', { id: gid('Customer', ids.a.ids.customers['Southbank']!) });
    expect(other.data?.node ?? null).toBeNull();
  });

  it('never lets a key of another workspace see or touch workspace A', async () => {
    const list = await otherWorkspace.execute<{ customers: { edges: Array<{ node: { name: string } }> } }>('{ customers(first: 10) { edges { node { name } } } }');
    expect(list.data?.customers.edges.map((e) => e.node.name)).toEqual(['Stranger']);
    const node = await otherWorkspace.execute<{ node: unknown }>('query($id: ID!) { node(id: $id) { id } }', { id: gid('Customer', ids.a.ids.customers['Northwind']!) });
    expect(node.data?.node ?? null).toBeNull();
    const kpi = await otherWorkspace.execute<{ kpi: { value: { exact: string } } }>(`query($p: PeriodInput!) { kpi(key: "won_revenue") { value(period: $p) { exact } } }`, { p: january });
    expect(kpi.data?.kpi.value.exact).toBe('0');
    const key = await mintTestKey(db, ids.a.workspaceId, { role: 'VIEWER' });
    const prefix = key.split('_')[1]!;
    const apiKeyId = (await db.prisma.apiKey.findUniqueOrThrow({ where: { prefix } })).id;
    const revoke = await otherWorkspace.execute('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: gid('ApiKey', apiKeyId) });
    expect(revoke.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKeyId } })).revokedAt).toBeNull();
  });
});
