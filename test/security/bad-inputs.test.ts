import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { WorkspaceFixture } from '../graphql/fixtures.js';
import { gid, rowCounts, seedWorkspace } from '../graphql/fixtures.js';
import type { TestClient } from '../support/server.js';
import { createTestClient, mintTestKey } from '../support/server.js';
import { createTestDatabase } from '../support/database.js';
import { send, statementsDuring } from './support.js';

const nul = 'a\u0000b';
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** Every input of issue 17's list, and its family: a coded error naming the field, nothing written, never a masked error. */
describe('bad inputs', () => {
  let db: Database;
  let a: WorkspaceFixture;
  let b: WorkspaceFixture;
  let admin: TestClient;
  let viewer: TestClient;
  let northAdmin: TestClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await seedWorkspace(db, 'Acme');
    b = await seedWorkspace(db, 'Bolt');
    const limits = { RATE_LIMIT_PER_MINUTE: '0' };
    admin = createTestClient(db, a.workspaceId, limits);
    viewer = createTestClient(db, a.workspaceId, limits, { role: 'VIEWER' });
    northAdmin = createTestClient(db, a.workspaceId, limits, { role: 'ADMIN', teamId: a.teams.north });
  });
  afterAll(async () => db.close());

  const refused = async (client: TestClient, query: string, variables: Record<string, unknown>, code: string, field: RegExp) => {
    const before = await rowCounts(db);
    const result = await client.execute(query, variables);
    expect(result.errors?.length, JSON.stringify(result)).toBeGreaterThan(0);
    const error = result.errors![0]!;
    expect(error.extensions?.['code'], JSON.stringify(result.errors)).toBe(code);
    expect(`${error.message} ${String(error.extensions?.['field'] ?? '')}`).toMatch(field);
    expect(await rowCounts(db)).toEqual(before);
    return result;
  };

  it('refuses a NUL character in any string, as a variable or in the document, naming it', async () => {
    await refused(admin, 'query($s: String) { customers(first: 1, filter: { search: $s }) { edges { node { id } } } }', { s: nul }, 'BAD_USER_INPUT', /\$s/);
    await refused(admin, '{ customers(first: 1, filter: { search: "a\\u0000b" }) { edges { node { id } } } }', {}, 'BAD_USER_INPUT', /filter\.search/);
    await refused(admin, '{ kpi(key: "win_rate") { value(period: { named: THIS_MONTH }, filter: { region: ["D\\u0000E"] }) { value } } }', {}, 'BAD_USER_INPUT', /filter\.region/);
    await refused(admin, 'mutation($n: String!) { createApiKey(name: $n, role: VIEWER) { key } }', { n: nul }, 'BAD_USER_INPUT', /\$n/);
    await refused(
      admin,
      'mutation($input: CreateDealInput!) { createDeal(input: $input) { id } }',
      { input: { customerId: gid('Customer', a.customers.alpha), title: nul, amount: '1.00', productLine: 'core' } },
      'BAD_USER_INPUT',
      /\$input\.title/,
    );
    await refused(admin, 'mutation($rows: [JSON!]!) { importRecords(batches: [{ type: "team", rows: $rows }]) { committed } }', { rows: [{ externalId: 't9', name: nul }] }, 'BAD_USER_INPUT', /\$rows\.0\.name/);
  });

  it('refuses malformed global IDs and answers node() for every type, one bad ID not spoiling nodes()', async () => {
    const node = 'query($id: ID!) { node(id: $id) { __typename id } }';
    await refused(admin, node, { id: b64('Customer:abc') }, 'BAD_USER_INPUT', /id/);
    await refused(admin, node, { id: b64('Customer:99999999999') }, 'BAD_USER_INPUT', /id/);
    await refused(admin, node, { id: '%%%' }, 'BAD_USER_INPUT', /id/);
    await refused(admin, node, { id: b64('DealStageEvent:1') }, 'NOT_FOUND', /DealStageEvent/);
    // An API key of another workspace, a missing one, or one asked by a non-admin: null, like any unknown ID.
    const otherKey = (await db.prisma.apiKey.create({ data: { workspaceId: b.workspaceId, name: 'b', prefix: 'bbbbbbbb', hash: 'x' } })).id;
    for (const [client, id] of [
      [admin, otherKey],
      [admin, 999_999],
      [viewer, otherKey - 0],
    ] as const) {
      const result = await client.execute<{ node: unknown }>(node, { id: gid('ApiKey', id) });
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      expect(result.data?.node).toBeNull();
    }
    const southKey = await mintTestKey(db, a.workspaceId, { role: 'VIEWER', teamId: a.teams.south });
    const southKeyId = (await db.prisma.apiKey.findFirstOrThrow({ where: { prefix: southKey.split('_')[1]! } })).id;
    expect((await northAdmin.execute<{ node: unknown }>(node, { id: gid('ApiKey', southKeyId) })).data?.node).toBeNull();
    const many = await admin.execute<{ nodes: ({ __typename: string } | null)[] }>('query($ids: [ID!]!) { nodes(ids: $ids) { __typename } }', {
      ids: [gid('Customer', a.customers.alpha), b64('DealStageEvent:1'), b64('Deal:x'), gid('ApiKey', otherKey), gid('Deal', a.deals.alphaOne)],
    });
    expect(many.data?.nodes).toEqual([{ __typename: 'Customer' }, null, null, null, { __typename: 'Deal' }]);
    expect(many.errors?.map((error) => [error.path?.join('.'), error.extensions?.['code']])).toEqual([
      ['nodes.1', 'NOT_FOUND'],
      ['nodes.2', 'BAD_USER_INPUT'],
    ]);
  });

  it('validates dates instead of shifting them, and refuses out-of-range periods', async () => {
    const pay = 'mutation($at: DateTime!) { recordPayment(input: { customerId: "' + gid('Customer', a.customers.alpha) + '", amount: "1.00", paidAt: $at }) { id } }';
    for (const at of ['2026-02-30T00:00:00Z', '2025-02-29T00:00:00Z', '0000-01-01T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T10:61:00Z', '2026-01-01T10:00:00+25:00']) {
      await refused(admin, pay, { at }, 'BAD_USER_INPUT', /\$at/);
    }
    await refused(admin, '{ goals(first: 1, at: "0000-06-01T00:00:00Z") { edges { node { id } } } }', {}, 'BAD_USER_INPUT', /at|DateTime/);
    await refused(admin, '{ kpi(key: "win_rate") { value(period: { trailingDays: 1000000000 }) { value } } }', {}, 'BAD_USER_INPUT', /trailingDays/);
    const leap = await admin.execute(pay, { at: '2024-02-29T23:59:59.999+01:00' });
    expect(leap.errors).toBeUndefined();
  });

  it('refuses over-deep JSON and over-long lists in variables before any work', async () => {
    // Written out by hand: JSON.stringify itself overflows the stack at this depth.
    const deep = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    const query = 'query($p: JSON) { kpi(key: "win_rate") { value(period: { named: THIS_MONTH }, params: $p) { value } } }';
    const { result: response, statements } = await statementsDuring(db, () => send(admin, { body: `{"query":${JSON.stringify(query)},"variables":{"p":${deep}}}` }));
    expect(statements).toEqual([]);
    expect(response.json?.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(response.json?.errors?.[0]?.message).toMatch(/\$p(\.a)+: nests deeper than 32 levels/);
    const ids = Array.from({ length: 30_000 }, (_, i) => gid('Customer', i + 1));
    await refused(admin, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids }, 'BAD_USER_INPUT', /\$ids/);
    const regions = Array.from({ length: 50_000 }, (_, i) => `R${i}`);
    await refused(admin, 'query($r: [String!]) { customers(first: 1, filter: { region: $r }) { edges { node { id } } } }', { r: regions }, 'BAD_USER_INPUT', /\$r/);
    await refused(admin, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids.slice(0, 101) }, 'BAD_USER_INPUT', /ids/);
  });

  it('refuses bad cursors with a code', async () => {
    await refused(admin, '{ customers(first: 1, after: "not-a-cursor") { edges { node { id } } } }', {}, 'BAD_USER_INPUT', /after|cursor/);
    await refused(admin, `{ deals(first: 1, before: "${b64('GPC:J:"x"')}") { edges { node { id } } } }`, {}, 'BAD_USER_INPUT', /before|cursor/);
  });
});
