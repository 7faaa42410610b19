/**
 * Reads a measure group from its source's daily rollup instead of its rows,
 * when the rollup holds everything the group asks: its timing, every
 * measure with its conditions, its filter and group-by, and periods whose
 * edges are days of the workspace's time zone. The statement has the shape
 * of `compileGroup`'s (period index, group key, measure columns), so its
 * rows decode the same way; a range sums the rows of its days, a snapshot
 * sums the changes of every day before its edge.
 */
import type { Measure } from '../measures.js';
import { toCivil, zoneOffsetMs } from '../../time/time-zone.js';
import type { Dimension } from '../types.js';
import type { CompiledMeasure, CompiledStatement, GroupSpec, PeriodRow } from './compile.js';
import { decodeMeasure } from './compile.js';
import { whereSql } from './conditions.js';
import { ParamList } from './params.js';
import type { RollupModel } from './rollup-models.js';
import { rollupModels } from './rollup-models.js';

/** Which path a measure group takes and why, for the explain. */
export type RollupChoice = { path: 'rollup'; reason: string; statement: CompiledStatement } | { path: 'raw'; reason: string };

const secondsPer = { days: 86_400, hours: 3_600 } as const;
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const hourMs = 3_600_000;

/**
 * The edge's day in the zone when the edge is that day's first instant and
 * no clock change within hours of it could make days run backwards; null
 * otherwise (the group then reads rows).
 */
function dayAt(edge: Date, timeZone: string): string | null {
  const c = toCivil(edge, timeZone);
  if (c.hour !== 0 || c.minute !== 0 || c.second !== 0 || c.millisecond !== 0) return null;
  const at = edge.getTime();
  if (zoneOffsetMs(at - 3 * hourMs, timeZone) !== zoneOffsetMs(at + 3 * hourMs, timeZone)) return null;
  return `${pad(c.year, 4)}-${pad(c.month)}-${pad(c.day)}`;
}

/** A rollup column a measure sums: counts travel as integers, sums as exact text. */
interface SummedColumn {
  column: string;
  kind: 'count' | 'sum';
}

const definedKeys = (where: Readonly<Record<string, unknown>>): string[] => Object.keys(where).filter((key) => where[key] !== undefined);

/** "Is set" as a presence condition (`'set'`) or a time condition (`{ set: true }`) words it. */
function isSetCondition(condition: unknown): boolean {
  if (condition === 'set') return true;
  if (typeof condition !== 'object' || condition === null) return false;
  const entries = Object.entries(condition).filter(([, value]) => value !== undefined);
  return entries.length === 1 && entries[0]![0] === 'set' && entries[0]![1] === true;
}

/** The count column of a measure: the model's, or the count of rows with its one set condition. */
function countColumn(model: RollupModel, measure: Measure): string | { reason: string } {
  const where = measure.where as Readonly<Record<string, unknown>>;
  const counted = definedKeys(where).filter((key) => model.setCounts[key] !== undefined);
  if (counted.length === 0) return model.count;
  if (counted.length > 1) return { reason: `the rollup counts the rows with ${counted.join(' or ')} set, not with both` };
  const field = counted[0]!;
  if (!isSetCondition(where[field])) return { reason: `the rollup keeps ${field} only as the count of rows where it is set` };
  if (measure.kind !== 'count' && measure.kind !== 'snapshotCount') return { reason: `the rollup keeps ${field} only as a count` };
  return model.setCounts[field]!;
}

/** One measure as rollup aggregates: the columns summed (signed for a snapshot) and how they decode. */
function measureColumns(model: RollupModel, measure: Measure): { columns: SummedColumn[]; divisor: number } | string {
  const counted = countColumn(model, measure);
  if (typeof counted !== 'string') return counted.reason;
  const count: SummedColumn = { column: counted, kind: 'count' };
  const sum = (column: string): SummedColumn => ({ column, kind: 'sum' });
  switch (measure.kind) {
    case 'count':
    case 'snapshotCount':
      return { columns: [count], divisor: 1 };
    case 'sum':
    case 'snapshotSum': {
      const column = model.sums[measure.field];
      return column ? { columns: [sum(column)], divisor: 1 } : `the rollup holds no sum of ${measure.field}`;
    }
    case 'mean': {
      if (typeof measure.of === 'string') {
        const column = model.sums[measure.of];
        return column ? { columns: [sum(column), count], divisor: 1 } : `the rollup holds no sum of ${measure.of}`;
      }
      const { from, to } = measure.of;
      const duration = model.durations.find((d) => d.from === from && d.to === to);
      return duration
        ? { columns: [sum(duration.seconds), { column: duration.count, kind: 'count' }], divisor: secondsPer[measure.of.in] }
        : `the rollup holds no duration from ${from} to ${to}`;
    }
    case 'distinctCount':
      return 'a distinct count cannot be summed from daily rows';
    case 'percentile':
      return 'a percentile needs the rows themselves';
  }
}

/** A measure's conditions on the columns the rollup keeps (its set condition is in its count column instead). */
function filteredWhere(model: RollupModel, measure: Measure): Record<string, unknown> {
  const where = measure.where as Readonly<Record<string, unknown>>;
  return Object.fromEntries(definedKeys(where).filter((key) => model.setCounts[key] === undefined).map((key) => [key, where[key]]));
}

/** Why the group cannot be read from the rollup, or null when it can. */
function unservedReason(model: RollupModel, spec: GroupSpec, measures: readonly Measure[]): string | null {
  const { timing } = spec;
  if (timing.kind === 'range' && model.rangeKinds[timing.field] === undefined) return `the rollup has no days of ${timing.field}`;
  if (timing.kind === 'snapshot' && (model.snapshot?.from !== timing.from || model.snapshot.until !== timing.until)) {
    return `the rollup has no snapshot from ${timing.from} until ${timing.until}`;
  }
  const dimensions = [...Object.keys(spec.filter), ...(spec.groupBy ? [spec.groupBy] : [])] as Dimension[];
  const missing = dimensions.find((dimension) => !model.dimensions[dimension]);
  if (missing) return `the rollup does not keep the dimension ${missing}`;
  for (const measure of measures) {
    const field = Object.keys(filteredWhere(model, measure)).find((key) => !model.whereFields.includes(key));
    if (field) return `the rollup does not keep the condition field ${field}`;
    const columns = measureColumns(model, measure);
    if (typeof columns === 'string') return columns;
  }
  return null;
}

/** Chooses the rollup or the rows for a measure group, and compiles the rollup statement when it is chosen. */
export function chooseRollup(workspaceId: number, spec: GroupSpec, measures: readonly Measure[], periods: readonly PeriodRow[], timeZone: string): RollupChoice {
  const model = rollupModels[spec.source];
  if (!model) return { path: 'raw', reason: `${spec.source} has no rollup` };
  // A pair of dimensions groups by a JSON key the rollup does not build.
  if (spec.groupBy !== null && typeof spec.groupBy !== 'string') return { path: 'raw', reason: 'a breakdown by two dimensions reads the rows' };
  const unserved = unservedReason(model, spec, measures);
  if (unserved) return { path: 'raw', reason: unserved };
  const edges = spec.timing.kind === 'range' ? periods.flatMap((p) => [p.start, p.end]) : periods.map((p) => p.edge ?? p.end);
  const days = edges.map((edge) => dayAt(edge, timeZone));
  if (days.some((day) => day === null)) return { path: 'raw', reason: `a period edge is not the start of a day in ${timeZone}` };
  const statement = compileRollup(model, workspaceId, spec, measures, days as string[]);
  return { path: 'rollup', reason: `every measure, condition, filter and group-by is in the ${spec.source} rollup`, statement };
}

/**
 * Each rollup row is first reduced to the elementary segment between the
 * sorted distinct edges its day falls in (width_bucket) and summed there, so
 * the work on rows is one pass; periods then sum the few segments they
 * span. A range [s, e) spans the segments from s's up to e's; a snapshot at
 * an edge spans every segment before it. Overlapping periods (cumulative
 * windows, snapshots at every month) cost segments, not rows.
 */
function compileRollup(model: RollupModel, workspaceId: number, spec: GroupSpec, measures: readonly Measure[], days: readonly string[]): CompiledStatement {
  const params = new ParamList();
  const ws = params.add(workspaceId, 'int');
  const snapshot = spec.timing.kind === 'snapshot' ? model.snapshot! : null;
  // A snapshot's level is the rows that started before its day less those that ended before it.
  const signed = (column: string): string => (snapshot ? `CASE WHEN r."kind" = ${snapshot.startKind} THEN r."${column}" ELSE -r."${column}" END` : `r."${column}"`);
  const inner: string[] = [];
  const outer: string[] = [];
  const compiled: CompiledMeasure[] = measures.map((measure) => {
    const { columns: summed, divisor } = measureColumns(model, measure) as Exclude<ReturnType<typeof measureColumns>, string>;
    const where = whereSql(spec.source, 'r', filteredWhere(model, measure), params);
    const names = summed.map(({ column, kind }) => {
      const name = `m${outer.length}`;
      inner.push(`sum(${signed(column)})${where ? ` FILTER (WHERE ${where})` : ''} AS ${name}`);
      outer.push(`coalesce(sum(a.${name}), 0)${kind === 'count' ? '::int' : '::text'} AS ${name}`);
      return name;
    });
    return { decode: (row) => decodeMeasure(measure.kind, divisor, names.map((name) => row?.[name])) };
  });
  if (outer.length === 0) outer.push('coalesce(sum(a.n), 0)::int AS m0');

  // Through a parallel-restricted function (the migration's): see `kpigraph_rollup_workspace`.
  const conditions = [`r."workspaceId" = "kpigraph_rollup_workspace"(${ws})`];
  const dimension = (name: Dimension): string => model.dimensions[name]!.expression;
  for (const name of Object.keys(spec.filter).sort() as Dimension[]) {
    const values = spec.filter[name];
    if (values !== undefined) conditions.push(`(${dimension(name)})::text = ANY(${params.add([...values].map(String), 'text[]')})`);
  }
  const groupValue = typeof spec.groupBy === 'string' ? dimension(spec.groupBy) : null;

  const edges = [...new Set(days)].sort();
  const segment = (day: string): number => edges.indexOf(day) + 1;
  const spans = snapshot
    ? days.map((day) => [0, segment(day)] as const)
    : days.flatMap((day, i) => (i % 2 === 0 ? [[segment(day), segment(days[i + 1]!)] as const] : []));
  if (snapshot) conditions.push(`r."kind" IN (${snapshot.startKind}, ${snapshot.endKind})`);
  else conditions.push(`r."kind" = ${model.rangeKinds[(spec.timing as { field: string }).field]!}`, `r."day" >= ${params.add(edges[0], 'date')}`);
  conditions.push(`r."day" < ${params.add(edges.at(-1), 'date')}`);
  const edgeDays = params.add(edges, 'date[]');
  const from = params.add(spans.map(([first]) => first), 'int[]');
  const to = params.add(spans.map(([, last]) => last), 'int[]');
  const sql = [
    `SELECT (p.i - 1)::int AS pi, a.gk,`,
    `  ${outer.join(',\n  ')}`,
    `FROM (`,
    `  SELECT width_bucket(r."day", ${edgeDays}) AS b, ${groupValue ?? `'*'`} AS gk, sum(${signed(model.count)}) AS n${inner.map((column) => `,\n    ${column}`).join('')}`,
    `  FROM ${model.rows} r`,
    `  WHERE ${conditions.join('\n    AND ')}`,
    `  GROUP BY 1, 2) a`,
    `JOIN unnest(${from}, ${to}) WITH ORDINALITY AS p(first, last, i) ON a.b >= p.first AND a.b < p.last`,
    `GROUP BY p.i, a.gk`,
    // A group with no row in the period (none alive at the edge) has no value, as on the raw path.
    `HAVING sum(a.n) <> 0`,
  ].join('\n');
  return { sql, params: params.values, measures: compiled };
}
