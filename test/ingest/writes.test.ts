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

  it('turns the row-by-row foreign-key triggers off only inside its own transaction', async () => {
    await run({ 'deals.csv': csv(dealHeader, [won]) });
    const { rows } = await db.query<{ role: string }>(`SELECT current_setting('session_replication_role') AS role`);
    expect(rows[0]!.role).toBe('origin');
  });
});
