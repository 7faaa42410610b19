import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createFixture } from '../../src/testing/fixture.js';
import { createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';
import type { HostileCase, Target } from './hostile-cases.js';
import { hostileCases } from './hostile-cases.js';
import { send, statementsDuring } from './support.js';

const cases = hostileCases();

/**
 * Every generated hostile operation is refused with a clear error, and
 * before any SQL: it never reaches the engine, and (except a subscription,
 * refused by the executor from warm caches) not even the context.
 */
describe(`${cases.length} hostile operations`, () => {
  let db: Database;
  let clients: Record<Target, TestClient>;

  beforeAll(async () => {
    db = await createTestDatabase();
    const { workspaceId } = await createFixture(db, {
      teams: ['North', 'South'],
      users: [{ name: 'rep', team: 'North' }],
      customers: [{ name: 'Acme', owner: 'rep', createdAt: '2025-03-01T10:00:00Z' }],
      deals: [{ customer: 'Acme', stage: 'WON', amount: '100.00', createdAt: '2025-03-02T10:00:00Z', closedAt: '2025-03-10T10:00:00Z' }],
    });
    clients = {
      test: createTestClient(db, workspaceId, { RATE_LIMIT_PER_MINUTE: '0' }),
      production: createTestClient(db, workspaceId, { NODE_ENV: 'production', RATE_LIMIT_PER_MINUTE: '0' }),
      // One request a minute: the one sent before each case spends it.
      limited: createTestClient(db, workspaceId, { RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_BURST: '1' }),
    };
    // A key's first request counts against the client's address, until the key is verified; later ones against the key.
    await clients.limited.execute('{ __typename }');
  });
  afterAll(async () => db.close());

  test('the suite is big enough', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, hostile: HostileCase) => {
    const client = clients[hostile.target];
    // A harmless query first: the key, the workspace and the KPI plugins load on a server's first
    // request (and again when their caches expire), SQL no refusal should be blamed for. On the
    // rate-limited server it spends the one request allowed.
    const warmUp = await client.execute('{ __typename }');
    if (hostile.target !== 'limited') expect(warmUp.errors).toBeUndefined();
    const { result: response, statements } = await statementsDuring(db, () => send(client, hostile.request));
    const errors = response.json?.errors ?? [];
    const first = errors[0];
    const summary = `${response.status} ${response.text.slice(0, 300)}`;

    expect(statements, `SQL ran for a refused request: ${statements.join('; ')}`).toEqual([]);
    expect(response.status >= 400 || errors.length > 0, summary).toBe(true);
    expect(response.json?.data ?? null, summary).toBeNull();
    if (hostile.status !== undefined) expect(response.status, summary).toBe(hostile.status);
    if (hostile.code !== undefined) expect(first?.extensions?.['code'], summary).toBe(hostile.code);
    if (hostile.message !== undefined) expect(first?.message ?? response.text, summary).toMatch(hostile.message);
    if (hostile.target === 'production') expect(response.text).not.toMatch(/Did you mean/);
    if (response.status === 429) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
