/**
 * Compiles every measure group of one source, filter and group-by that can
 * be pre-aggregated into ONE pass over the table. Each row is reduced to its
 * group key and, per time field used, the elementary interval it falls in
 * (`width_bucket` over the sorted distinct edges of all periods asked), and
 * aggregated with `GROUPING SETS`: one set per timing (a range field, or a
 * snapshot's from/until pair). Periods are unions of elementary intervals,
 * so `expandBucketed` turns those few hundred rows into every period's
 * value with prefix sums, instead of the database joining every row to
 * every period.
 *
 * Not bucketable, and left to `compileGroup`'s period join: distinct counts
 * (they do not add up across intervals) and conditions relative to the
 * period's edges (`resolvedAt before end`).
 */
import type { Measure, SourceName } from '../measures.js';
import type { Grouping } from '../grouping.js';
import type { DimensionFilter } from '../types.js';
import type { PeriodRow, Timing } from './compile.js';
import { checkColumn, filtered, measureAggregates } from './aggregates.js';
import { scopeSql, scopedTableJoin, whereSql } from './conditions.js';
import { dataModel, relationTables } from './data-model.js';
import { packedBuckets, packedInnerPass, plainInnerPass } from './bucketed-inner-pass.js';
import { ParamList } from './params.js';
import type { RowTransport } from './row-transport.js';
import { delimitedRows } from './row-transport.js';

/** A measure group of a family: its timing, measures and periods. */
export interface BucketedGroup {
  timing: Timing;
  measures: readonly Measure[];
  periods: readonly PeriodRow[];
}

/** Where a measure's value lives among the statement's aggregate columns. */
export type ColumnRef = { kind: 'count' | 'sum'; column: number };

/** How a measure of a group reads its columns. */
export interface BucketedMeasure {
  kind: Measure['kind'];
  columns: ColumnRef[];
  /** Divides a duration sum (seconds) into days or hours. */
  divisor: number;
}

/** One grouping set: a timing's bucket columns, in the order of `bucketFields`. */
export interface GroupingSet {
  timing: Timing;
  /** Indexes into `bucketFields`: one for a range, [from, until] for a snapshot. */
  buckets: number[];
  /** `GROUPING(b0, b1, …)` of this set's rows. */
  mask: number;
}

export interface BucketedStatement {
  sql: string;
  params: unknown[];
  /** The sorted distinct edges the buckets are numbered over (bucket b: edges[b-1] ≤ t < edges[b]). */
  edges: number[];
  bucketFields: string[];
  sets: GroupingSet[];
  /** Per group, per measure. */
  measures: BucketedMeasure[][];
  columnKinds: ('count' | 'sum')[];
  /** How its rows travel: delimited text, its columns all numbers. */
  transport: RowTransport;
}

/** Equal for equal timings: one grouping set serves every group of a timing. */
export const timingKey = (timing: Timing): string => (timing.kind === 'range' ? `r:${timing.field}` : `s:${timing.from}:${timing.until}`);

function hasPeriodCondition(where: Readonly<Record<string, unknown>>): boolean {
  return Object.values(where).some((condition) => {
    if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) return false;
    return 'before' in condition || 'atOrAfter' in condition;
  });
}

/** Whether a measure can be pre-aggregated per interval and summed into periods. */
export function isBucketable(measure: Measure): boolean {
  return measure.kind !== 'distinctCount' && measure.kind !== 'percentile' && !hasPeriodCondition(measure.where as Readonly<Record<string, unknown>>);
}

/** The sorted distinct edges of every period: ranges contribute start and end, snapshots their edge. */
export function sortedEdges(groups: readonly BucketedGroup[]): number[] {
  const edgeSet = new Set<number>();
  for (const group of groups) {
    for (const period of group.periods) {
      if (group.timing.kind === 'range') edgeSet.add(period.start.getTime()).add(period.end.getTime());
      else edgeSet.add((period.edge ?? period.end).getTime());
    }
  }
  return [...edgeSet].sort((a, b) => a - b);
}

/** One grouping set per distinct timing, over the bucket columns of the time fields they use. */
export function groupingSets(source: SourceName, groups: readonly BucketedGroup[]): { bucketFields: string[]; sets: GroupingSet[] } {
  const times = dataModel[source].timeFields;
  const bucketFields: string[] = [];
  const bucketOf = (field: string): number => {
    checkColumn(source, field, times, 'time field');
    const at = bucketFields.indexOf(field);
    return at >= 0 ? at : bucketFields.push(field) - 1;
  };
  const sets: GroupingSet[] = [];
  const seen = new Set<string>();
  for (const { timing } of groups) {
    const key = timingKey(timing);
    if (seen.has(key)) continue;
    seen.add(key);
    const buckets = timing.kind === 'range' ? [bucketOf(timing.field)] : [bucketOf(timing.from), bucketOf(timing.until)];
    sets.push({ timing, buckets, mask: 0 });
  }
  // GROUPING(b0, b1, …) sets bit (n-1-i) for a bucket column NOT in the set.
  for (const set of sets) {
    set.mask = bucketFields.reduce((mask, _field, i) => (set.buckets.includes(i) ? mask : mask | (1 << (bucketFields.length - 1 - i))), 0);
  }
  return { bucketFields, sets };
}

/** Per set, the rows it can count, so that an index on the time field narrows the scan. */
function relevanceConditions(sets: readonly GroupingSet[], groups: readonly BucketedGroup[], params: ParamList): string[] {
  return sets.map((set) => {
    const periods = groups.filter((group) => timingKey(group.timing) === timingKey(set.timing)).flatMap((group) => group.periods);
    if (set.timing.kind === 'range') {
      const field = `t."${set.timing.field}"`;
      const min = Math.min(...periods.map((p) => p.start.getTime()));
      const max = Math.max(...periods.map((p) => p.end.getTime()));
      return `(${field} >= ${params.add(new Date(min).toISOString(), 'timestamptz')} AND ${field} < ${params.add(new Date(max).toISOString(), 'timestamptz')})`;
    }
    const at = periods.map((p) => (p.edge ?? p.end).getTime());
    const from = `t."${set.timing.from}"`;
    const until = `t."${set.timing.until}"`;
    return `(${from} < ${params.add(new Date(Math.max(...at)).toISOString(), 'timestamptz')} AND (${until} IS NULL OR ${until} >= ${params.add(new Date(Math.min(...at)).toISOString(), 'timestamptz')}))`;
  });
}

/**
 * The aggregate columns and where each group's measures read them. The
 * inner pass keeps one row per group key, buckets and outcome of each
 * distinct condition (`flags`) with only a row count and plain sums
 * (`sums`), so that each table row costs one evaluation of each condition,
 * not one per aggregate and set; the outer pass sums, per grouping set, the
 * inner rows whose flags hold (`columns`).
 */
function measureColumns(source: SourceName, groups: readonly BucketedGroup[], params: ParamList) {
  const flags: string[] = [];
  const flagKeys = new Map<string, number | null>();
  const flagOf = (key: string, render: () => string | null): number | null => {
    if (!flagKeys.has(key)) {
      const sql = render();
      flagKeys.set(key, sql === null ? null : flags.push(sql) - 1);
    }
    return flagKeys.get(key) ?? null;
  };
  const sums: string[] = [];
  const sumOf = (value: string): number => {
    const at = sums.indexOf(value);
    return at >= 0 ? at : sums.push(value) - 1;
  };
  const columns: string[] = [];
  const columnKinds: ('count' | 'sum')[] = [];
  const columnKeys = new Map<string, number>();
  const addColumn = (kind: 'count' | 'sum', sum: number | null, conditions: (number | null)[]): ColumnRef => {
    const holding = conditions.filter((flag): flag is number => flag !== null).map((flag) => `t.w${flag}`);
    const key = `${kind}|${sum ?? 'n'}|${holding.join(',')}`;
    let column = columnKeys.get(key);
    if (column === undefined) {
      const aggregate = filtered(`sum(${sum === null ? 't.n' : `t.s${sum}`})`, holding);
      column = columns.push(`coalesce(${aggregate}, 0)::${kind === 'count' ? 'int' : 'text'} AS c${columns.length}`) - 1;
      columnKinds.push(kind);
      columnKeys.set(key, column);
    }
    return { kind, column };
  };
  // Whether any row at all is in a group and period, as the period join reported it.
  addColumn('count', null, []);
  const measures = groups.map((group) =>
    group.measures.map((measure): BucketedMeasure => {
      const where = flagOf(JSON.stringify(measure.where), () => whereSql(source, 't', measure.where as Readonly<Record<string, unknown>>, params));
      const { parts, divisor } = measureAggregates(source, measure);
      const columnsOf = parts.map((part) => {
        const present = part.present === null ? null : flagOf(`present:${part.present}`, () => part.present);
        if (part.kind === 'distinct') throw new Error('Distinct counts cannot be bucketed');
        return addColumn(part.kind, part.kind === 'sum' ? sumOf(part.value!) : null, [where, present]);
      });
      return { kind: measure.kind, divisor, columns: columnsOf };
    }),
  );
  return { flags, sums, columns, columnKinds, measures };
}

/** Compiles a family of bucketable groups (same source, filter and group-by) into one statement. */
export function compileBucketed(
  workspaceId: number,
  source: SourceName,
  filter: DimensionFilter,
  groupBy: Grouping,
  groups: readonly BucketedGroup[],
  /** How the inner pass keeps buckets and outcomes; `auto` packs them when they fit (tests pin one). */
  layout: 'auto' | 'packed' | 'plain' = 'auto',
): BucketedStatement {
  const params = new ParamList();
  const ws = params.add(workspaceId, 'int');
  const edges = sortedEdges(groups);
  const edgesParam = params.add(edges.map((ms) => new Date(ms).toISOString()), 'timestamptz[]');
  const { bucketFields, sets } = groupingSets(source, groups);
  const relevance = relevanceConditions(sets, groups, params);
  const { flags, sums, columns, columnKinds, measures } = measureColumns(source, groups, params);

  const scope = scopeSql(source, 't', filter, groupBy, params, scopedTableJoin(ws));
  const conditions = [`t."workspaceId" = ${ws}`, ...scope.conditions, relevance.length === 1 ? relevance[0]! : `(${relevance.join('\n    OR ')})`];
  const from = [`  FROM ${relationTables[dataModel[source].relation]} t`, ...scope.joins.map((join) => `  ${join}`), `  WHERE ${conditions.join('\n    AND ')}`];
  const groupKey = `${scope.groupValue ?? `'*'`} AS gk`;
  const packed = layout === 'auto' ? packedBuckets(bucketFields, edges.length, flags.length) : layout === 'packed';
  const inner = { groupKey, bucketFields, edgesParam, flags, sums, from };
  const buckets = packed ? packedInnerPass(inner, edges.length) : plainInnerPass(inner);
  // The outer pass reads the inner rows as t, the measures' row.
  const outerKey = groupBy ? ['t.gk'] : [];
  // One SQL set per distinct mask: PostgreSQL would repeat a set's rows for each time it is listed.
  const distinctSets = sets.filter((set, index) => sets.findIndex((other) => other.mask === set.mask) === index);
  const groupingSetList = distinctSets.map((set) => `(${[...outerKey, ...set.buckets.map((i) => `t.b${i}`)].join(', ')})`);
  const bucketList = bucketFields.map((_field, i) => `t.b${i}`).join(', ');
  // MATERIALIZED plans the inner pass on its own: inlined, the planner sorts
  // the table's rows for the outer sets instead of hashing them into a few
  // hundred groups.
  const sql = [
    `WITH buckets AS MATERIALIZED (`,
    ...buckets.inner,
    `SELECT GROUPING(${bucketList})::int AS gs, ${groupBy ? 't.gk, ' : ''}${bucketList},`,
    `  ${columns.join(',\n  ')}`,
    `FROM ${buckets.rows} t`,
    `GROUP BY GROUPING SETS (${groupingSetList.join(', ')})`,
  ].join('\n');
  const transport = delimitedRows(['gs', ...bucketFields.map((_field, i) => `b${i}`), ...columns.map((_column, i) => `c${i}`)], groupBy !== null);
  return { sql, params: params.values, edges, bucketFields, sets, measures, columnKinds, transport };
}
