import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { countStatements, createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';

/** 60 customers with 2 deals each, owned by 3 users in 2 teams; a second workspace with 1 customer. */
async function seed(db: Database): Promise<{ workspaceId: number; otherWorkspaceId: number }> {
  const { prisma } = db;
  const workspace = await prisma.workspace.create({ data: { name: 'Acme', timeZone: 'Europe/Berlin' } });
  const other = await prisma.workspace.create({ data: { name: 'Other' } });
  const north = await prisma.team.create({ data: { workspaceId: workspace.id, name: 'North' } });
  const south = await prisma.team.create({ data: { workspaceId: workspace.id, name: 'South' } });
  const users = await Promise.all(
    [
      ['Ada', north.id],
      ['Ben', north.id],
      ['Cy', south.id],
    ].map(([name, teamId]) =>
      prisma.user.create({ data: { workspaceId: workspace.id, name: String(name), email: `${String(name)}@acme.test`, teamId: Number(teamId) } }),
    ),
  );
  for (let i = 0; i < 60; i++) {
    const owner = users[i % 3]!;
    const customer = await prisma.customer.create({
      data: {
        workspaceId: workspace.id,
        name: `Customer ${String(i).padStart(2, '0')}`,
        industry: 'software',
        region: i % 2 === 0 ? 'DE' : 'FR',
        channel: 'search',
        ownerId: owner.id,
        createdAt: new Date(Date.UTC(2026, 0, 1 + i)),
      },
    });
    for (const amount of ['100.10', '200.20']) {
      await prisma.deal.create({
        data: { workspaceId: workspace.id, customerId: customer.id, ownerId: owner.id, title: `Deal ${i}`, amount, productLine: 'core' },
      });
    }
  }
  const stranger = await prisma.customer.create({
    data: { workspaceId: other.id, name: 'Stranger', industry: 'x', region: 'DE', channel: 'search' },
  });
  void stranger;
  return { workspaceId: workspace.id, otherWorkspaceId: other.id };
}

describe('customers connection', () => {
  let db: Database;
  let client: TestClient;
  beforeAll(async () => {
    db = await createTestDatabase();
    const { workspaceId } = await seed(db);
    client = createTestClient(db, workspaceId);
  });
  afterAll(async () => db.close());

  it('loads a page of 50 customers with their deals and owners in a small constant number of statements', async () => {
    const query = /* GraphQL */ `
      query Page {
        customers(first: 50) {
          edges { node { id name owner { name team { name } } deals(first: 10) { edges { node { title amount } } } } }
          pageInfo { hasNextPage endCursor }
        }
      }
    `;
    await client.execute('{ teams { name } }'); // the key and workspace are looked up once, then cached
    const { result, statements } = await countStatements(db, () => client.execute(query));
    expect(result.errors).toBeUndefined();
    const data = result.data as { customers: { edges: Array<{ node: { deals: { edges: unknown[] }; owner: { team: { name: string } } } }> } };
    expect(data.customers.edges).toHaveLength(50);
    expect(data.customers.edges.every((edge) => edge.node.deals.edges.length === 2)).toBe(true);
    // Prisma loads a page and its relations with one statement per relation level;
    // the count must not grow with the page size.
    // One statement each for customers, owners, teams and deals: never one per customer.
    expect(statements).toHaveLength(4);
    const smaller = await countStatements(db, () => client.execute(query.replace('first: 50', 'first: 5')));
    expect(smaller.statements).toHaveLength(4);
  });
});

describe('createCustomer', () => {
  let db: Database;
  let client: TestClient;
  beforeAll(async () => {
    db = await createTestDatabase();
    const { workspaceId } = await seed(db);
    client = createTestClient(db, workspaceId);
  });
  afterAll(async () => db.close());

  const create = /* GraphQL */ `
    mutation Create($input: CreateCustomerInput!) { createCustomer(input: $input) { id name region status } }
  `;

  it('rejects a lower-case region with BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const before = await db.prisma.customer.count();
    const result = await client.execute(create, { input: { name: 'Zed', industry: 'retail', region: 'de', channel: 'search' } });
    expect(result.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toContain('region');
    expect(await db.prisma.customer.count()).toBe(before);
  });

  it('creates a lead in the request’s workspace', async () => {
    const result = await client.execute<{ createCustomer: { name: string; status: string } }>(create, {
      input: { name: 'Zed', industry: 'retail', region: 'DE', channel: 'search' },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.createCustomer).toMatchObject({ name: 'Zed', status: 'LEAD' });
  });
});
