import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { checkRollups } from '../../src/db/rollups/index.js';
import { createFixture } from '../../src/testing/fixture.js';
import { createTestDatabase } from '../support/database.js';

/**
 * A record written while its owner changes team, in two sessions of a real
 * PostgreSQL (PGlite has one session): whichever commits first, the rollups
 * must equal the rows afterwards, and the write's and the team change's
 * statements must wait for each other rather than pass.
 */
const spec = {
  workspace: { timeZone: 'UTC' },
  users: [
    { name: 'nora', team: 'North' },
    { name: 'sam', team: 'South' },
  ],
  customers: [{ name: 'Ann', owner: 'nora', region: 'DE', convertedAt: '2025-01-02T00:00:00Z' }],
  deals: [{ customer: 'Ann', stage: 'WON' as const, amount: '10.00', closedAt: '2025-01-10T00:00:00Z' }],
};

const postgresUrl = process.env['TEST_DATABASE_URL'];

describe.skipIf(!postgresUrl)('a record written while its owner changes team', () => {
  let db: Database;
  let workspaceId: number;
  let ids: { nora: number; north: number; south: number; ann: number };
  let url: string;
  const sessions: pg.Client[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const fixture = await createFixture(db, spec);
    workspaceId = fixture.workspaceId;
    const team = (name: string) => db.prisma.team.findFirstOrThrow({ where: { workspaceId, name } });
    ids = {
      nora: (await db.prisma.user.findFirstOrThrow({ where: { workspaceId, name: 'nora' } })).id,
      north: (await team('North')).id,
      south: (await team('South')).id,
      ann: (await db.prisma.customer.findFirstOrThrow({ where: { workspaceId, name: 'Ann' } })).id,
    };
    const { rows } = await db.query<{ name: string }>('SELECT current_database() AS name');
    const target = new URL(postgresUrl!);
    target.pathname = `/${rows[0]!.name}`;
    url = target.toString();
  });
  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.end().catch(() => undefined)));
    await db?.close();
  });

  const session = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    sessions.push(client);
    return client;
  };
  /** Whether the promise is still pending after a while (a statement waiting on a lock). */
  const stillWaiting = async (promise: Promise<unknown>): Promise<boolean> =>
    Promise.race([promise.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 300))]);
  const differences = async () => (await checkRollups(db, workspaceId)).map(({ source, differences: n }) => [source, n]);
  const insertDeal = (client: pg.Client, amount: string) =>
    client.query(
      `INSERT INTO "Deal" ("workspaceId", "customerId", "ownerId", "title", "amount", "stage", "productLine", "createdAt", "closedAt")
       VALUES ($1, $2, $3, 'race', $4, 'WON', 'core', '2025-01-05T00:00:00Z', '2025-01-20T00:00:00Z')`,
      [workspaceId, ids.ann, ids.nora, amount],
    );
  const moveNora = (client: pg.Client, teamId: number) => client.query('UPDATE "User" SET "teamId" = $1 WHERE "id" = $2', [teamId, ids.nora]);

  it('a deal and a customer inserted first: the team change waits for their commit and moves them too', async () => {
    const [writer, mover] = [await session(), await session()];
    await writer.query('BEGIN');
    await insertDeal(writer, '25.00');
    await writer.query(
      `INSERT INTO "Customer" ("workspaceId", "ownerId", "name", "industry", "region", "channel", "status", "createdAt", "convertedAt")
       VALUES ($1, $2, 'Race Ltd', 'software', 'DE', 'search', 'CUSTOMER', '2025-01-03T00:00:00Z', '2025-01-04T00:00:00Z')`,
      [workspaceId, ids.nora],
    );
    const move = moveNora(mover, ids.south);
    expect(await stillWaiting(move)).toBe(true);
    await writer.query('COMMIT');
    await move;
    expect(await differences()).toEqual([
      ['deals', 0],
      ['customers', 0],
    ]);
  });

  it('the team changed first: the deal waits for that commit and is filed under the new team', async () => {
    const [writer, mover] = [await session(), await session()];
    await mover.query('BEGIN');
    await moveNora(mover, ids.north);
    const insert = insertDeal(writer, '40.00');
    expect(await stillWaiting(insert)).toBe(true);
    await mover.query('COMMIT');
    await insert;
    expect(await differences()).toEqual([
      ['deals', 0],
      ['customers', 0],
    ]);
    const { rows } = await db.query<{ amount: string }>(
      'SELECT sum("amount")::text AS amount FROM "DealDailyRollup" WHERE "workspaceId" = $1 AND "teamId" = $2 AND "kind" = 1',
      [workspaceId, ids.north],
    );
    expect(rows[0]!.amount).toBe('75.00');
  });
});
