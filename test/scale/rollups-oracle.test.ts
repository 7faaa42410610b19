/**
 * The oracle: on random deals and a random sequence of writes (inserts,
 * updates that move deals across days, owners, teams, stages and
 * campaigns, deletes, bulk inserts, an import through the importer, a user
 * moving team, the workspace changing zone), every deal KPI the rollup
 * serves answers the same from the rollup as from the rows, to the last
 * cent, in every group. The check command agrees after every round.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInPlugins } from '../../plugins/index.js';
import type { Database } from '../../src/db/client.js';
import { checkRollups } from '../../src/db/rollups/index.js';
import type { KpiCellKey } from '../../src/kpi/cell.js';
import { createRegistry } from '../../src/kpi/registry.js';
import { deals, defineKpi, mean, value, z } from '../../src/kpi/sdk.js';
import type { Dimension } from '../../src/kpi/types.js';
import { createTestDatabase } from '../support/database.js';
import { csv, importFiles, tempDir, writeFiles } from '../ingest/helpers.js';
import { compareRollup, oraclePeriods, random } from './oracle-support.js';

const testKpis = [
  defineKpi({
    key: 'core_deals_created', name: 'Core deals created', description: 'test KPI', unit: 'count', direction: 'higher', stages: ['growth'],
    dimensions: ['team', 'owner', 'stage', 'dealType', 'campaign', 'region'], params: z.object({}),
    inputs: { created: deals.count({ time: 'createdAt', where: { stage: { in: ['LEAD', 'WON'] } } }) },
    formula: ({ created }) => value(created),
  }),
  defineKpi({
    key: 'mean_amount_not_lost', name: 'Mean amount of deals not lost', description: 'test KPI', unit: 'money', direction: 'higher', stages: ['growth'],
    dimensions: ['team', 'owner', 'productLine', 'stage'], params: z.object({}),
    inputs: { amount: deals.mean({ of: 'amount', time: 'createdAt', where: { stage: { notIn: ['LOST'] } } }) },
    formula: ({ amount }) => mean(amount, 'deals'),
  }),
];
const registry = createRegistry([...builtInPlugins, ...testKpis.map((definition) => ({ definition, source: 'test' }))]);
const kpiKeys = ['win_rate', 'won_revenue', 'avg_deal_size', 'cross_sell_ratio', 'campaign_revenue', 'open_deals', 'pipeline_value', 'sales_cycle_days', ...testKpis.map((k) => k.key)];
// Team and stage are in the rollup; the others read rows on both paths.
const groupings: (Dimension | null)[] = [null, null, 'team', 'team', 'team', 'stage', 'stage', 'owner', 'productLine'];

const sequence = random(22);
const { next: rand, pick, instant } = sequence;
const stages = ['LEAD', 'QUALIFIED', 'PROPOSAL', 'WON', 'WON', 'LOST'];
const types = ['NEW', 'RENEWAL', 'UPSELL', 'CROSS_SELL'];
const lines = ['core', 'edge', 'cloud'];
const amount = (): string => (Math.floor(rand() * 10_000_000) / 100).toFixed(2);

let db: Database;
let workspaceId: number;
let timeZone = 'America/New_York';
const ids = { users: [] as number[], teams: [] as number[], customers: [] as number[], campaigns: [] as number[], deals: [] as number[] };

function dealRow(): unknown[] {
  const created = instant();
  const closed = rand() < 0.6 ? (rand() < 0.1 ? new Date(created.getTime() - 86_400_000 * 3) : new Date(created.getTime() + Math.floor(rand() * 90 * 86_400_000))) : null;
  return [workspaceId, pick(ids.customers), rand() < 0.1 ? null : pick(ids.users), amount(), pick(stages), pick(types), pick(lines), rand() < 0.3 ? pick(ids.campaigns) : null, created.toISOString(), closed?.toISOString() ?? null];
}

async function insertDeals(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO "Deal" ("workspaceId", "customerId", "ownerId", "amount", "stage", "type", "productLine", "campaignId", "createdAt", "closedAt", "title")
       VALUES ($1, $2, $3, $4, $5::"DealStage", $6::"DealType", $7, $8, $9, $10, 'oracle') RETURNING "id"`,
      dealRow(),
    );
    ids.deals.push(rows[0]!.id);
  }
}

/** Many deals in one statement, as a bulk load writes them. */
async function bulkInsert(count: number): Promise<void> {
  const rows = Array.from({ length: count }, dealRow);
  const column = (i: number) => rows.map((row) => row[i]);
  const { rows: inserted } = await db.query<{ id: number }>(
    `INSERT INTO "Deal" ("workspaceId", "customerId", "ownerId", "amount", "stage", "type", "productLine", "campaignId", "createdAt", "closedAt", "title")
     SELECT $1, c, o, a, s::"DealStage", t::"DealType", l, g, cr, cl, 'bulk'
     FROM unnest($2::int[], $3::int[], $4::numeric[], $5::text[], $6::text[], $7::text[], $8::int[], $9::timestamptz[], $10::timestamptz[]) AS x(c, o, a, s, t, l, g, cr, cl)
     RETURNING "id"`,
    [workspaceId, column(1), column(2), column(3), column(4), column(5), column(6), column(7), column(8), column(9)],
  );
  ids.deals.push(...inserted.map((row) => row.id));
}

async function updateDeals(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const id = pick(ids.deals);
    const change = pick(['backdate', 'close', 'reopen', 'owner', 'stage', 'campaign', 'amount', 'many']);
    const sql: Record<string, [string, unknown]> = {
      backdate: ['"createdAt" = "createdAt" - make_interval(days => $2::int)', Math.floor(rand() * 200)],
      close: ['"closedAt" = $2::timestamptz', instant().toISOString()],
      reopen: ['"closedAt" = NULL, "stage" = $2::"DealStage"', 'PROPOSAL'],
      owner: ['"ownerId" = $2::int', rand() < 0.2 ? null : pick(ids.users)],
      stage: ['"stage" = $2::"DealStage"', pick(stages)],
      campaign: ['"campaignId" = $2::int', rand() < 0.5 ? null : pick(ids.campaigns)],
      amount: ['"amount" = $2::numeric', amount()],
      many: ['"closedAt" = "closedAt" + make_interval(hours => $2::int), "productLine" = \'edge\'', Math.floor(rand() * 48)],
    };
    const [set, param] = sql[change]!;
    const where = change === 'many' ? `"workspaceId" = $1 AND "id" % 7 = ${Math.floor(rand() * 7)}` : `"id" = $1`;
    await db.query(`UPDATE "Deal" SET ${set} WHERE ${where}`, [change === 'many' ? workspaceId : id, param]);
  }
}

async function deleteDeals(count: number): Promise<void> {
  for (let i = 0; i < count && ids.deals.length > 0; i++) {
    const [id] = ids.deals.splice(Math.floor(rand() * ids.deals.length), 1);
    await db.query('DELETE FROM "Deal" WHERE "id" = $1', [id]);
  }
}

async function importThroughImporter(round: number): Promise<void> {
  const folder = await tempDir();
  try {
    const rows = Array.from({ length: 40 }, (_, i) => {
      const created = instant();
      const closed = rand() < 0.5 ? new Date(created.getTime() + 86_400_000 * Math.floor(rand() * 30)).toISOString() : '';
      return `imp${round}_${i},cx,ux,Imported ${i},${amount()},${closed ? pick(['WON', 'LOST']) : 'LEAD'},${pick(lines)},${created.toISOString()},${closed},`;
    });
    const files = await writeFiles(folder.dir, {
      'users.csv': csv('externalId,name,email', ['ux,Imp Rep,imp@example.com']),
      'customers.csv': csv('externalId,name,industry,region,channel,owner,createdAt', ['cx,Impco,software,DE,search,ux,2025-01-10T09:00:00Z']),
      'deals.csv': csv('externalId,customer,owner,title,amount,stage,productLine,createdAt,closedAt,lostReason', rows),
    });
    await importFiles(db, files, { workspaceId });
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
      const filter = rand() < 0.3 && dimensions.includes('team') ? { team: [String(pick(ids.teams))] } : rand() < 0.2 && dimensions.includes('owner') ? { owner: [String(pick(ids.users))] } : {};
      list.push({ kpiKey, period, groupBy, filter });
    }
  }
  return list;
}

beforeAll(async () => {
  db = await createTestDatabase();
  workspaceId = (await db.query<{ id: number }>(`INSERT INTO "Workspace" ("name", "timeZone") VALUES ('oracle', $1) RETURNING "id"`, [timeZone])).rows[0]!.id;
  for (const name of ['North', 'South', 'West']) ids.teams.push((await db.query<{ id: number }>('INSERT INTO "Team" ("workspaceId", "name") VALUES ($1, $2) RETURNING "id"', [workspaceId, name])).rows[0]!.id);
  for (let i = 0; i < 6; i++) {
    const team = i === 5 ? null : ids.teams[i % 3];
    ids.users.push((await db.query<{ id: number }>('INSERT INTO "User" ("workspaceId", "name", "email", "teamId") VALUES ($1, $2, $3, $4) RETURNING "id"', [workspaceId, `Rep ${i}`, `rep${i}@example.com`, team])).rows[0]!.id);
  }
  for (let i = 0; i < 8; i++) {
    ids.customers.push((await db.query<{ id: number }>(`INSERT INTO "Customer" ("workspaceId", "name", "industry", "region", "channel", "ownerId") VALUES ($1, $2, 'software', $3, 'search', $4) RETURNING "id"`, [workspaceId, `Customer ${i}`, pick(['DE', 'FR']), pick(ids.users)])).rows[0]!.id);
  }
  for (let i = 0; i < 3; i++) {
    ids.campaigns.push((await db.query<{ id: number }>(`INSERT INTO "Campaign" ("workspaceId", "name", "channel", "startsAt") VALUES ($1, $2, 'search', '2025-01-01') RETURNING "id"`, [workspaceId, `Campaign ${i}`])).rows[0]!.id);
  }
}, 60_000);
afterAll(async () => db?.close());

describe('rollup oracle', () => {
  it('answers every served cell from the rollup exactly as from the rows, after every round of random writes', async () => {
    let compared = 0;
    let fromRollup = 0;
    const rounds: (() => Promise<void>)[] = [
      () => bulkInsert(300),
      () => insertDeals(15),
      () => updateDeals(25),
      () => deleteDeals(10),
      () => importThroughImporter(1),
      async () => {
        // A rep moving team takes their deals along on both paths.
        await db.query('UPDATE "User" SET "teamId" = $1 WHERE "id" = $2', [ids.teams[2], ids.users[0]]);
        await updateDeals(10);
      },
      async () => {
        // A rep leaving (their deals keep no owner) and a team dissolved (its reps keep no team).
        await db.query('DELETE FROM "User" WHERE "id" = $1', [ids.users.splice(1, 1)[0]]);
        await db.query('DELETE FROM "Team" WHERE "id" = $1', [ids.teams.splice(1, 1)[0]]);
        await insertDeals(5);
      },
      async () => {
        timeZone = 'Asia/Kolkata';
        await db.query('UPDATE "Workspace" SET "timeZone" = $1 WHERE "id" = $2', [timeZone, workspaceId]);
        await bulkInsert(100);
      },
      async () => {
        await updateDeals(20);
        await deleteDeals(20);
        await insertDeals(10);
      },
    ];
    for (const round of rounds) {
      await round();
      const keys = cells();
      const outcome = await compareRollup({ db, workspaceId, timeZone, registry }, keys);
      expect(outcome.differences).toEqual([]);
      expect(outcome.rawOnly).toBe(true);
      compared += keys.length;
      fromRollup += outcome.fromRollup['deals'] ?? 0;
      for (const check of await checkRollups(db, workspaceId)) expect(check).toMatchObject({ workspaceId, differences: 0 });
    }
    // The rollup really answered: most deal groups of every round read it.
    expect(fromRollup).toBeGreaterThan(rounds.length * 10);
    console.info(`rollup oracle: ${compared} cells compared over ${rounds.length} rounds, ${fromRollup} measure groups read from the rollup, 0 differences`);
  }, 120_000);
});
