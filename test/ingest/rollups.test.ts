import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { checkRollups } from '../../src/db/rollups/index.js';
import { createTestDatabase } from '../support/database.js';
import { createWorkspace, csv, importFiles, tempDir, writeFiles } from './helpers.js';

const users = csv('externalId,name,email', ['u1,Ada Rep,ada@example.com']);
const customers = csv('externalId,name,industry,region,channel,owner,createdAt', ['c1,Acme,software,DE,search,u1,2024-01-10T09:00:00Z']);
const dealHeader = 'externalId,customer,owner,title,amount,stage,productLine,createdAt,closedAt,lostReason';
interface DealLine {
  title?: string;
  amount?: string;
  stage?: string;
}
/** d0–d5: LEAD, WON, LOST, LEAD, WON, LOST, amounts i.50, created 2024-03-01 20:00Z, closed ones 2024-03-20 12:00Z. */
const deals = (changes: Record<number, DealLine> = {}): string =>
  csv(
    dealHeader,
    [0, 1, 2, 3, 4, 5].map((i) => {
      const stage = changes[i]?.stage ?? ['LEAD', 'WON', 'LOST'][i % 3]!;
      const closed = stage === 'LEAD' ? '' : '2024-03-20T12:00:00Z';
      return `d${i},c1,u1,${changes[i]?.title ?? `Deal ${i}`},${changes[i]?.amount ?? `${i}.50`},${stage},core,2024-03-01T20:00:00Z,${closed},${stage === 'LOST' ? 'price' : ''}`;
    }),
  );

describe('imports keep the deal rollup exact', () => {
  let db: Database;
  let folder: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    db = await createTestDatabase();
    folder = await tempDir();
  });
  afterAll(async () => {
    await db?.close();
    await folder?.remove();
  });

  /** The rollup summed over teams and stages, by kind and day. */
  const byDay = async (workspaceId: number) =>
    (
      await db.query<{ kind: number; day: string; deals: number; amount: string; cycleDeals: number; cycleSeconds: string }>(
        `SELECT "kind", to_char("day", 'YYYY-MM-DD') AS day, sum("deals")::int AS deals, sum("amount")::text AS amount,
           sum("cycleDeals")::int AS "cycleDeals", sum("cycleSeconds")::text AS "cycleSeconds"
         FROM "DealDailyRollup" WHERE "workspaceId" = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
        [workspaceId],
      )
    ).rows;

  it('adds imported deals on their days in the workspace zone, moves re-imported ones and drops the rows they empty', async () => {
    // Auckland is 13 hours ahead in March: created on the 2nd, closed on the 21st, 18 days 16 hours apart (1,612,800 s).
    const workspaceId = await createWorkspace(db, 'Pacific/Auckland');
    const write = async (files: Record<string, string>) => importFiles(db, await writeFiles(folder.dir, files), { workspaceId, bulkIndexes: 'always' });
    await write({ 'users.csv': users, 'customers.csv': customers, 'deals.csv': deals() });
    // Closed: d1, d2, d4, d5 (amounts 1.50 + 2.50 + 4.50 + 5.50 = 14.00).
    expect(await byDay(workspaceId)).toEqual([
      { kind: 0, day: '2024-03-02', deals: 6, amount: '18.00', cycleDeals: 4, cycleSeconds: '6451200.000' },
      { kind: 1, day: '2024-03-21', deals: 4, amount: '14.00', cycleDeals: 4, cycleSeconds: '6451200.000' },
      { kind: 2, day: '2024-03-21', deals: 4, amount: '14.00', cycleDeals: 4, cycleSeconds: '6451200.000' },
    ]);

    // d0 renamed only, both won deals (d1, d4) reopened, d2 to 100.00: closed are d2 and d5 (100.00 + 5.50).
    await write({ 'deals.csv': deals({ 0: { title: 'Renamed' }, 1: { stage: 'LEAD' }, 2: { amount: '100.00' }, 4: { stage: 'LEAD' } }) });
    expect(await byDay(workspaceId)).toEqual([
      { kind: 0, day: '2024-03-02', deals: 6, amount: '115.50', cycleDeals: 2, cycleSeconds: '3225600.000' },
      { kind: 1, day: '2024-03-21', deals: 2, amount: '105.50', cycleDeals: 2, cycleSeconds: '3225600.000' },
      { kind: 2, day: '2024-03-21', deals: 2, amount: '105.50', cycleDeals: 2, cycleSeconds: '3225600.000' },
    ]);
    // The won deals' rows fell to zero and are gone rather than kept at zero.
    const { rows: won } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "DealDailyRollup" WHERE "workspaceId" = $1 AND "stage" = 'WON'`, [workspaceId]);
    expect(won[0]!.n).toBe(0);
    // Created: LEAD and LOST; closed and ended: LOST.
    expect(await checkRollups(db, workspaceId)).toEqual([{ workspaceId, source: 'deals', rows: 4, differences: 0 }, expect.objectContaining({ workspaceId, source: 'customers', differences: 0 })]);
  });

  it('writes no rollup row for an update that changes no rolled-up column', async () => {
    const workspaceId = await createWorkspace(db, 'Europe/Berlin', 'Renames');
    await importFiles(db, await writeFiles(folder.dir, { 'users.csv': users, 'customers.csv': customers, 'deals.csv': deals() }), { workspaceId });
    const versions = async () =>
      (await db.query<{ v: string }>(`SELECT string_agg(xmin::text || ':' || ctid::text, ',' ORDER BY "kind", "day", "stage") AS v FROM "DealDailyRollup" WHERE "workspaceId" = $1`, [workspaceId])).rows[0]!.v;
    const before = await versions();
    await db.query(`UPDATE "Deal" SET "title" = "title" || ' (renamed)', "lostReason" = NULL WHERE "workspaceId" = $1`, [workspaceId]);
    expect(await versions()).toBe(before);
    await db.query(`UPDATE "Deal" SET "amount" = "amount" + 1 WHERE "workspaceId" = $1 AND "externalId" = 'd0'`, [workspaceId]);
    expect(await versions()).not.toBe(before);
    // Created: three stages; closed and ended: WON and LOST.
    expect(await checkRollups(db, workspaceId)).toEqual([{ workspaceId, source: 'deals', rows: 7, differences: 0 }, expect.objectContaining({ workspaceId, source: 'customers', differences: 0 })]);
  });

  it('keeps it exact through statements of 1,500 deals, which the triggers plan for their size', async () => {
    const workspaceId = await createWorkspace(db, 'UTC', 'Large statements');
    await importFiles(db, await writeFiles(folder.dir, { 'users.csv': users, 'customers.csv': customers }), { workspaceId });
    // Deal i: amount i, created 2024-03-01 20:00; the even ones won on 2024-03-20 12:00 (18 days 16 hours: 1,612,800 s).
    await db.query(
      `INSERT INTO "Deal" ("workspaceId", "customerId", "title", "amount", "productLine", "stage", "createdAt", "closedAt")
       SELECT $1, c.id, 'Deal ' || i, i, 'core', CASE WHEN i % 2 = 0 THEN 'WON' ELSE 'LEAD' END::"DealStage",
         '2024-03-01T20:00:00Z', CASE WHEN i % 2 = 0 THEN '2024-03-20T12:00:00Z'::timestamptz END
       FROM generate_series(1, 1500) i, "Customer" c WHERE c."workspaceId" = $1`,
      [workspaceId],
    );
    // 1 + … + 1500 = 1,125,750; the even ones 2 × (1 + … + 750) = 563,250; 750 cycles of 1,612,800 s.
    expect(await byDay(workspaceId)).toEqual([
      { kind: 0, day: '2024-03-01', deals: 1500, amount: '1125750.00', cycleDeals: 750, cycleSeconds: '1209600000.000' },
      { kind: 1, day: '2024-03-20', deals: 750, amount: '563250.00', cycleDeals: 750, cycleSeconds: '1209600000.000' },
      { kind: 2, day: '2024-03-20', deals: 750, amount: '563250.00', cycleDeals: 750, cycleSeconds: '1209600000.000' },
    ]);
    await db.query(`UPDATE "Deal" SET "amount" = "amount" * 2, "title" = "title" || '!' WHERE "workspaceId" = $1`, [workspaceId]);
    expect((await byDay(workspaceId)).map((row) => row.amount)).toEqual(['2251500.00', '1126500.00', '1126500.00']);
    expect(await checkRollups(db, workspaceId)).toEqual([{ workspaceId, source: 'deals', rows: 4, differences: 0 }, expect.objectContaining({ workspaceId, source: 'customers', differences: 0 })]);
    await db.query(`DELETE FROM "Deal" WHERE "workspaceId" = $1`, [workspaceId]);
    expect(await byDay(workspaceId)).toEqual([]);
  });
});
