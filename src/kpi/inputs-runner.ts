/**
 * Runs the inputs-KPI cells of a batch: gathers every measure of every cell,
 * merges them into groups (same source, time field or snapshot span, filter
 * and group-by), and runs ONE statement per source. Within it, the groups of
 * each filter and group-by are read in one pass over the table, bucketed by
 * the periods' edges (sql/bucketed.ts); the rest join their periods
 * (sql/compile.ts). Then each formula runs per cell and group key.
 */
import { Decimal } from 'decimal.js';
import type { Database } from '../db/client.js';
import type { ValidCell } from './cell.js';
import type { CellValues, GroupKey, KpiDefinition, MeasureValues } from './define.js';
import { ungrouped } from './define.js';
import { KpiPluginError } from './errors.js';
import type { Measure } from './measures.js';
import type { GroupResult } from './sql/bucket-expansion.js';
import { expandBucketed } from './sql/bucket-expansion.js';
import type { BucketedGroup } from './sql/bucketed.js';
import { compileBucketed, isBucketable } from './sql/bucketed.js';
import type { CompiledMeasure, GroupSpec, PeriodRow, ResultRow, Timing } from './sql/compile.js';
import { compileGroup, groupKeyOf } from './sql/compile.js';
import type { RowTransport } from './sql/row-transport.js';
import { jsonRows } from './sql/row-transport.js';
import { compilePercentile } from './sql/percentile.js';
import { compileSinglePeriod, isSinglePeriod } from './sql/single-period.js';
import { groupingOf } from './grouping.js';
import { stableJson } from './stable-json.js';
import type { KpiResult } from './types.js';


interface PlannedGroup {
  spec: GroupSpec;
  /** Its filter and group-by as a key: groups with equal ones share a pass over the table. */
  scopeKey: string;
  measures: Measure[];
  measureIndex: Map<string, number>;
  periods: PeriodRow[];
  periodIndex: Map<string, number>;
}

interface InputRef {
  group: PlannedGroup;
  measure: number;
  period: number;
}

/** Statistics of one run, for tests and logs. */
export interface InputsRunStats {
  groups: number;
  /** Statements run: one per source. */
  statements: number;
  measures: number;
}

function timingOf(measure: Measure): Timing {
  return measure.kind === 'snapshotCount' || measure.kind === 'snapshotSum'
    ? { kind: 'snapshot', from: measure.from, until: measure.until }
    : { kind: 'range', field: measure.time };
}

/** Measures are plugin constants, met once per cell of every request: their signatures are kept. */
const signatures = new WeakMap<Measure, string>();
function measureSignature(measure: Measure): string {
  let signature = signatures.get(measure);
  // The edge a snapshot is taken at lives in the period row, not the measure.
  if (signature === undefined) signatures.set(measure, (signature = stableJson({ ...measure, at: undefined })));
  return signature;
}

function plan(cells: readonly ValidCell[]): { groups: PlannedGroup[]; refs: Record<string, InputRef>[] } {
  const groups = new Map<string, PlannedGroup>();
  const refs = cells.map((valid) => {
    const definition = valid.definition as KpiDefinition & { kind: 'inputs' };
    const { period, filter } = valid.cell;
    const groupBy = groupingOf(valid.cell);
    const cellRefs: Record<string, InputRef> = {};
    // The cell's filter is canonical (sorted), so plain JSON compares it.
    const scopeKey = JSON.stringify([filter, groupBy]);
    for (const [name, measure] of Object.entries(definition.inputs)) {
      const spec: GroupSpec = { source: measure.source, timing: timingOf(measure), filter, groupBy };
      // A percentile reads its own ordered pass: its group holds it alone.
      const own = measure.kind === 'percentile' ? `|${measureSignature(measure)}` : '';
      const groupId = `${spec.source}|${JSON.stringify(spec.timing)}|${scopeKey}${own}`;
      let group = groups.get(groupId);
      if (!group) {
        group = { spec, scopeKey, measures: [], measureIndex: new Map(), periods: [], periodIndex: new Map() };
        groups.set(groupId, group);
      }
      const signature = measureSignature(measure);
      let measureAt = group.measureIndex.get(signature);
      if (measureAt === undefined) {
        measureAt = group.measures.push(measure) - 1;
        group.measureIndex.set(signature, measureAt);
      }
      const row: PeriodRow =
        'at' in measure ? { ...period, edge: measure.at === 'start' ? period.start : period.end } : { start: period.start, end: period.end };
      const periodKey = `${row.start.getTime()}/${row.end.getTime()}/${row.edge?.getTime() ?? ''}`;
      let periodAt = group.periodIndex.get(periodKey);
      if (periodAt === undefined) {
        periodAt = group.periods.push(row) - 1;
        group.periodIndex.set(periodKey, periodAt);
      }
      cellRefs[name] = { group, measure: measureAt, period: periodAt };
    }
    return cellRefs;
  });
  return { groups: [...groups.values()], refs };
}

function outcomeOf(measures: CompiledMeasure[], rows: readonly ResultRow[]): GroupResult {
  const byPeriod = new Map<number, Map<GroupKey, ResultRow>>();
  for (const row of rows) {
    const period = Number(row.pi);
    let byKey = byPeriod.get(period);
    if (!byKey) byPeriod.set(period, (byKey = new Map()));
    byKey.set(groupKeyOf(row.gk), row);
  }
  return { measures, rows: byPeriod };
}

/** One query of a source's statement and how its rows become its groups' outcomes. */
interface SourceUnit {
  groups: PlannedGroup[];
  sql: string;
  params: unknown[];
  transport: RowTransport;
  outcomes(rows: readonly ResultRow[]): GroupResult[];
}

/**
 * A source's groups as units: the groups of each filter and group-by that
 * can be bucketed share one pass over the table; any other group (distinct
 * counts, conditions on the period's edges) joins the periods itself.
 */
function sourceUnits(workspaceId: number, groups: readonly PlannedGroup[]): SourceUnit[] {
  const units: SourceUnit[] = [];
  const families = new Map<string, PlannedGroup[]>();
  for (const group of groups) {
    const percentile = group.measures[0]?.kind === 'percentile' ? group.measures[0] : undefined;
    if (percentile) {
      const statement = compilePercentile(workspaceId, group.spec, percentile, group.periods);
      units.push({ groups: [group], sql: statement.sql, params: statement.params, transport: jsonRows, outcomes: (rows) => [outcomeOf(statement.measures, rows)] });
    } else if (group.measures.every(isBucketable)) {
      families.set(group.scopeKey, [...(families.get(group.scopeKey) ?? []), group]);
    } else {
      const statement = compileGroup(workspaceId, group.spec, group.measures, group.periods);
      units.push({ groups: [group], sql: statement.sql, params: statement.params, transport: jsonRows, outcomes: (rows) => [outcomeOf(statement.measures, rows)] });
    }
  }
  for (const family of families.values()) {
    const { source, filter, groupBy } = family[0]!.spec;
    const bucketed = family.map((group): BucketedGroup => ({ timing: group.spec.timing, measures: group.measures, periods: group.periods }));
    if (isSinglePeriod(bucketed)) {
      units.push({ groups: family, transport: jsonRows, ...compileSinglePeriod(workspaceId, source, filter, groupBy, bucketed) });
      continue;
    }
    const statement = compileBucketed(workspaceId, source, filter, groupBy, bucketed);
    units.push({ groups: family, sql: statement.sql, params: statement.params, transport: statement.transport, outcomes: (rows) => expandBucketed(statement, bucketed, rows) });
  }
  return units;
}

/**
 * Runs every group of one source as ONE statement: each unit's query
 * becomes a branch of a UNION ALL (its parameters renumbered), tagged with
 * the unit's index, its rows folded into one text value by its transport
 * (sql/row-transport.ts), since the branches' columns differ. Sums are
 * text in it, so money stays exact.
 */
async function runSource(db: Database, workspaceId: number, groups: readonly PlannedGroup[]): Promise<Map<PlannedGroup, GroupResult>> {
  const units = sourceUnits(workspaceId, groups);
  const params: unknown[] = [];
  const branches = units.map((unit, index) => {
    const offset = params.length;
    params.push(...unit.params);
    // Compiled SQL holds no literal "$": every placeholder is a parameter.
    const sql = unit.sql.replace(/\$(\d+)/g, (_match, n: string) => `$${Number(n) + offset}`);
    return `SELECT ${index} AS sg, ${unit.transport.aggregate} AS r FROM (\n${sql}\n) x`;
  });
  const { rows } = await db.query<{ sg: number; r: string }>(branches.join('\nUNION ALL\n'), params);
  const rowsOf = units.map((): ResultRow[] => []);
  for (const row of rows) rowsOf[Number(row.sg)] = units[Number(row.sg)]!.transport.decode(row.r);
  const results = new Map<PlannedGroup, GroupResult>();
  units.forEach((unit, index) => unit.outcomes(rowsOf[index]!).forEach((outcome, g) => results.set(unit.groups[g]!, outcome)));
  return results;
}

/** Keeps formulas honest: a value is a finite Decimal or null. */
export function checkResult(result: unknown, kpiKey: string): KpiResult {
  const r = result as Partial<KpiResult> | null;
  if (typeof r !== 'object' || r === null || !('value' in r)) {
    return { value: null, reason: { code: 'PLUGIN_ERROR', message: `KPI "${kpiKey}" returned no result.` } };
  }
  if (r.value !== null && !(Decimal.isDecimal(r.value) && r.value.isFinite())) {
    return { value: null, reason: { code: 'PLUGIN_ERROR', message: `KPI "${kpiKey}" returned a value that is not a finite number.` } };
  }
  return r as KpiResult;
}

/** Worked out on demand: a dashboard never asks, a goal in an empty group does. */
const absentGroups = new WeakMap<CellValues, () => KpiResult | undefined>();

/**
 * A grouped cell's value for a group that has no rows in its period (and so
 * no entry): the formula over zero measures, what the cell filtered to that
 * group would give. Undefined for values the engine did not compute this
 * way (compute plugins), where the caller must ask the filtered cell.
 */
export function absentGroupResult(values: CellValues): KpiResult | undefined {
  return absentGroups.get(values)?.();
}

/** Values (or an Error) for each cell, in the cells' order, and the number of statements run. */
export async function runInputsCells(
  db: Database,
  workspaceId: number,
  cells: readonly ValidCell[],
): Promise<{ values: (CellValues | Error)[]; stats: InputsRunStats }> {
  const { groups, refs } = plan(cells);
  const outcomes = new Map<PlannedGroup, GroupResult | Error>();
  const bySource = new Map<string, PlannedGroup[]>();
  for (const group of groups) bySource.set(group.spec.source, [...(bySource.get(group.spec.source) ?? []), group]);
  await Promise.all(
    [...bySource.values()].map(async (sourceGroups) => {
      try {
        for (const [group, outcome] of await runSource(db, workspaceId, sourceGroups)) outcomes.set(group, outcome);
      } catch (error) {
        for (const group of sourceGroups) outcomes.set(group, error instanceof Error ? error : new Error(String(error)));
      }
    }),
  );
  const values = cells.map((valid, index) => {
    const cellRefs = refs[index]!;
    const resolved: [string, InputRef, GroupResult][] = [];
    for (const [name, ref] of Object.entries(cellRefs)) {
      const outcome = outcomes.get(ref.group);
      if (!outcome || outcome instanceof Error) return new Error(`KPI "${valid.definition.key}" could not be computed: ${outcome?.message ?? 'no result'}`, { cause: outcome });
      resolved.push([name, ref, outcome]);
    }
    const keys = new Set<GroupKey>();
    if (valid.cell.groupBy === null) keys.add(ungrouped);
    else for (const [, ref, outcome] of resolved) for (const key of outcome.rows.get(ref.period)?.keys() ?? []) keys.add(key);
    const definition = valid.definition as KpiDefinition & { kind: 'inputs' };
    const results = new Map<GroupKey, KpiResult>();
    // An absent key is a group with no rows: every measure decodes to zero.
    const resultFor = (key: GroupKey | null): KpiResult => {
      const measureValues: Record<string, unknown> = {};
      for (const [name, ref, outcome] of resolved) {
        measureValues[name] = outcome.measures[ref.measure]!.decode(key === null ? undefined : outcome.rows.get(ref.period)?.get(key));
      }
      const result = definition.formula(measureValues as MeasureValues<Record<string, Measure>>, { params: valid.cell.params, period: valid.cell.period });
      return checkResult(result, definition.key);
    };
    try {
      for (const key of [...keys].sort()) results.set(key, resultFor(key));
    } catch (error) {
      return new KpiPluginError(definition.key, valid.source, `The formula of KPI "${definition.key}" (${valid.source}) failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (valid.cell.groupBy !== null) {
      absentGroups.set(results, () => {
        try {
          return resultFor(null);
        } catch {
          // Left to the filtered cell, which reports the formula's failure itself.
          return undefined;
        }
      });
    }
    return results as CellValues;
  });
  return { values, stats: { groups: groups.length, statements: bySource.size, measures: groups.reduce((n, g) => n + g.measures.length, 0) } };
}
