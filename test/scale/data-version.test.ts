import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { readDataVersion } from '../../src/db/data-version.js';
import { gid, twoWorkspaces } from '../graphql/fixtures.js';
import type { WorkspaceFixture } from '../graphql/fixtures.js';
import { csv, importFiles, tempDir, writeFiles } from '../ingest/helpers.js';
import type { TestClient } from '../support/server.js';

let db: Database;
let client: TestClient;
let a: WorkspaceFixture;
let b: WorkspaceFixture;

beforeAll(async () => {
  ({ db, client, a, b } = await twoWorkspaces());
});
afterAll(async () => db?.close());

/** Runs `write` and returns how far each workspace's version moved. */
async function moves(write: () => Promise<unknown>): Promise<{ a: number; b: number }> {
  const before = [await readDataVersion(db, a.workspaceId), await readDataVersion(db, b.workspaceId)];
  await write();
  const after = [await readDataVersion(db, a.workspaceId), await readDataVersion(db, b.workspaceId)];
  return { a: Number(after[0]) - Number(before[0]), b: Number(after[1]) - Number(before[1]) };
}

describe('workspace data version', () => {
  it('has been raised by the seeding writes and is 0 for a workspace never written', async () => {
    expect(Number(await readDataVersion(db, a.workspaceId))).toBeGreaterThan(0);
    expect(await readDataVersion(db, 999_999)).toBe('0');
  });

  it('moves once for a mutation (a deal and its first stage event in one transaction), and only in its workspace', async () => {
    const moved = await moves(async () => {
      const result = await client.execute(`mutation($input: CreateDealInput!) { createDeal(input: $input) { id } }`, {
        input: { customerId: gid('Customer', a.customers.alpha), title: 'Versioned', amount: '10.00', productLine: 'core', createdAt: '2026-03-02T09:00:00Z' },
      });
      expect(result.errors).toBeUndefined();
    });
    expect(moved).toEqual({ a: 1, b: 0 });
  });

  it('moves once for a transaction of many statements, for each workspace it touched', async () => {
    const moved = await moves(() =>
      db.prisma.$transaction([
        db.prisma.deal.update({ where: { id: a.deals.alphaOne }, data: { amount: '1001.00' } }),
        db.prisma.deal.update({ where: { id: a.deals.alphaTwo }, data: { amount: '501.00' } }),
        db.prisma.ticket.delete({ where: { id: b.ticket } }),
      ]),
    );
    expect(moved).toEqual({ a: 1, b: 1 });
  });

  it('does not move for a transaction rolled back, nor for a statement that changed no rows', async () => {
    const moved = await moves(async () => {
      await expect(
        db.prisma.$transaction(async (tx) => {
          await tx.deal.update({ where: { id: a.deals.alphaOne }, data: { amount: '1.00' } });
          throw new Error('abandon');
        }),
      ).rejects.toThrow('abandon');
      await db.query('UPDATE "Deal" SET amount = amount WHERE id = -1');
    });
    expect(moved).toEqual({ a: 0, b: 0 });
    expect(String((await db.prisma.deal.findUniqueOrThrow({ where: { id: a.deals.alphaOne } })).amount)).toBe('1001');
  });

  it('moves when a goal or the workspace’s time zone changes', async () => {
    const goal = await moves(() =>
      db.prisma.goal.create({
        data: { workspaceId: a.workspaceId, kpiKey: 'won_revenue', target: '100', periodStart: new Date('2026-01-01'), periodEnd: new Date('2026-04-01'), description: 'Q1' },
      }),
    );
    const zone = await moves(() => db.prisma.workspace.update({ where: { id: b.workspaceId }, data: { timeZone: 'UTC' } }));
    expect([goal, zone]).toEqual([{ a: 1, b: 0 }, { a: 0, b: 1 }]);
  });

  it('moves once for a bulk import of many rows', async () => {
    const folder = await tempDir();
    try {
      const deals = Array.from({ length: 50 }, (_, i) => `imp${i},cx,ux,Imported ${i},${i}.00,LEAD,core,2026-03-01T00:00:00Z,,`);
      const files = await writeFiles(folder.dir, {
        'users.csv': csv('externalId,name,email', ['ux,Imp Rep,imp@example.com']),
        'customers.csv': csv('externalId,name,industry,region,channel,owner,createdAt', ['cx,Impco,software,DE,search,ux,2026-01-10T09:00:00Z']),
        'deals.csv': csv('externalId,customer,owner,title,amount,stage,productLine,createdAt,closedAt,lostReason', deals),
      });
      const moved = await moves(() => importFiles(db, files, { workspaceId: a.workspaceId }));
      expect(moved).toEqual({ a: 1, b: 0 });
    } finally {
      await folder.remove();
    }
  });

  it('leaves no notes of finished transactions behind', async () => {
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM "WorkspaceDataChange"');
    expect(rows[0]!.n).toBe(0);
  });
});
