/**
 * npm run bench:rollups -- [--source deals|customers] [--size tiny|S|M] [--db pglite|postgres] [--seed N] [--runs N] [--import-rows N]
 *
 * What keeping a source's daily rollup exact costs the writes, on a bench
 * dataset (bench/dataset.ts; PostgreSQL with DATABASE_URL): the median time
 * of one update (deals: amount, stage and closing day; customers: creation
 * and conversion day and campaign: several rollup keys on each side) and
 * of one insert, and the time of a bulk insert of `--import-rows` rows in
 * one statement (as an import writes them from its staging table), each
 * with the rollup triggers enabled and disabled, in turns, every write
 * rolled back. Then the dashboard's KPIs of that source (12 months by team,
 * no cache: one statement) through the engine with rollups on and off, in
 * turns. Prints a JSON summary.
 *
 * The single writes run in turns of `block` runs a mode. Disabling the
 * triggers is DDL on the table: rolled back, it still makes the session plan
 * the triggers' statements again at their next write, which a server's
 * sessions do only after a migration. So a turn's first write with the
 * triggers (`coldOn`) pays that planning and the others (the medians) do not.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { Database } from '../src/db/client.js';
import type { BenchDbKind, BenchSize } from './dataset.js';
import { openDataset } from './dataset.js';
import { benchTimeZone } from './clock.js';
import { benchPeriods } from './periods.js';
import { createKpiLoader } from '../src/kpi/engine.js';
import { createKpiRegistry } from '../src/kpi/kpi-plugins.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'S' },
    db: { type: 'string', default: process.env['DATABASE_URL'] ? 'postgres' : 'pglite' },
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '200' },
    'import-rows': { type: 'string', default: '100000' },
    source: { type: 'string', default: 'deals' },
  },
  strict: true,
});
const runs = Number(values.runs);
const importRows = Number(values['import-rows']);
if (values.source !== 'deals' && values.source !== 'customers') throw new Error(`--source must be deals or customers; got ${values.source}`);

/** A source's table, triggers, writes and dashboard KPIs. */
interface SourceCosts {
  table: string;
  rollup: string;
  /** Rows to update: $1 the workspace. */
  updatedIds: string;
  update: string;
  /** An update of a column the rollup does not keep. */
  retitle: string;
  insert: string;
  bulkInsert: string;
  kpis: string[];
}

const sources: Record<'deals' | 'customers', SourceCosts> = {
  deals: {
    table: 'Deal',
    rollup: 'DealDailyRollup',
    updatedIds: 'SELECT "id" FROM "Deal" WHERE "workspaceId" = $1 AND "closedAt" IS NOT NULL ORDER BY "id" LIMIT 500',
    update: `UPDATE "Deal" SET "amount" = "amount" + 1, "stage" = 'LOST', "closedAt" = "closedAt" + interval '2 days' WHERE "id" = $1`,
    retitle: `UPDATE "Deal" SET "title" = "title" || '*' WHERE "id" = $1`,
    insert: `INSERT INTO "Deal" ("workspaceId", "customerId", "title", "amount", "productLine", "stage", "createdAt", "closedAt")
      VALUES ($1, (SELECT "id" FROM "Customer" WHERE "workspaceId" = $1 LIMIT 1), 'bench', 10, 'core', 'WON', now() - interval '30 days', now())`,
    bulkInsert: `INSERT INTO "Deal" ("workspaceId", "customerId", "ownerId", "title", "amount", "productLine", "stage", "type", "createdAt", "closedAt")
      SELECT "workspaceId", "customerId", "ownerId", 'bulk', "amount", "productLine", "stage", "type", "createdAt" - interval '1 year', "closedAt" - interval '1 year'
      FROM "Deal" WHERE "workspaceId" = $1 ORDER BY "id" LIMIT $2`,
    kpis: ['won_revenue', 'win_rate', 'avg_deal_size', 'sales_cycle_days', 'open_deals', 'pipeline_value'],
  },
  customers: {
    table: 'Customer',
    rollup: 'CustomerDailyRollup',
    updatedIds: 'SELECT "id" FROM "Customer" WHERE "workspaceId" = $1 AND "convertedAt" IS NOT NULL ORDER BY "id" LIMIT 500',
    update: `UPDATE "Customer" SET "createdAt" = "createdAt" - interval '1 day', "convertedAt" = "convertedAt" + interval '2 days', "campaignId" = NULL WHERE "id" = $1`,
    retitle: `UPDATE "Customer" SET "name" = "name" || '*' WHERE "id" = $1`,
    insert: `INSERT INTO "Customer" ("workspaceId", "name", "industry", "region", "channel", "createdAt", "convertedAt")
      VALUES ($1, 'bench', 'software', 'DE', 'search', now() - interval '30 days', now())`,
    bulkInsert: `INSERT INTO "Customer" ("workspaceId", "name", "industry", "region", "channel", "ownerId", "campaignId", "createdAt", "qualifiedAt", "convertedAt", "churnedAt")
      SELECT "workspaceId", 'bulk', "industry", "region", "channel", "ownerId", "campaignId", "createdAt" - interval '1 year', "qualifiedAt" - interval '1 year',
        "convertedAt" - interval '1 year', "churnedAt" - interval '1 year'
      FROM "Customer" WHERE "workspaceId" = $1 ORDER BY "id" LIMIT $2`,
    kpis: ['new_leads', 'valid_leads', 'new_customers', 'lead_conversion_rate', 'active_customers', 'churn_rate'],
  },
};
const source = sources[values.source];
const triggers = ['inserted', 'updated', 'deleted'].map((write) => `rollup_${write}_${values.source}`);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

/** Runs `write` in a transaction that is rolled back, the rollup triggers on or off in it; returns its milliseconds. */
async function timed(db: Database, rollups: boolean, write: (query: (sql: string, params?: unknown[]) => Promise<unknown>) => Promise<unknown>): Promise<number> {
  // PGlite has one session, so its statements between BEGIN and ROLLBACK are the transaction's.
  const client = db.acquireClient ? await db.acquireClient() : null;
  const query = (sql: string, params: unknown[] = []): Promise<unknown> => (client ? client.query(sql, params) : db.query(sql, params));
  try {
    await query('BEGIN');
    if (!rollups) for (const name of triggers) await query(`ALTER TABLE "${source.table}" DISABLE TRIGGER "${name}"`);
    const started = performance.now();
    await write(query);
    return performance.now() - started;
  } finally {
    await query('ROLLBACK');
    client?.release();
  }
}

const dataset = await openDataset({ kind: values.db as BenchDbKind, size: values.size as BenchSize, seed: Number(values.seed), postgresUrl: process.env['DATABASE_URL'], log: (line) => console.error(line) });
const { db, workspaceId } = dataset;
const { rows: updatedIds } = await db.query<{ id: number }>(source.updatedIds, [workspaceId]);

type Samples = { on: number[]; off: number[]; cold: number[] };
const samples = (): Samples => ({ on: [], off: [], cold: [] });
const update = samples();
const retitle = samples();
const insert = samples();
const block = 10;
for (let i = 0; i < runs; i += block) {
  for (const mode of (i / block) % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
    for (let j = i; j < Math.min(runs, i + block); j++) {
      const id = updatedIds[j % updatedIds.length]!.id;
      // The turn's first write of each kind plans the triggers' statements again (see above).
      const keep = (into: Samples, ms: number): void => void (j === i && mode === 'on' ? into.cold : into[mode]).push(ms);
      keep(update, await timed(db, mode === 'on', (q) => q(source.update, [id])));
      keep(retitle, await timed(db, mode === 'on', (q) => q(source.retitle, [id])));
      keep(insert, await timed(db, mode === 'on', (q) => q(source.insert, [workspaceId])));
    }
  }
}
const costs = (s: Samples): { on: number; off: number; extra: number; coldOn: number } => ({
  on: median(s.on),
  off: median(s.off),
  extra: median(s.on) - median(s.off),
  coldOn: median(s.cold),
});
const bulk = { on: [] as number[], off: [] as number[] };
for (let i = 0; i < 3; i++) {
  for (const mode of ['off', 'on'] as const) {
    bulk[mode].push(await timed(db, mode === 'on', (q) => q(source.bulkInsert, [workspaceId, importRows])));
  }
}
const registry = await createKpiRegistry();
const { monthEdges } = benchPeriods();
const cells = source.kpis.flatMap((kpiKey) => monthEdges.slice(0, -1).map((start, i) => ({ kpiKey, period: { start, end: monthEdges[i + 1]! }, groupBy: 'team' as const })));
const dashboard = { on: [] as number[], off: [] as number[] };
for (let i = 0; i < Math.min(runs, 30); i++) {
  for (const mode of i % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
    const loader = createKpiLoader({ db, workspaceId, timeZone: benchTimeZone, registry, options: { rollups: mode === 'on' } });
    const started = performance.now();
    await Promise.all(cells.map((cell) => loader.load(cell)));
    dashboard[mode].push(performance.now() - started);
  }
}
const { rows: [sizes] } = await db.query<{ rows: number; rollup: number }>(
  `SELECT (SELECT count(*) FROM "${source.table}" WHERE "workspaceId" = $1)::int AS rows, (SELECT count(*) FROM "${source.rollup}" WHERE "workspaceId" = $1)::int AS rollup`,
  [workspaceId],
);
const summary = {
  db: db.kind,
  size: values.size,
  source: values.source,
  rows: sizes!.rows,
  runs,
  updateMs: costs(update),
  untrackedUpdateMs: costs(retitle),
  insertMs: costs(insert),
  rollupRows: sizes!.rollup,
  kpiDashboardMs: { kpis: source.kpis, cells: cells.length, on: median(dashboard.on), off: median(dashboard.off) },
  bulkInsert: { rows: importRows, onMs: median(bulk.on), offMs: median(bulk.off), slower: median(bulk.on) / median(bulk.off) - 1 },
};
console.log(JSON.stringify(summary, null, 2));
await db.close();
