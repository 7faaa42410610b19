import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { ImportConflictError } from '../../src/ingest/upsert.js';
import { createTestDatabase } from '../support/database.js';
import { counts, createWorkspace, csv, importFiles, tempDir, writeFiles } from './helpers.js';

const users = csv('externalId,name,email', ['u1,Ada Rep,ada@example.com']);
const customers = csv('externalId,name,industry,region,channel,owner,createdAt', ['c1,Acme,software,DE,search,u1,2024-01-10T09:00:00Z']);
const dealHeader = 'externalId,customer,owner,title,amount,stage,productLine,createdAt,closedAt,lostReason';
const open = 'd1,c1,u1,Platform,100.00,LEAD,core,2024-03-01T00:00:00Z,,';
const won = 'd1,c1,u1,Platform,100.00,WON,core,2024-03-01T00:00:00Z,2024-03-20T12:00:00Z,';

describe('import writes', () => {
  let db: Database;
  let folder: Awaited<ReturnType<typeof tempDir>>;
  let workspaceId: number;
  const run = async (files: Record<string, string>) => importFiles(db, await writeFiles(folder.dir, files), { workspaceId });
  const events = async () =>
    (
      await db.query<{ e: string }>(
        `SELECT h."externalId" || '>' || h."toStage" || ' of ' || d."externalId" AS e FROM "DealStageEvent" h JOIN "Deal" d ON d.id = h."dealId" WHERE h."workspaceId" = $1 ORDER BY h.at, h.id`,
        [workspaceId],
      )
    ).rows.map((row) => row.e);

  beforeAll(async () => {
    db = await createTestDatabase();
    folder = await tempDir();
  });
  beforeEach(async () => {
    workspaceId = await createWorkspace(db, 'UTC');
    await run({ 'users.csv': users, 'customers.csv': customers });
  });
  afterAll(async () => {
    await folder?.remove();
    await db?.close();
  });

  it('updates an existing deal and its derived events: closed, then reopened', async () => {
    await run({ 'deals.csv': csv(dealHeader, [open]) });
    expect(await events()).toEqual(['d1#lead>LEAD of d1']);
    const closed = await run({ 'deals.csv': csv(dealHeader, [won]) });
    expect(counts(closed)['deal']).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
    expect(closed.derivedStageEvents).toEqual({ inserted: 1, updated: 0, deleted: 0 });
    expect(await events()).toEqual(['d1#lead>LEAD of d1', 'd1#close>WON of d1']);
    const reopened = await run({ 'deals.csv': csv(dealHeader, [open]) });
    expect(reopened.derivedStageEvents).toEqual({ inserted: 0, updated: 0, deleted: 1 });
    expect(await events()).toEqual(['d1#lead>LEAD of d1']);
  });

  it('refuses to take over a recorded event for the derived history of a new deal, and writes nothing', async () => {
    // d1's own history happens to use the name that d2's derived creation event would get.
    await run({ 'deals.csv': csv(dealHeader, [open]), 'deal_stage_events.csv': csv('externalId,deal,toStage,at', ['d2#lead,d1,LEAD,2024-03-01T00:00:00Z']) });
    const d2 = 'd2,c1,u1,Second,5.00,LEAD,core,2024-03-02T00:00:00Z,,';
    const refused = run({ 'deals.csv': csv(dealHeader, [d2]) });
    await expect(refused).rejects.toThrow(ImportConflictError);
    // Running again would fail again: the message says what to change instead.
    await expect(refused).rejects.toThrow(/d2#lead.*Give the deal its stage history/s);
    expect(await events()).toEqual(['d2#lead>LEAD of d1']);
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Deal" WHERE "workspaceId" = $1`, [workspaceId]);
    expect(rows[0]!.n).toBe(1);
  });

  it.each([
    ['into a workspace without deals (no row pairs with a record)', false],
    ['next to a deal already recorded (rows pair with records)', true],
  ])('derives a history only for the new deals given without one, %s', async (_case, withRecordedDeal) => {
    if (withRecordedDeal) await run({ 'deals.csv': csv(dealHeader, [open.replace('d1,', 'd0,')]) });
    const given = 'd1,c1,u1,Given,10.00,WON,core,2024-03-02T00:00:00Z,2024-03-10T00:00:00Z,';
    const bare = 'd2,c1,u1,Bare,20.00,LOST,core,2024-03-03T00:00:00Z,2024-03-12T00:00:00Z,lost to a rival';
    const report = await run({
      'deals.csv': csv(dealHeader, [given, bare, ...(withRecordedDeal ? [open.replace('d1,', 'd0,')] : [])]),
      'deal_stage_events.csv': csv('externalId,deal,fromStage,toStage,at', ['e1,d1,,LEAD,2024-03-02T00:00:00Z', 'e2,d1,LEAD,WON,2024-03-10T00:00:00Z']),
    });
    expect(counts(report)['deal']).toMatchObject({ inserted: 2, unchanged: withRecordedDeal ? 1 : 0 });
    expect(report.derivedStageEvents).toEqual({ inserted: 2, updated: 0, deleted: 0 });
    expect(await events()).toEqual([...(withRecordedDeal ? ['d0#lead>LEAD of d0'] : []), 'e1>LEAD of d1', 'd2#lead>LEAD of d2', 'e2>WON of d1', 'd2#close>LOST of d2']);
  });

  it('turns the row-by-row foreign-key triggers off only inside its own transaction', async () => {
    await run({ 'deals.csv': csv(dealHeader, [won]) });
    const { rows } = await db.query<{ role: string }>(`SELECT current_setting('session_replication_role') AS role`);
    expect(rows[0]!.role).toBe('origin');
  });
});
