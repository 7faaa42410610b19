/**
 * The customer rollup's oracle: on random customers and a random sequence
 * of writes (single and bulk inserts, back-dating, qualifying, converting,
 * churning before or after converting, un-churning, owner and campaign
 * moves, edits the rollup ignores, deletes, imports that insert and then
 * update through the importer, a rep moving team or leaving, a team
 * dissolved, the workspace changing zone), every customer KPI answers the
 * same from the rollup as from the rows, in every group. The check command
 * agrees after every round.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInPlugins } from '../../plugins/index.js';
import type { Database } from '../../src/db/client.js';
import { checkRollups } from '../../src/db/rollups/index.js';
import type { KpiCellKey } from '../../src/kpi/cell.js';
import { createRegistry } from '../../src/kpi/registry.js';
import { customers, defineKpi, value, z } from '../../src/kpi/sdk.js';
import type { Dimension } from '../../src/kpi/types.js';
import { createTestDatabase } from '../support/database.js';
import { counts, csv, importFiles, tempDir, writeFiles } from '../ingest/helpers.js';
import { compareRollup, oraclePeriods, random } from './oracle-support.js';

const testKpi = { name: 'test', description: 'test KPI', unit: 'count', direction: 'higher', stages: ['growth'], dimensions: ['team', 'owner', 'channel', 'campaign'], params: z.object({}) } as const;
const testKpis = [
  // Served: a snapshot counting only the customers a campaign brought.
  defineKpi({
    ...testKpi, key: 'active_from_campaigns',
    inputs: { n: customers.snapshotCount({ at: 'end', from: 'convertedAt', until: 'churnedAt', where: { campaign: 'set' } }) }, formula: ({ n }) => value(n),
  }),
  // Read from the rows on the rollup path: "not set", and two set conditions at once.
  defineKpi({ ...testKpi, key: 'leads_not_converted', inputs: { n: customers.count({ time: 'createdAt', where: { convertedAt: { set: false } } }) }, formula: ({ n }) => value(n) }),
  defineKpi({
    ...testKpi, key: 'campaign_conversions',
    inputs: { n: customers.count({ time: 'qualifiedAt', where: { convertedAt: { set: true }, campaign: 'set' } }) }, formula: ({ n }) => value(n),
  }),
];
const registry = createRegistry([...builtInPlugins, ...testKpis.map((definition) => ({ definition, source: 'test' }))]);
const kpiKeys = [
  'new_leads', 'valid_leads', 'new_customers', 'lead_conversion_rate', 'active_customers', 'churn_rate', 'campaign_new_customers',
  'referrals', 'retention_rate', ...testKpis.map((k) => k.key),
];
// Team is in the rollup; the others read rows on both paths.
const groupings: (Dimension | null)[] = [null, null, 'team', 'team', 'team', 'owner', 'channel', 'campaign'];

const sequence = random(23);
const { next: rand, pick, instant } = sequence;
const channels = ['search', 'referral', 'partner'];
const day = 86_400_000;

let db: Database;
let workspaceId: number;
let timeZone = 'America/New_York';
const ids = { users: [] as number[], teams: [] as number[], campaigns: [] as number[], customers: [] as number[] };

/** A customer's times: created, then often qualified and converted, sometimes churned (now and then before converting). */
function times(): [string, string | null, string | null, string | null] {
  const created = instant();
  const later = (p: number): Date | null => (rand() < p ? new Date(created.getTime() + Math.floor(rand() * 120 * day)) : null);
  const converted = later(0.6);
  const churned = rand() < 0.4 ? (rand() < 0.2 || !converted ? new Date(created.getTime() + Math.floor(rand() * 10 * day)) : new Date(converted.getTime() + Math.floor(rand() * 90 * day))) : null;
  return [created.toISOString(), later(0.7)?.toISOString() ?? null, converted?.toISOString() ?? null, churned?.toISOString() ?? null];
}

const customerRow = (): unknown[] => [rand() < 0.1 ? null : pick(ids.users), rand() < 0.3 ? pick(ids.campaigns) : null, pick(channels), ...times()];

/** Customers one statement each, or many in one statement as a bulk load writes them. */
async function insertCustomers(count: number, bulk: boolean): Promise<void> {
  const rows = Array.from({ length: count }, customerRow);
  const column = (i: number) => rows.map((row) => row[i]);
  const statements = bulk ? [rows.map((_, i) => i)] : rows.map((_, i) => [i]);
  for (const indexes of statements) {
    const pickOf = (i: number) => indexes.map((index) => column(i)[index]);
    const { rows: inserted } = await db.query<{ id: number }>(
      `INSERT INTO "Customer" ("workspaceId", "name", "industry", "region", "ownerId", "campaignId", "channel", "createdAt", "qualifiedAt", "convertedAt", "churnedAt")
       SELECT $1, 'oracle', 'software', 'DE', o, g, ch, cr, q, cv, cu
       FROM unnest($2::int[], $3::int[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[]) AS x(o, g, ch, cr, q, cv, cu)
       RETURNING "id"`,
      [workspaceId, pickOf(0), pickOf(1), pickOf(2), pickOf(3), pickOf(4), pickOf(5), pickOf(6)],
    );
    ids.customers.push(...inserted.map((row) => row.id));
  }
}

async function updateCustomers(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const change = pick(['backdate', 'qualify', 'convert', 'churn', 'churnFirst', 'unchurn', 'owner', 'campaign', 'ignored', 'many']);
    const sql: Record<string, [string, unknown]> = {
      backdate: ['"createdAt" = "createdAt" - make_interval(days => $2::int)', Math.floor(rand() * 200)],
      qualify: ['"qualifiedAt" = $2::timestamptz', rand() < 0.2 ? null : instant().toISOString()],
      convert: ['"convertedAt" = $2::timestamptz, "status" = \'CUSTOMER\'', rand() < 0.15 ? null : instant().toISOString()],
      churn: ['"churnedAt" = coalesce("convertedAt", "createdAt") + make_interval(days => $2::int)', Math.floor(rand() * 60)],
      churnFirst: ['"churnedAt" = coalesce("convertedAt", "createdAt") - make_interval(hours => $2::int)', 1 + Math.floor(rand() * 100)],
      unchurn: ['"churnedAt" = NULL, "status" = $2::"CustomerStatus"', 'CUSTOMER'],
      owner: ['"ownerId" = $2::int', rand() < 0.2 ? null : pick(ids.users)],
      campaign: ['"campaignId" = $2::int', rand() < 0.5 ? null : pick(ids.campaigns)],
      ignored: ['"name" = $2, "status" = \'PROSPECT\', "region" = \'FR\'', `renamed ${i}`],
      many: ['"convertedAt" = "convertedAt" + make_interval(hours => $2::int), "channel" = \'partner\'', Math.floor(rand() * 48)],
    };
    const [set, param] = sql[change]!;
    const where = change === 'many' ? `"workspaceId" = $1 AND "id" % 5 = ${Math.floor(rand() * 5)}` : `"id" = $1`;
    await db.query(`UPDATE "Customer" SET ${set} WHERE ${where}`, [change === 'many' ? workspaceId : pick(ids.customers), param]);
  }
}

async function deleteCustomers(count: number): Promise<void> {
  for (let i = 0; i < count && ids.customers.length > 0; i++) {
    const [id] = ids.customers.splice(Math.floor(rand() * ids.customers.length), 1);
    await db.query('DELETE FROM "Customer" WHERE "id" = $1', [id]);
  }
}

/** Customers through the importer (session_replication_role = replica): new ones, then the same again with new times and owners. */
async function importCustomers(batch: string): Promise<void> {
  const folder = await tempDir();
  try {
    const rows = Array.from({ length: 40 }, (_, i) => {
      // The importer takes only times in order: converted after created, churned after converted.
      const created = instant();
      const after = (from: Date | null, p: number): Date | null => (from && rand() < p ? new Date(from.getTime() + Math.floor(rand() * 90 * day)) : null);
      const converted = after(created, 0.6);
      const [qualified, churned] = [after(created, 0.7), after(converted, 0.4)].map((time) => time?.toISOString() ?? '');
      return [`imp${batch}_${i}`, `Imported ${i}`, 'software', 'DE', pick(channels), pick(['u0', 'u2', 'u3', '']), rand() < 0.3 ? 'c0' : '', created.toISOString(), qualified, converted?.toISOString() ?? '', churned].join(',');
    });
    const files = await writeFiles(folder.dir, { 'customers.csv': csv('externalId,name,industry,region,channel,owner,campaign,createdAt,qualifiedAt,convertedAt,churnedAt', rows) });
    const report = await importFiles(db, files, { workspaceId });
    // Every row written: inserted the first time, updated (new times and owners) the next.
    const { inserted, updated, rejected } = counts(report)['customer']!;
    expect({ written: inserted + updated, rejected }).toEqual({ written: 40, rejected: 0 });
  } finally {
    await folder.remove();
  }
}

function cells(): KpiCellKey[] {
  const list: KpiCellKey[] = [];
  for (const period of oraclePeriods(sequence, timeZone)) {
    for (const kpiKey of kpiKeys) {
      const dimensions = registry.get(kpiKey)!.dimensions;
      const groupBy = pick(groupings.filter((g) => g === null || dimensions.includes(g)));
      const filter = rand() < 0.3 && dimensions.includes('team') ? { team: [String(pick(ids.teams))] } : rand() < 0.1 ? { channel: ['referral'] } : {};
      list.push({ kpiKey, period, groupBy, filter });
    }
  }
  return list;
}

beforeAll(async () => {
  db = await createTestDatabase();
  workspaceId = (await db.query<{ id: number }>(`INSERT INTO "Workspace" ("name", "timeZone") VALUES ('customer oracle', $1) RETURNING "id"`, [timeZone])).rows[0]!.id;
  for (const name of ['North', 'South', 'West']) ids.teams.push((await db.query<{ id: number }>('INSERT INTO "Team" ("workspaceId", "name") VALUES ($1, $2) RETURNING "id"', [workspaceId, name])).rows[0]!.id);
  for (let i = 0; i < 6; i++) {
    const team = i === 5 ? null : ids.teams[i % 3];
    const sql = 'INSERT INTO "User" ("workspaceId", "externalId", "name", "email", "teamId") VALUES ($1, $2, $3, $4, $5) RETURNING "id"';
    ids.users.push((await db.query<{ id: number }>(sql, [workspaceId, `u${i}`, `Rep ${i}`, `rep${i}@example.com`, team])).rows[0]!.id);
  }
  for (let i = 0; i < 3; i++) {
    const sql = `INSERT INTO "Campaign" ("workspaceId", "externalId", "name", "channel", "startsAt") VALUES ($1, $2, $3, 'search', '2025-01-01') RETURNING "id"`;
    ids.campaigns.push((await db.query<{ id: number }>(sql, [workspaceId, `c${i}`, `Campaign ${i}`])).rows[0]!.id);
  }
}, 60_000);
afterAll(async () => db?.close());

describe('customer rollup oracle', () => {
  it('answers every customer cell from the rollup exactly as from the rows, after every round of random writes', async () => {
    let compared = 0;
    let fromRollup = 0;
    const rounds: (() => Promise<void>)[] = [
      () => insertCustomers(400, true),
      () => insertCustomers(15, false),
      () => updateCustomers(40),
      () => deleteCustomers(15),
      () => importCustomers('a'),
      async () => {
        // The same external IDs again: the import updates them.
        await importCustomers('a');
        await importCustomers('b');
      },
      async () => {
        // A rep moving team takes their customers along on both paths.
        await db.query('UPDATE "User" SET "teamId" = $1 WHERE "id" = $2', [ids.teams[2], ids.users[0]]);
        await updateCustomers(10);
      },
      async () => {
        // A rep leaving (their customers keep no owner) and a team dissolved (its reps keep no team).
        await db.query('DELETE FROM "User" WHERE "id" = $1', [ids.users.splice(1, 1)[0]]);
        await db.query('DELETE FROM "Team" WHERE "id" = $1', [ids.teams.splice(1, 1)[0]]);
        await insertCustomers(5, false);
      },
      async () => {
        timeZone = 'Asia/Kolkata';
        await db.query('UPDATE "Workspace" SET "timeZone" = $1 WHERE "id" = $2', [timeZone, workspaceId]);
        await insertCustomers(100, true);
      },
      async () => {
        await updateCustomers(30);
        await deleteCustomers(30);
        await insertCustomers(10, false);
      },
    ];
    for (const round of rounds) {
      await round();
      const keys = cells();
      const outcome = await compareRollup({ db, workspaceId, timeZone, registry }, keys);
      expect(outcome.differences).toEqual([]);
      expect(outcome.rawOnly).toBe(true);
      compared += keys.length;
      fromRollup += outcome.fromRollup['customers'] ?? 0;
      for (const check of await checkRollups(db, workspaceId)) expect(check).toMatchObject({ workspaceId, differences: 0 });
    }
    // The rollup really answered: many customer groups of every round read it.
    expect(fromRollup).toBeGreaterThan(rounds.length * 10);
    console.info(`customer rollup oracle: ${compared} cells compared over ${rounds.length} rounds, ${fromRollup} measure groups read from the rollup, 0 differences`);
  }, 180_000);
});
