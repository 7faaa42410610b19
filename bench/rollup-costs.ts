/**
 * npm run bench:rollups -- [--size tiny|S|M] [--db pglite|postgres] [--seed N] [--runs N] [--import-rows N]
 *
 * What keeping the daily rollups exact costs the writes, on a bench dataset
 * (bench/dataset.ts; PostgreSQL with DATABASE_URL): the median time of one
 * deal update (amount, stage and closing day: three rollup keys on each
 * side), of one update of a deal's title only (no rollup key) and of one
 * deal insert, and the time of a bulk insert of `--import-rows` deals in
 * one statement (as an import writes them from its staging table), each
 * with the rollup triggers enabled and disabled, every write rolled back.
 * Then the dashboard's deal KPIs (12 months by team, no cache) through the
 * engine with rollups on and off, in turns. Prints a JSON summary.
 *
 * The single writes run in turns of `block` runs a mode. Disabling the
 * triggers is DDL on "Deal": rolled back, it still makes the session plan
 * the triggers' statements again at their next write, which a server's
 * sessions do only after a migration. So a turn's first write (`cold`)
 * pays that planning and the others (the medians) do not.
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
  },
  strict: true,
});
const runs = Number(values.runs);
const importRows = Number(values['import-rows']);
const triggers = ['rollup_inserted_deals', 'rollup_updated_deals', 'rollup_deleted_deals'];
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

/** Runs `write` in a transaction that is rolled back, the rollup triggers on or off in it; returns its milliseconds. */
async function timed(db: Database, rollups: boolean, write: (query: (sql: string, params?: unknown[]) => Promise<unknown>) => Promise<unknown>): Promise<number> {
  // PGlite has one session, so its statements between BEGIN and ROLLBACK are the transaction's.
  const client = db.acquireClient ? await db.acquireClient() : null;
  const query = (sql: string, params: unknown[] = []): Promise<unknown> => (client ? client.query(sql, params) : db.query(sql, params));
  try {
    await query('BEGIN');
    if (!rollups) for (const name of triggers) await query(`ALTER TABLE "Deal" DISABLE TRIGGER "${name}"`);
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
const { rows: dealIds } = await db.query<{ id: number }>('SELECT "id" FROM "Deal" WHERE "workspaceId" = $1 AND "closedAt" IS NOT NULL ORDER BY "id" LIMIT 500', [workspaceId]);
const { rows: [customer] } = await db.query<{ id: number }>('SELECT "id" FROM "Customer" WHERE "workspaceId" = $1 LIMIT 1', [workspaceId]);

type Samples = { on: number[]; off: number[]; cold: number[] };
const samples = (): Samples => ({ on: [], off: [], cold: [] });
const update = samples();
const retitle = samples();
const insert = samples();
const block = 10;
for (let i = 0; i < runs; i += block) {
  for (const mode of (i / block) % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
    for (let j = i; j < Math.min(runs, i + block); j++) {
      const id = dealIds[j % dealIds.length]!.id;
      // The turn's first write of each kind plans the triggers' statements again (see above).
      const keep = (into: Samples, ms: number): void => void (j === i && mode === 'on' ? into.cold : into[mode]).push(ms);
      keep(update, await timed(db, mode === 'on', (q) => q(`UPDATE "Deal" SET "amount" = "amount" + 1, "stage" = 'LOST', "closedAt" = "closedAt" + interval '2 days' WHERE "id" = $1`, [id])));
      keep(retitle, await timed(db, mode === 'on', (q) => q(`UPDATE "Deal" SET "title" = "title" || '*' WHERE "id" = $1`, [id])));
      keep(insert, await timed(db, mode === 'on', (q) =>
        q(`INSERT INTO "Deal" ("workspaceId", "customerId", "title", "amount", "productLine", "stage", "createdAt", "closedAt") VALUES ($1, $2, 'bench', 10, 'core', 'WON', now() - interval '30 days', now())`, [workspaceId, customer!.id])));
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
    bulk[mode].push(await timed(db, mode === 'on', (q) =>
      q(`INSERT INTO "Deal" ("workspaceId", "customerId", "ownerId", "title", "amount", "productLine", "stage", "type", "createdAt", "closedAt")
         SELECT "workspaceId", "customerId", "ownerId", 'bulk', "amount", "productLine", "stage", "type", "createdAt" - interval '1 year', "closedAt" - interval '1 year'
         FROM "Deal" WHERE "workspaceId" = $1 ORDER BY "id" LIMIT $2`, [workspaceId, importRows])));
  }
}
const registry = await createKpiRegistry();
const { monthEdges } = benchPeriods();
const dealKpis = ['won_revenue', 'win_rate', 'avg_deal_size', 'sales_cycle_days', 'open_deals', 'pipeline_value'];
const cells = dealKpis.flatMap((kpiKey) => monthEdges.slice(0, -1).map((start, i) => ({ kpiKey, period: { start, end: monthEdges[i + 1]! }, groupBy: 'team' as const })));
const dashboard = { on: [] as number[], off: [] as number[] };
for (let i = 0; i < Math.min(runs, 30); i++) {
  for (const mode of i % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
    const loader = createKpiLoader({ db, workspaceId, timeZone: benchTimeZone, registry, options: { rollups: mode === 'on' } });
    const started = performance.now();
    await Promise.all(cells.map((cell) => loader.load(cell)));
    dashboard[mode].push(performance.now() - started);
  }
}
const { rows: [sizes] } = await db.query<{ deals: number; rollup: number }>(
  'SELECT (SELECT count(*) FROM "Deal" WHERE "workspaceId" = $1)::int AS deals, (SELECT count(*) FROM "DealDailyRollup" WHERE "workspaceId" = $1)::int AS rollup',
  [workspaceId],
);
const summary = {
  db: db.kind,
  size: values.size,
  deals: sizes!.deals,
  runs,
  updateMs: costs(update),
  titleUpdateMs: costs(retitle),
  insertMs: costs(insert),
  rollupRows: sizes!.rollup,
  dealKpiDashboardMs: { cells: cells.length, on: median(dashboard.on), off: median(dashboard.off) },
  bulkInsert: { rows: importRows, onMs: median(bulk.on), offMs: median(bulk.off), slower: median(bulk.on) / median(bulk.off) - 1 },
};
console.log(JSON.stringify(summary, null, 2));
await db.close();
