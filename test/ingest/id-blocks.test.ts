import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { reserveIds } from '../../src/ingest/id-blocks.js';
import { Rollback, inTransaction } from '../../src/ingest/session.js';
import { ImportConflictError } from '../../src/ingest/upsert.js';
import { createTestDatabase } from '../support/database.js';
import { counts, createWorkspace, csv, importFiles, tempDir, writeFiles } from './helpers.js';

const users = csv('externalId,name,email', ['u1,Ada Rep,ada@example.com']);
const customers = csv('externalId,name,industry,region,channel,owner,createdAt', ['c1,Acme,software,DE,search,u1,2024-01-10T09:00:00Z']);
const dealHeader = 'externalId,customer,owner,title,amount,stage,productLine,createdAt,closedAt,lostReason';
/** d1 WON, d2 LOST, d3 LEAD, d4 WON, …: closed deals get two derived events, open ones one. */
const deal = (i: number): string => {
  const stage = ['LEAD', 'WON', 'LOST'][i % 3]!;
  const closed = stage === 'LEAD' ? '' : '2024-03-20T12:00:00Z';
  return `d${i},c1,u1,Deal ${i},${i}.50,${stage},core,2024-03-01T00:00:00Z,${closed},${stage === 'LOST' ? 'price' : ''}`;
};

describe('id blocks of bulk loads', () => {
  let db: Database;
  let folder: Awaited<ReturnType<typeof tempDir>>;
  const ids = async (table: string, workspaceId: number) =>
    Object.fromEntries(
      (await db.query<{ externalId: string; id: number }>(`SELECT "externalId", id FROM "${table}" WHERE "workspaceId" = $1`, [workspaceId])).rows.map((row) => [row.externalId, row.id]),
    );
  const nextId = async (table: string) => (await db.query<{ id: string }>(`SELECT nextval(pg_get_serial_sequence($1, 'id'))::text AS id`, [`"${table}"`])).rows[0]!.id;

  beforeAll(async () => {
    db = await createTestDatabase();
    folder = await tempDir();
  });
  afterAll(async () => {
    await folder?.remove();
    await db?.close();
  });

  it('gives new deals one block of ids in file order and their derived events two ids a deal, and the sequences go on after the blocks', async () => {
    const workspaceId = await createWorkspace(db);
    await importFiles(db, await writeFiles(folder.dir, { 'users.csv': users, 'customers.csv': customers }), { workspaceId, bulkIndexes: 'never' });
    const rows = [1, 2, 3, 4, 5, 6].map(deal);
    const report = await importFiles(db, await writeFiles(folder.dir, { 'deals.csv': csv(dealHeader, rows) }), { workspaceId, bulkIndexes: 'always' });
    expect(counts(report)['deal']).toMatchObject({ inserted: 6 });
    expect(report.derivedStageEvents.inserted).toBe(10);
    const deals = await ids('Deal', workspaceId);
    const first = deals['d1']!;
    expect(deals).toEqual({ d1: first, d2: first + 1, d3: first + 2, d4: first + 3, d5: first + 4, d6: first + 5 });
    const events = await ids('DealStageEvent', workspaceId);
    const lead = events['d1#lead']!;
    // One chunk: the creations in the deals' order, then the closes, six ids further; open deals leave their close's id unused.
    expect(events).toEqual({
      'd1#lead': lead,
      'd2#lead': lead + 1,
      'd3#lead': lead + 2,
      'd4#lead': lead + 3,
      'd5#lead': lead + 4,
      'd6#lead': lead + 5,
      'd1#close': lead + 6,
      'd2#close': lead + 7,
      'd4#close': lead + 9,
      'd5#close': lead + 10,
    });
    // Each event belongs to its own deal, whatever its id.
    const { rows: owners } = await db.query<{ ok: boolean }>(
      `SELECT bool_and(h."externalId" LIKE d."externalId" || '#%') AS ok FROM "DealStageEvent" h JOIN "Deal" d ON d.id = h."dealId" WHERE h."workspaceId" = $1`,
      [workspaceId],
    );
    expect(owners[0]!.ok).toBe(true);
    expect(await nextId('Deal')).toBe(String(first + 6));
    expect(await nextId('DealStageEvent')).toBe(String(lead + 12));
  });

  it('gives each write chunk its own share of the events\' block, so that ids rise in the order events are written', async () => {
    const workspaceId = await createWorkspace(db);
    await importFiles(db, await writeFiles(folder.dir, { 'users.csv': users, 'customers.csv': customers }), { workspaceId, bulkIndexes: 'never' });
    // The deals are lines (seqs) 1–6 of this import; chunks of two seqs: d1–d2, d3–d4, d5–d6.
    await importFiles(db, await writeFiles(folder.dir, { 'deals.csv': csv(dealHeader, [1, 2, 3, 4, 5, 6].map(deal)) }), { workspaceId, bulkIndexes: 'always', writeChunkSeqs: 2 });
    const events = await ids('DealStageEvent', workspaceId);
    const lead = events['d1#lead']!;
    // Four ids a chunk: its two creations, then its closes (d3 and d6 are open).
    expect(events).toEqual({
      'd1#lead': lead,
      'd2#lead': lead + 1,
      'd1#close': lead + 2,
      'd2#close': lead + 3,
      'd3#lead': lead + 4,
      'd4#lead': lead + 5,
      'd4#close': lead + 7,
      'd5#lead': lead + 8,
      'd6#lead': lead + 9,
      'd5#close': lead + 10,
    });
    expect(await nextId('DealStageEvent')).toBe(String(lead + 12));
  });

  it('takes ids from the sequence when the rows are too sparse for a block, and follows seqs (gaps and all) when they are dense enough', async () => {
    const workspaceId = await createWorkspace(db);
    await importFiles(db, await writeFiles(folder.dir, { 'users.csv': users }), { workspaceId, bulkIndexes: 'never' });
    // Each deal comes after two customers of its own: three lines a deal, more than twice as many as deals.
    const lines: string[] = [];
    for (let i = 1; i <= 4; i++) {
      for (const c of [`c${i}a`, `c${i}b`]) lines.push(JSON.stringify({ type: 'customer', externalId: c, name: `Customer ${c}`, industry: 'software', region: 'DE', channel: 'search', owner: 'u1', createdAt: '2024-01-10T09:00:00Z' }));
      lines.push(JSON.stringify({ type: 'deal', externalId: `d${i}`, customer: `c${i}a`, owner: 'u1', title: `Deal ${i}`, amount: '10.00', stage: 'LEAD', productLine: 'core', createdAt: '2024-03-01T00:00:00Z' }));
    }
    const report = await importFiles(db, await writeFiles(folder.dir, { 'crm.ndjson': `${lines.join('\n')}\n` }), { workspaceId, bulkIndexes: 'always' });
    expect(counts(report)).toMatchObject({ customer: { inserted: 8 }, deal: { inserted: 4 } });
    const deals = await ids('Deal', workspaceId);
    const first = deals['d1']!;
    expect(deals).toEqual({ d1: first, d2: first + 1, d3: first + 2, d4: first + 3 });
    // Customers: two lines of every three, so a block, whose ids keep the deals' lines as gaps.
    const customerIds = await ids('Customer', workspaceId);
    const c1a = customerIds['c1a']!;
    expect(customerIds).toEqual({ c1a, c1b: c1a + 1, c2a: c1a + 3, c2b: c1a + 4, c3a: c1a + 6, c3b: c1a + 7, c4a: c1a + 9, c4b: c1a + 10 });
  });

  it('leaves gaps in the block for the rows it does not insert: those already recorded and those rejected (--skip-invalid)', async () => {
    const workspaceId = await createWorkspace(db);
    await importFiles(db, await writeFiles(folder.dir, { 'users.csv': users, 'customers.csv': customers }), { workspaceId, bulkIndexes: 'never' });
    await importFiles(db, await writeFiles(folder.dir, { 'deals.csv': csv(dealHeader, [deal(1)]) }), { workspaceId, bulkIndexes: 'never' });
    const recorded = (await ids('Deal', workspaceId))['d1']!;
    // Lines (seqs) 1–6: d1 is recorded, d3 names an unknown customer, d2, d4, d5 and d6 are new and valid.
    const rows = [deal(1), deal(2), deal(3).replace(',c1,', ',nobody,'), deal(4), deal(5), deal(6)];
    const report = await importFiles(db, await writeFiles(folder.dir, { 'deals.csv': csv(dealHeader, rows) }), { workspaceId, bulkIndexes: 'always', skipInvalid: true });
    expect(counts(report)['deal']).toMatchObject({ rows: 6, inserted: 4, unchanged: 1, rejected: 1 });
    const deals = await ids('Deal', workspaceId);
    const first = deals['d2']! - 1;
    expect(deals).toEqual({ d1: recorded, d2: first + 1, d4: first + 3, d5: first + 4, d6: first + 5 });
    const events = await ids('DealStageEvent', workspaceId);
    const lead = events['d2#lead']! - 1;
    // Six seqs: creations from lead (d2 at lead + 1), closes six further (d2 LOST, d4 WON, d5 LOST; d6 is open).
    expect(Object.fromEntries(Object.entries(events).filter(([name]) => !name.startsWith('d1#')))).toEqual({
      'd2#lead': lead + 1,
      'd4#lead': lead + 3,
      'd5#lead': lead + 4,
      'd6#lead': lead + 5,
      'd2#close': lead + 7,
      'd4#close': lead + 9,
      'd5#close': lead + 10,
    });
    expect(await nextId('Deal')).toBe(String(first + 6));
  });

  it('takes ids from the sequence when it does not bulk load', async () => {
    const workspaceId = await createWorkspace(db);
    await importFiles(db, await writeFiles(folder.dir, { 'users.csv': users, 'customers.csv': customers }), { workspaceId, bulkIndexes: 'never' });
    const start = Number(await nextId('Deal'));
    await importFiles(db, await writeFiles(folder.dir, { 'deals.csv': csv(dealHeader, [1, 2, 3].map(deal)) }), { workspaceId, bulkIndexes: 'never' });
    expect(await ids('Deal', workspaceId)).toEqual({ d1: start + 1, d2: start + 2, d3: start + 3 });
  });

  it('fails on the primary key, writing nothing, when a row was written with an id of the block', async () => {
    const workspaceId = await createWorkspace(db);
    await importFiles(db, await writeFiles(folder.dir, { 'users.csv': users, 'customers.csv': customers }), { workspaceId, bulkIndexes: 'never' });
    // A deal written with an id the sequence has not handed out yet: the next block will cover it.
    const taken = Number(await nextId('Deal')) + 2;
    await db.query(
      `INSERT INTO "Deal" (id, "workspaceId", "externalId", "customerId", title, amount, stage, "productLine", "createdAt")
       SELECT $2, $1, 'manual', id, 'Manual', 1, 'LEAD', 'core', now() FROM "Customer" WHERE "workspaceId" = $1`,
      [workspaceId, taken],
    );
    const refused = importFiles(db, await writeFiles(folder.dir, { 'deals.csv': csv(dealHeader, [1, 2, 3, 4].map(deal)) }), { workspaceId, bulkIndexes: 'always' });
    await expect(refused).rejects.toThrow(ImportConflictError);
    await expect(refused).rejects.toThrow(/id the import gave a new record is taken already.*Move the sequence past/s);
    expect(Object.keys(await ids('Deal', workspaceId))).toEqual(['manual']);
    expect(Object.keys(await ids('DealStageEvent', workspaceId))).toEqual([]);
  });

  it('reserves a block only when the whole of it fits the sequence', async () => {
    const results = await inTransaction(db, { statementTimeoutMs: 0 }, async (session) => {
      await session.query('CREATE TABLE "IdProbe" (id serial PRIMARY KEY)');
      await session.query('CREATE TABLE "NoSequence" (id int PRIMARY KEY)');
      const fromStart = await reserveIds(session, 'IdProbe', 5);
      const next = await reserveIds(session, 'IdProbe', 1);
      // Ids are int columns: a block may end at 2^31 - 1, not after it.
      await session.query(`SELECT setval(pg_get_serial_sequence('"IdProbe"', 'id'), 2147483637)`);
      const tooBig = await reserveIds(session, 'IdProbe', 11);
      const fits = await reserveIds(session, 'IdProbe', 9);
      await session.query('CREATE TABLE "SteppedProbe" (id serial PRIMARY KEY)');
      await session.query(`ALTER SEQUENCE "SteppedProbe_id_seq" INCREMENT BY 2`);
      const stepped = await reserveIds(session, 'SteppedProbe', 3);
      const [untouched] = await session.query<{ called: boolean }>('SELECT is_called AS called FROM "SteppedProbe_id_seq"');
      const none = await reserveIds(session, 'NoSequence', 3);
      const empty = await reserveIds(session, 'IdProbe', 0);
      throw new Rollback({ fromStart, next, tooBig, fits, stepped, steppedUsed: untouched?.called, none, empty });
    });
    // 2147483637 was handed out by setval; the failed reservation took 2147483638 with its nextval.
    expect(results).toEqual({ fromStart: 1, next: 6, tooBig: null, fits: 2147483639, stepped: null, steppedUsed: false, none: null, empty: null });
  });
});
