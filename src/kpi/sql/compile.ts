/**
 * Compiles a group of measures that share a source, a time field (or
 * snapshot span), a filter and a group-by into ONE parameterised statement:
 * the rows join the list of periods passed as arrays, each measure becomes a
 * conditional aggregate, and the result is grouped by period and group key.
 * The engine uses it for what bucketing cannot do (distinct counts,
 * conditions on a period's edges), and tests use it as the reference.
 */
import { Decimal } from 'decimal.js';
import type { GroupKey, MeanValue, PercentileValue } from '../define.js';
import { missingGroupKey } from '../define.js';
import type { Measure, SourceName } from '../measures.js';
import type { Grouping } from '../grouping.js';
import type { DimensionFilter } from '../types.js';
import { aggregateSql, checkColumn, measureAggregates } from './aggregates.js';
import { scopeSql, scopedTableJoin, whereSql } from './conditions.js';
import { dataModel, relationTables } from './data-model.js';
import { ParamList } from './params.js';

/** How rows meet a period: a time field inside it, or alive at an edge of it. */
export type Timing = { kind: 'range'; field: string } | { kind: 'snapshot'; from: string; until: string };

export interface GroupSpec {
  source: SourceName;
  timing: Timing;
  filter: DimensionFilter;
  groupBy: Grouping;
}

/** One period row of a statement; snapshot groups also carry the edge the rows are alive at. */
export interface PeriodRow {
  start: Date;
  end: Date;
  edge?: Date;
}

/** What a measure decodes to from one result row (or from none: zero). */
export type DecodedValue = number | Decimal | MeanValue | PercentileValue;

export interface CompiledMeasure {
  decode(row: Readonly<Record<string, unknown>> | undefined): DecodedValue;
}

export interface CompiledStatement {
  sql: string;
  params: unknown[];
  measures: CompiledMeasure[];
}

/** A result row: the period's index (0-based after decoding), the group key, the measure columns. */
export interface ResultRow extends Record<string, unknown> {
  pi: number;
  /** The group's value as the database gave it (an id, a label), `'*'` when ungrouped. */
  gk: string | number | null;
}

/** A row's group as the engine keys it: the value as text, or the missing-group key. */
export const groupKeyOf = (value: unknown): GroupKey => (value === null || value === undefined ? missingGroupKey : String(value));

const toInt = (value: unknown): number => (value === undefined || value === null ? 0 : Number(value));
const toDecimal = (value: unknown): Decimal =>
  value === undefined || value === null ? new Decimal(0) : new Decimal(String(value));

/** How a measure decodes from the values of its aggregate parts (absent: zero). */
export function decodeMeasure(kind: Measure['kind'], divisor: number, values: readonly unknown[]): DecodedValue {
  switch (kind) {
    case 'sum':
    case 'snapshotSum':
      return toDecimal(values[0]);
    case 'mean':
      return { sum: toDecimal(values[0]).div(divisor), count: toInt(values[1]) };
    default:
      return toInt(values[0]);
  }
}

/** Compiles a measure group; throws (a definition bug, caught by the registry first) on unknown fields. */
export function compileGroup(workspaceId: number, spec: GroupSpec, measures: readonly Measure[], periods: readonly PeriodRow[]): CompiledStatement {
  const model = dataModel[spec.source];
  const params = new ParamList();
  const ws = params.add(workspaceId, 'int');
  const times = model.timeFields;
  const columns: string[] = [];
  const compiled: CompiledMeasure[] = [];
  for (const measure of measures) {
    const { parts, divisor } = measureAggregates(spec.source, measure);
    const where = whereSql(spec.source, 't', measure.where as Readonly<Record<string, unknown>>, params);
    const names = parts.map((part) => {
      const name = `m${columns.length}`;
      columns.push(`${aggregateSql(part, where)} AS ${name}`);
      return name;
    });
    compiled.push({ decode: (row) => decodeMeasure(measure.kind, divisor, names.map((name) => row?.[name])) });
  }

  const scope = scopeSql(spec.source, 't', spec.filter, spec.groupBy, params, scopedTableJoin(ws));
  const conditions = [`t."workspaceId" = ${ws}`];
  let periodJoin: string;
  if (spec.timing.kind === 'range') {
    const field = checkColumn(spec.source, spec.timing.field, times, 'time field');
    const starts = params.add(periods.map((p) => p.start.toISOString()), 'timestamptz[]');
    const ends = params.add(periods.map((p) => p.end.toISOString()), 'timestamptz[]');
    periodJoin = `JOIN unnest(${starts}, ${ends}) WITH ORDINALITY AS p(s, e, i) ON ${field} >= p.s AND ${field} < p.e`;
    // The union's bounds, so that the (workspaceId, field) index narrows the scan.
    const min = new Date(Math.min(...periods.map((p) => p.start.getTime())));
    const max = new Date(Math.max(...periods.map((p) => p.end.getTime())));
    conditions.push(`${field} >= ${params.add(min.toISOString(), 'timestamptz')}`, `${field} < ${params.add(max.toISOString(), 'timestamptz')}`);
  } else {
    const from = checkColumn(spec.source, spec.timing.from, times, 'time field');
    const until = checkColumn(spec.source, spec.timing.until, times, 'time field');
    const edges = params.add(periods.map((p) => (p.edge ?? p.end).toISOString()), 'timestamptz[]');
    const starts = params.add(periods.map((p) => p.start.toISOString()), 'timestamptz[]');
    const ends = params.add(periods.map((p) => p.end.toISOString()), 'timestamptz[]');
    periodJoin = `JOIN unnest(${edges}, ${starts}, ${ends}) WITH ORDINALITY AS p(edge, s, e, i) ON ${from} < p.edge AND (${until} IS NULL OR ${until} >= p.edge)`;
    const maxEdge = new Date(Math.max(...periods.map((p) => (p.edge ?? p.end).getTime())));
    conditions.push(`${from} < ${params.add(maxEdge.toISOString(), 'timestamptz')}`);
  }
  conditions.push(...scope.conditions);
  const groupKey = scope.groupValue ?? `'*'`;
  const sql = [
    `SELECT (p.i - 1)::int AS pi, ${groupKey} AS gk,`,
    `  ${columns.length > 0 ? columns.join(',\n  ') : 'count(*)::int AS m0'}`,
    `FROM ${relationTables[model.relation]} t`,
    periodJoin,
    ...scope.joins,
    `WHERE ${conditions.join('\n  AND ')}`,
    `GROUP BY p.i${scope.groupValue ? `, ${scope.groupValue}` : ''}`,
  ].join('\n');
  return { sql, params: params.values, measures: compiled };
}
