import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { demoSizes, formatDemoSummary, loadDemoData } from '../db/demo/index.js';
import { applyMigrations } from '../db/migrate.js';
import { createDemoGoals } from '../goals/demo-goals.js';
import { createKpiLoader } from '../kpi/engine.js';
import type { KpiRegistry } from '../kpi/registry.js';
import { createKpiRegistry } from '../kpi/kpi-plugins.js';
import { writeNewMigration } from '../db/new-migration.js';
import { describeDatabase, openConfiguredDatabase } from './open-database.js';
import { createProgress } from './progress.js';
import { UsageError, exitCodes } from './usage-error.js';

export async function migrateCommand(config: Config): Promise<number> {
  const db = await openConfiguredDatabase(config);
  try {
    const applied = await applyMigrations(db.adapterFactory);
    console.log(
      applied.length === 0
        ? `Database is up to date (${describeDatabase(config)}).`
        : `Applied ${applied.length} migration(s) to ${describeDatabase(config)}:\n${applied.map((name) => `  ${name}`).join('\n')}`,
    );
    return exitCodes.ok;
  } finally {
    await db.close();
  }
}

export async function newMigrationCommand(args: string[]): Promise<number> {
  const name = args[0];
  if (!name) throw new UsageError('Give the new migration a name: kpigraph migration:new add_goal_notes');
  const folder = await writeNewMigration(name);
  console.log(folder ? `Wrote ${folder}/migration.sql; review it, then run npm run db:migrate.` : 'schema.prisma matches the migrations: nothing to write.');
  return exitCodes.ok;
}

function parseDealCount(size: string | undefined, deals: string | undefined): number {
  if (deals !== undefined) {
    const count = Number(deals);
    if (!Number.isSafeInteger(count) || count < 1) throw new UsageError(`--deals must be a positive whole number; got ${deals}.`);
    return count;
  }
  if (size === undefined) return demoSizes.tiny;
  if (!(size in demoSizes)) throw new UsageError(`--size must be one of ${Object.keys(demoSizes).join(', ')}; got ${size}.`);
  return demoSizes[size as keyof typeof demoSizes];
}

/** Loads demo data and the demo's goals with a progress bar and prints the summary. */
export async function seedDatabase(db: Database, deals: number, registry: KpiRegistry, seed?: number): Promise<number> {
  const progress = createProgress(process.stderr, 'rows');
  const now = new Date();
  const summary = await loadDemoData(db, {
    deals,
    now,
    ...(seed === undefined ? {} : { seed }),
    onProgress: (done, total, phase) => progress.update(done, total, phase),
  });
  progress.finish();
  const { workspaceId } = summary;
  const timeZone = (await db.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { timeZone: true } })).timeZone;
  const kpi = createKpiLoader({ db, workspaceId, timeZone, registry });
  const goals = await createDemoGoals({ db, workspaceId, timeZone, registry, kpi, now });
  console.log(`${formatDemoSummary(summary)}\nGoals: ${goals} (company, team and rep; this quarter and the last)`);
  return workspaceId;
}

export async function seedCommand(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { deals: { type: 'string' }, size: { type: 'string' }, seed: { type: 'string' } },
    strict: true,
  });
  const deals = parseDealCount(values.size, values.deals);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isSafeInteger(seed)) throw new UsageError(`--seed must be a whole number; got ${values.seed}.`);
  const db = await openConfiguredDatabase(config);
  try {
    await applyMigrations(db.adapterFactory);
    await seedDatabase(db, deals, await createKpiRegistry(config.KPI_PLUGINS), seed);
    return exitCodes.ok;
  } finally {
    await db.close();
  }
}
