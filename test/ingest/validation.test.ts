import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createTestDatabase } from '../support/database.js';
import { counts, createWorkspace, csv, importFiles, tempDir, writeFiles } from './helpers.js';

const users = csv('externalId,name,email', ['u1,Ada Rep,ada@example.com']);
const customers = csv('externalId,name,industry,region,channel,owner,createdAt', [
  'c1,Acme,software,DE,search,u1,2024-01-10T09:00:00Z',
  'c2,Globex,retail,FR,referral,,2024-02-01T09:00:00Z',
]);
const dealHeader = 'externalId,customer,owner,title,amount,stage,productLine,createdAt,closedAt,lostReason';

describe('import checks', () => {
  let db: Database;
  let folder: Awaited<ReturnType<typeof tempDir>>;
  let workspaceId: number;
  const rowsIn = async (table: string) =>
    Number((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${table}" WHERE "workspaceId" = $1`, [workspaceId])).rows[0]!.n);
  const run = async (files: Record<string, string>, options: { skipInvalid?: boolean; dryRun?: boolean } = {}) =>
    importFiles(db, await writeFiles(folder.dir, files), { workspaceId, ...options });

  beforeAll(async () => {
    db = await createTestDatabase();
    folder = await tempDir();
  });
  beforeEach(async () => {
    workspaceId = await createWorkspace(db, 'Europe/Berlin');
  });
  afterAll(async () => {
    await folder?.remove();
    await db?.close();
  });

  it('accepts a resolved ticket without a first response, as it is', async () => {
    const tickets = csv('externalId,customer,kind,subject,openedAt,firstResponseAt,resolvedAt', ['t1,c1,REQUEST,Merged,2024-05-02T10:00:00Z,,2024-05-03T10:00:00Z']);
    const report = await run({ 'users.csv': users, 'customers.csv': customers, 'tickets.csv': tickets });
    expect(report.rejections).toEqual([]);
    expect(report.committed).toBe(true);
    const row = (await db.query<{ firstResponseAt: Date | null; resolvedAt: Date }>('SELECT "firstResponseAt", "resolvedAt" FROM "Ticket" WHERE "workspaceId" = $1', [workspaceId])).rows[0]!;
    expect(row).toEqual({ firstResponseAt: null, resolvedAt: new Date('2024-05-03T10:00:00Z') });
  });

  it('one bad row among thousands: nothing is written and the row is named by file and line', async () => {
    const surveys = Array.from({ length: 3_000 }, (_, i) => `s${i},c${1 + (i % 2)},NPS,${i === 1_776 ? 11 : i % 11},2024-05-01T10:00:00Z`);
    const report = await run({ 'users.csv': users, 'customers.csv': customers, 'survey_responses.csv': csv('externalId,customer,kind,score,answeredAt', surveys) });
    expect(report.committed).toBe(false);
    expect(report.rejectionCount).toBe(1);
    expect(report.rejections).toEqual([
      { type: 'survey_response', source: 'survey_responses.csv', line: 1_778, field: 'score', reason: expect.stringMatching(/between 0 and 10 for NPS.*got 11/) },
    ]);
    expect(counts(report)['survey_response']).toMatchObject({ rows: 3_000, rejected: 1 });
    expect(await rowsIn('SurveyResponse')).toBe(0);
    expect(await rowsIn('Customer')).toBe(0);
    expect(await rowsIn('User')).toBe(0);
  });

  it.each([
    ['an unknown reference', { 'deals.csv': csv(dealHeader, ['d1,nobody,u1,Big deal,100.00,LEAD,core,2024-03-01T00:00:00Z,,']) }, 'deals.csv', 2, 'customer', /unknown customer "nobody"/],
    ['a duplicate external ID in one file', { 'deals.csv': csv(dealHeader, ['d1,c1,u1,One,1.00,LEAD,core,2024-03-01T00:00:00Z,,', 'd1,c1,u1,Two,2.00,LEAD,core,2024-03-01T00:00:00Z,,']) }, 'deals.csv', 3, 'externalId', /appears 2 times/],
    ['a deal closed before it was created', { 'deals.csv': csv(dealHeader, ['d1,c1,u1,Won,10.00,WON,core,2024-03-01T00:00:00Z,2024-02-01T00:00:00Z,']) }, 'deals.csv', 2, 'closedAt', /must not be before createdAt/],
    ['a negative amount', { 'deals.csv': csv(dealHeader, ['d1,c1,u1,Refund,-5.00,LEAD,core,2024-03-01T00:00:00Z,,']) }, 'deals.csv', 2, 'amount', /non-negative amount/],
    ['money with three decimals', { 'payments.csv': csv('externalId,customer,amount,paidAt', ['p1,c1,10.005,2024-04-01T00:00:00Z']) }, 'payments.csv', 2, 'amount', /at most 2 decimal places/],
    ['a CSAT of 0', { 'survey_responses.csv': csv('externalId,customer,kind,score,answeredAt', ['s1,c1,CSAT,0,2024-05-01T00:00:00Z']) }, 'survey_responses.csv', 2, 'score', /between 1 and 5 for CSAT/],
    ['a first response before the opening', { 'tickets.csv': csv('externalId,customer,kind,subject,openedAt,firstResponseAt', ['t1,c1,COMPLAINT,Broken,2024-05-02T10:00:00Z,2024-05-02T09:00:00Z']) }, 'tickets.csv', 2, 'firstResponseAt', /must not be before the ticket was opened/],
    ['a LOST deal without a reason', { 'deals.csv': csv(dealHeader, ['d1,c1,u1,Lost,10.00,LOST,core,2024-03-01T00:00:00Z,2024-03-05T00:00:00Z,']) }, 'deals.csv', 2, 'lostReason', /required for a LOST deal/],
    ['a stage history that ends elsewhere than the deal', {
      'deals.csv': csv(dealHeader, ['d1,c1,u1,Won,10.00,WON,core,2024-03-01T00:00:00Z,2024-03-09T00:00:00Z,']),
      'deal_stage_events.csv': csv('externalId,deal,fromStage,toStage,at', ['e1,d1,,LEAD,2024-03-01T00:00:00Z', 'e2,d1,LEAD,LOST,2024-03-09T00:00:00Z']),
    }, 'deals.csv', 2, 'stage', /is at WON but its stage history ends at LOST/],
    ['an unknown column', { 'customers.csv': csv('externalId,name,industry,region,channel,createdAt,colour', ['c9,X,software,DE,search,2024-01-01T00:00:00Z,red']) }, 'customers.csv', 2, 'colour', /is not a column of customers/],
  ])('catches %s', async (_what, files, source, line, field, reason) => {
    const report = await run({ 'users.csv': users, 'customers.csv': customers, ...files });
    expect(report.committed).toBe(false);
    expect(report.rejections).toContainEqual(expect.objectContaining({ source, line, field, reason: expect.stringMatching(reason) }));
    expect(await rowsIn('Customer')).toBe(0);
  });

  it('names every row of an external ID repeated among thousands, and only those: IDs are trimmed, then compared byte by byte', async () => {
    // d1 is at lines 2, 1_002 and 2_002, and at 2_004 once trimmed (as the mutations trim it); D1 at 2_003 is another ID.
    const deals = Array.from({ length: 2_000 }, (_, i) => `${i === 1_000 ? 'd1' : `d${i + 1}`},c1,u1,Deal,1.00,LEAD,core,2024-03-01T00:00:00Z,,`);
    deals.push('d1,c1,u1,Again,1.00,LEAD,core,2024-03-01T00:00:00Z,,', 'D1,c1,u1,Upper,1.00,LEAD,core,2024-03-01T00:00:00Z,,', '"d1 ",c1,u1,Spaced,1.00,LEAD,core,2024-03-01T00:00:00Z,,');
    const report = await run({ 'users.csv': users, 'customers.csv': customers, 'deals.csv': csv(dealHeader, deals) });
    expect(report.committed).toBe(false);
    expect(report.rejections.map((r) => `${r.line} ${r.field} ${r.reason}`)).toEqual(
      [2, 1_002, 2_002, 2_004].map((line) => `${line} externalId appears 4 times in this import (first at row 2); each record may appear once.`),
    );
    expect(await rowsIn('Deal')).toBe(0);
  });

  it('names every unknown reference of a row, finding the others among the staged rows and the workspace records', async () => {
    // c1 and u1 are records from the first import; c2 comes in this one; u9, c9 and cmp9 name nothing.
    await run({ 'users.csv': users, 'customers.csv': customers });
    const report = await run({
      'customers.csv': csv('externalId,name,industry,region,channel,owner,createdAt', ['c3,Initech,software,US,search,u1,2024-01-12T09:00:00Z']),
      'deals.csv': csv('externalId,customer,owner,campaign,title,amount,stage,productLine,createdAt', [
        'd1,c1,u1,,Known,1.00,LEAD,core,2024-03-01T00:00:00Z',
        'd2,c3,,,Staged,1.00,LEAD,core,2024-03-01T00:00:00Z',
        'd3,c9,u9,cmp9,Three unknown,1.00,LEAD,core,2024-03-01T00:00:00Z',
        'd4,c3,u9,,Owner unknown,1.00,LEAD,core,2024-03-01T00:00:00Z',
      ]),
    });
    expect(report.committed).toBe(false);
    // Sorted: the problems of one line come in no promised order.
    expect(report.rejections.map((r) => `${r.source}:${r.line} ${r.field}: ${r.reason}`).sort()).toEqual([
      'deals.csv:4 campaign: unknown campaign "cmp9": no valid campaigns row in this import and no record in the workspace has that externalId.',
      'deals.csv:4 customer: unknown customer "c9": no valid customers row in this import and no record in the workspace has that externalId.',
      'deals.csv:4 owner: unknown user "u9": no valid users row in this import and no record in the workspace has that externalId.',
      'deals.csv:5 owner: unknown user "u9": no valid users row in this import and no record in the workspace has that externalId.',
    ]);
    expect(counts(report)['deal']).toMatchObject({ rows: 4, rejected: 2 });
    expect(await rowsIn('Customer')).toBe(2);
  });

  it('--skip-invalid writes the valid rows and reports the rest', async () => {
    const report = await run(
      { 'users.csv': users, 'customers.csv': customers, 'deals.csv': csv(dealHeader, ['d1,c1,u1,Good,100.00,LEAD,core,2024-03-01T00:00:00Z,,', 'd2,ghost,u1,Bad,1.00,LEAD,core,2024-03-01T00:00:00Z,,']) },
      { skipInvalid: true },
    );
    expect(report.committed).toBe(true);
    expect(counts(report)['deal']).toEqual({ rows: 2, inserted: 1, updated: 0, unchanged: 0, rejected: 1 });
    expect(report.rejections.map((r) => `${r.source}:${r.line} ${r.field}`)).toEqual(['deals.csv:3 customer']);
    expect(await rowsIn('Deal')).toBe(1);
  });

  it('a dry run counts what would happen and writes nothing', async () => {
    const report = await run({ 'users.csv': users, 'customers.csv': customers }, { dryRun: true });
    expect(report.committed).toBe(false);
    expect(counts(report)['customer']).toEqual({ rows: 2, inserted: 2, updated: 0, unchanged: 0, rejected: 0 });
    expect(await rowsIn('Customer')).toBe(0);
  });

  it('updates a changed row, leaves the others unchanged, and reads bare timestamps in the workspace zone', async () => {
    await run({ 'users.csv': users, 'customers.csv': customers });
    const changed = customers.replace('Globex,retail,FR,referral,,2024-02-01T09:00:00Z', 'Globex Europe,retail,FR,referral,,2024-02-01 09:00');
    const report = await run({ 'users.csv': users, 'customers.csv': changed });
    expect(report.timeZone).toBe('Europe/Berlin');
    expect(counts(report)['customer']).toEqual({ rows: 2, inserted: 0, updated: 1, unchanged: 1, rejected: 0 });
    const { rows } = await db.query<{ name: string; createdAt: Date }>(`SELECT name, "createdAt" FROM "Customer" WHERE "workspaceId" = $1 AND "externalId" = 'c2'`, [workspaceId]);
    expect(rows[0]!.name).toBe('Globex Europe');
    // 09:00 in Berlin in winter is 08:00 UTC.
    expect(new Date(rows[0]!.createdAt).toISOString()).toBe('2024-02-01T08:00:00.000Z');
  });

  it('keeps money exact and derives the stage events of a deal given without a history', async () => {
    const deals = csv(dealHeader, ['d1,c1,u1,Huge,123456789012.34,WON,core,2024-03-01T00:00:00Z,2024-03-20T12:00:00Z,']);
    const first = await run({ 'users.csv': users, 'customers.csv': customers, 'deals.csv': deals });
    expect(first.derivedStageEvents).toEqual({ inserted: 2, updated: 0, deleted: 0 });
    const { rows } = await db.query<{ amount: string }>(`SELECT amount::text AS amount FROM "Deal" WHERE "workspaceId" = $1`, [workspaceId]);
    expect(rows[0]!.amount).toBe('123456789012.34');
    const events = await db.query<{ e: string }>(
      `SELECT "externalId" || ':' || coalesce("fromStage"::text, '-') || '>' || "toStage" || '@' || to_char(at AT TIME ZONE 'UTC', 'MM-DD HH24:MI') AS e FROM "DealStageEvent" WHERE "workspaceId" = $1 ORDER BY at`,
      [workspaceId],
    );
    expect(events.rows.map((row) => row.e)).toEqual(['d1#lead:->LEAD@03-01 00:00', 'd1#close:LEAD>WON@03-20 12:00']);
    const again = await run({ 'users.csv': users, 'customers.csv': customers, 'deals.csv': deals });
    expect(again.derivedStageEvents).toEqual({ inserted: 0, updated: 0, deleted: 0 });
    expect(counts(again)['deal']).toMatchObject({ unchanged: 1 });
  });

  it('refuses money as a JSON number in NDJSON (it has been through a float)', async () => {
    const lines = [
      JSON.stringify({ type: 'user', externalId: 'u1', name: 'Ada', email: 'ada@example.com' }),
      JSON.stringify({ type: 'customer', externalId: 'c1', name: 'Acme', industry: 'software', region: 'DE', channel: 'search', createdAt: '2024-01-10T09:00:00Z' }),
      JSON.stringify({ type: 'payment', externalId: 'p1', customer: 'c1', amount: 10.1, paidAt: '2024-04-01T00:00:00Z' }),
      'not json',
    ];
    const report = await run({ 'sync.ndjson': `${lines.join('\n')}\n` });
    expect(report.rejections.map((r) => `${r.line} ${r.field}`)).toEqual(['3 amount', '4 line']);
    expect(report.rejections[0]!.reason).toMatch(/never rounded through a float/);
  });
});
