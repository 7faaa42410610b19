import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInPlugins } from '../../plugins/index.js';
import type { Database } from '../../src/db/client.js';
import type { KpiCellKey } from '../../src/kpi/cell.js';
import { validateCell } from '../../src/kpi/cell.js';
import type { CompiledSource, FailedSource } from '../../src/kpi/inputs/compile.js';
import { compileInputs } from '../../src/kpi/inputs/compile.js';
import type { InputsPlan } from '../../src/kpi/inputs/plan.js';
import { planInputs } from '../../src/kpi/inputs/plan.js';
import { runSources } from '../../src/kpi/inputs/run.js';
import { createRegistry } from '../../src/kpi/registry.js';
import { createTestDatabase } from '../support/database.js';

/**
 * The plan and the SQL of representative cells, kept as files beside this
 * test (`__snapshots__/plans/`): a change to the planner or the compiler
 * shows up as a readable diff of what the engine sends. The SQL is the same
 * on PGlite and PostgreSQL; each statement is also run on the database of
 * this run, so a snapshot cannot hold SQL that one of them refuses.
 */
const registry = createRegistry(builtInPlugins);
const workspaceId = 7;
const utc = (date: string) => new Date(`${date}T00:00:00Z`);
const january = { start: utc('2025-01-01'), end: utc('2025-02-01') };
const firstQuarter = { start: utc('2025-01-01'), end: utc('2025-04-01') };
const months2025 = Array.from({ length: 12 }, (_, m) => ({ start: new Date(Date.UTC(2025, m, 1)), end: new Date(Date.UTC(2025, m + 1, 1)) }));

const cases: Record<string, KpiCellKey[]> = {
  'simple-count': [{ kpiKey: 'new_leads', period: january }],
  'rate-with-filter': [{ kpiKey: 'win_rate', period: firstQuarter, filter: { region: ['DE', 'AT'] } }],
  'series-by-month-by-team': months2025.map((period) => ({ kpiKey: 'won_revenue', period, groupBy: 'team' as const })),
  'snapshot-open-deals-active-customers': [
    { kpiKey: 'open_deals', period: january },
    { kpiKey: 'active_customers', period: january },
  ],
  percentile: [{ kpiKey: 'median_deal_size', period: firstQuarter }],
  derived: [{ kpiKey: 'ltv_cac_ratio', period: firstQuarter, params: { grossMargin: 0.6 } }],
};

function planOf(keys: readonly KpiCellKey[]): { plan: InputsPlan; compiled: (CompiledSource | FailedSource)[] } {
  const plan = planInputs(keys.map((key) => validateCell(key, registry, {})));
  return { plan, compiled: compileInputs(workspaceId, plan) };
}

/** The plan as JSON (dates as ISO text), then each source's statement and its numbered parameters. */
function render(plan: InputsPlan, compiled: readonly (CompiledSource | FailedSource)[]): string {
  const statements = compiled.map((source) => {
    if ('error' in source) return `-- ${source.source}: ${source.error.message}`;
    const units = source.units.map((unit) => `${unit.kind} (groups ${unit.groups.join(', ')})`).join('; ');
    const params = source.params.map((value, index) => `-- $${index + 1} = ${JSON.stringify(value)}`);
    return [`-- ${source.source}: ${units}`, source.sql, ...params].join('\n');
  });
  return [`-- plan\n${JSON.stringify(plan, null, 2)}`, ...statements].join('\n\n') + '\n';
}

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.close());

describe('plan and SQL snapshots', () => {
  it.each(Object.keys(cases))('%s', async (name) => {
    const { plan, compiled } = planOf(cases[name]!);
    await expect(render(plan, compiled)).toMatchFileSnapshot(`__snapshots__/plans/${name}.sql`);
    const ran = await runSources(db, compiled);
    for (const entry of ran) {
      expect('error' in entry ? entry.error.message : null, entry.source.source).toBeNull();
      if (!('rows' in entry)) continue;
      // An empty workspace: every unit answers, with no rows or with zero counts and sums (a plain aggregate's one row).
      expect(entry.rows).toHaveLength(entry.source.units.length);
      const measures = entry.rows.flat().flatMap(({ gk: _gk, pi: _pi, ...columns }) => Object.values(columns));
      for (const value of measures) expect(Number(value)).toBe(0);
    }
  });

  it('is deterministic: the same cells in another order plan the same groups and send the same SQL', () => {
    const forward = planOf(cases['series-by-month-by-team']!);
    const again = planOf(cases['series-by-month-by-team']!);
    expect(render(again.plan, again.compiled)).toBe(render(forward.plan, forward.compiled));
    const cells = [...cases['simple-count']!, ...cases['rate-with-filter']!];
    const one = planOf(cells);
    const other = planOf([...cells].reverse());
    expect(one.compiled.map((source) => ('sql' in source ? source.sql : ''))).toEqual(other.compiled.map((source) => ('sql' in source ? source.sql : '')).reverse());
  });

  it('sends one statement per source however many cells: the six cases together, one per source their groups read', () => {
    const { plan, compiled } = planOf(Object.values(cases).flat());
    expect(compiled.map((source) => source.source).sort()).toEqual([...new Set(plan.groups.map((group) => group.source))].sort());
    expect(compiled).toHaveLength(new Set(plan.groups.map((group) => group.source)).size);
  });
});
