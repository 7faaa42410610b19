/**
 * The dashboard's cells straight through the KPI engine, without GraphQL:
 * once batched as the server does, once with batching off (maxBatchSize 1,
 * so every cell — one KPI, one month, broken down by team — is its own
 * batch and its own statements). createServer offers no switch for the
 * latter, so the bench builds the loader itself with the server's inputs.
 */
import type { Database } from '../src/db/client.js';
import type { KpiCellKey } from '../src/kpi/cell.js';
import { createKpiLoader } from '../src/kpi/engine.js';
import { bucketize } from '../src/kpi/periods.js';
import type { KpiRegistry } from '../src/kpi/registry.js';
import { benchTimeZone } from './clock.js';
import type { BenchPeriods } from './periods.js';
import { dashboardKpis } from './scenarios.js';
import type { Summary } from './stats.js';
import { timeRuns } from './stats.js';

export interface EngineRun {
  cells: number;
  statements: number;
  /** Value cells (KPI × month × team) the cells yielded. */
  groups: number;
  timing: Summary;
}

export function dashboardCells(periods: BenchPeriods): KpiCellKey[] {
  const range = { start: periods.monthEdges[0]!, end: periods.monthEdges[12]! };
  const buckets = bucketize(range, 'month', benchTimeZone);
  return dashboardKpis.flatMap((kpiKey) => buckets.map((period) => ({ kpiKey, period, filter: {}, params: {}, groupBy: 'team' as const })));
}

/** Loads the dashboard's cells through a fresh loader per run; counts statements of the last run. */
export async function engineDashboard(
  db: Database,
  workspaceId: number,
  registry: KpiRegistry,
  periods: BenchPeriods,
  batched: boolean,
  warmup: number,
  runs: number,
): Promise<EngineRun> {
  const cells = dashboardCells(periods);
  let statements = 0;
  let groups = 0;
  const once = async (): Promise<void> => {
    const loader = createKpiLoader({ db, workspaceId, timeZone: benchTimeZone, registry, options: batched ? {} : { maxBatchSize: 1 } });
    let counted = 0;
    const stop = db.onStatement(() => counted++);
    try {
      const values = await loader.loadMany(cells);
      const failed = values.find((value): value is Error => value instanceof Error);
      if (failed) throw failed;
      groups = values.reduce((n, value) => n + (value as Map<unknown, unknown>).size, 0);
    } finally {
      stop();
    }
    statements = counted;
  };
  const timing = await timeRuns(once, warmup, runs);
  return { cells: cells.length, statements, groups, timing };
}
