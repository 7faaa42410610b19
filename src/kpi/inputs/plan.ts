/**
 * Plan: the inputs-KPI cells of a batch as a plain value. Every measure of
 * every cell is put in a group (same source, time field or snapshot span,
 * filter and group-by); a group lists its distinct measures and periods
 * once, and each cell points at its inputs by index. Nothing here touches
 * SQL or the database, so a plan can be shown (explain) or compared
 * (snapshot tests) as it is.
 */
import type { ValidCell } from '../cell.js';
import type { KpiDefinition } from '../define.js';
import type { Measure, SourceName } from '../measures.js';
import type { PeriodRow, Timing } from '../sql/compile.js';
import { stableJson } from '../stable-json.js';
import type { Grouping } from '../grouping.js';
import { groupingOf } from '../grouping.js';
import type { DimensionFilter } from '../types.js';

/** Measures read together: one source, one timing, one filter and group-by. */
export interface PlannedGroup {
  source: SourceName;
  timing: Timing;
  filter: DimensionFilter;
  /** One dimension, a pair (thenBy), or none. */
  groupBy: Grouping;
  /** Its filter and group-by as a key: groups with equal ones share a pass over the table. */
  scopeKey: string;
  measures: Measure[];
  periods: PeriodRow[];
}

/** Where one input of a cell is found: indexes into the plan's groups, the group's measures and periods. */
export interface InputRef {
  group: number;
  measure: number;
  period: number;
}

/** A cell of the plan: its KPI and where each input is found. */
export interface PlannedCell {
  kpiKey: string;
  inputs: Record<string, InputRef>;
}

export interface InputsPlan {
  groups: PlannedGroup[];
  cells: PlannedCell[];
}

export function timingOf(measure: Measure): Timing {
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

/** The period row a measure reads for a cell's period: a snapshot also carries the edge it is taken at. */
function periodRowOf(measure: Measure, period: { start: Date; end: Date }): PeriodRow {
  return 'at' in measure ? { start: period.start, end: period.end, edge: measure.at === 'start' ? period.start : period.end } : { start: period.start, end: period.end };
}

const periodKeyOf = (row: PeriodRow): string => `${row.start.getTime()}/${row.end.getTime()}/${row.edge?.getTime() ?? ''}`;

/** A group being filled, with the indexes that keep its measures and periods distinct. */
interface GroupBuilder {
  group: PlannedGroup;
  index: number;
  measureIndex: Map<string, number>;
  periodIndex: Map<string, number>;
}

/** Plans the cells of inputs KPIs (derived ones included: the registry resolved them into inputs). */
export function planInputs(cells: readonly ValidCell[]): InputsPlan {
  const builders = new Map<string, GroupBuilder>();
  const groups: PlannedGroup[] = [];
  const groupFor = (id: string, make: () => PlannedGroup): GroupBuilder => {
    let builder = builders.get(id);
    if (!builder) {
      const group = make();
      builder = { group, index: groups.push(group) - 1, measureIndex: new Map(), periodIndex: new Map() };
      builders.set(id, builder);
    }
    return builder;
  };
  const planned = cells.map((valid): PlannedCell => {
    const definition = valid.definition as KpiDefinition & { kind: 'inputs' };
    const { period, filter } = valid.cell;
    const groupBy = groupingOf(valid.cell);
    // The cell's filter is canonical (sorted), so plain JSON compares it.
    const scopeKey = JSON.stringify([filter, groupBy]);
    const inputs: Record<string, InputRef> = {};
    for (const [name, measure] of Object.entries(definition.inputs)) {
      const timing = timingOf(measure);
      // A percentile reads its own ordered pass: its group holds it alone.
      const own = measure.kind === 'percentile' ? `|${measureSignature(measure)}` : '';
      const id = `${measure.source}|${JSON.stringify(timing)}|${scopeKey}${own}`;
      const builder = groupFor(id, () => ({ source: measure.source, timing, filter, groupBy, scopeKey, measures: [], periods: [] }));
      const row = periodRowOf(measure, period);
      inputs[name] = {
        group: builder.index,
        measure: indexOf(builder.measureIndex, builder.group.measures, measureSignature(measure), measure),
        period: indexOf(builder.periodIndex, builder.group.periods, periodKeyOf(row), row),
      };
    }
    return { kpiKey: definition.key, inputs };
  });
  return { groups, cells: planned };
}

/** The position of an item among a list kept distinct by key, adding it when new. */
function indexOf<T>(index: Map<string, number>, list: T[], key: string, item: T): number {
  let at = index.get(key);
  if (at === undefined) {
    at = list.push(item) - 1;
    index.set(key, at);
  }
  return at;
}

/** The plan's groups by source, in the order sources were first met: one statement each. */
export function groupsBySource(plan: InputsPlan): Map<SourceName, number[]> {
  const bySource = new Map<SourceName, number[]>();
  plan.groups.forEach((group, index) => bySource.set(group.source, [...(bySource.get(group.source) ?? []), index]));
  return bySource;
}
