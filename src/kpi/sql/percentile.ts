/**
 * Compiles one percentile measure over its periods and groups into a query
 * that returns, per period and group, the number of values and the one or
 * two values the percentile stands on: row numbers are taken in the
 * database (a window ordered by the value), so only those values travel,
 * and the interpolation is done in decimal.js, exactly. PostgreSQL's
 * percentile_cont works in double precision; this does not.
 */
import { Decimal } from 'decimal.js';
import type { PercentileValue } from '../define.js';
import type { PercentileMeasure } from '../measures.js';
import { checkColumn, valueOf } from './aggregates.js';
import type { CompiledStatement, GroupSpec, PeriodRow } from './compile.js';
import { scopeSql, scopedTableJoin, whereSql } from './conditions.js';
import { dataModel, relationTables } from './data-model.js';
import { ParamList } from './params.js';

/**
 * The 0-based positions, among `count` sorted values, that the `p`-quantile
 * reads and the weight of the upper one: continuous interpolates at
 * (count − 1) × p; discrete takes the first value whose cumulative share
 * reaches p.
 */
export function percentilePositions(p: number, count: number, method: PercentileMeasure['method']): { lower: number; upper: number; weight: Decimal } {
  if (method === 'discrete') {
    const at = Math.max(new Decimal(p).mul(count).ceil().toNumber() - 1, 0);
    return { lower: at, upper: at, weight: new Decimal(0) };
  }
  const position = new Decimal(count - 1).mul(p);
  const lower = position.floor();
  return { lower: lower.toNumber(), upper: position.ceil().toNumber(), weight: position.minus(lower) };
}

/** Compiles a percentile measure of a group (range timing only; the registry refuses any other). */
export function compilePercentile(workspaceId: number, spec: GroupSpec, measure: PercentileMeasure, periods: readonly PeriodRow[]): CompiledStatement {
  if (spec.timing.kind !== 'range') throw new Error('A percentile is taken over rows in the period, not a snapshot.');
  const model = dataModel[spec.source];
  const params = new ParamList();
  const ws = params.add(workspaceId, 'int');
  const { value, present, divisor } = valueOf(spec.source, measure.of);
  const where = whereSql(spec.source, 't', measure.where as Readonly<Record<string, unknown>>, params);
  const field = checkColumn(spec.source, spec.timing.field, model.timeFields, 'time field');
  const starts = params.add(periods.map((period) => period.start.toISOString()), 'timestamptz[]');
  const ends = params.add(periods.map((period) => period.end.toISOString()), 'timestamptz[]');
  const min = new Date(Math.min(...periods.map((period) => period.start.getTime())));
  const max = new Date(Math.max(...periods.map((period) => period.end.getTime())));
  const scope = scopeSql(spec.source, 't', spec.filter, spec.groupBy, params, scopedTableJoin(ws));
  const groupKey = scope.groupValue ?? `'*'`;
  const p = params.add(String(measure.p), 'numeric');
  const [lower, upper] =
    measure.method === 'discrete'
      ? [`greatest(ceil(x.n * ${p}) - 1, 0)`, `greatest(ceil(x.n * ${p}) - 1, 0)`]
      : [`floor((x.n - 1) * ${p})`, `ceil((x.n - 1) * ${p})`];
  const conditions = [
    `t."workspaceId" = ${ws}`,
    `${field} >= ${params.add(min.toISOString(), 'timestamptz')}`,
    `${field} < ${params.add(max.toISOString(), 'timestamptz')}`,
    present,
    ...(where ? [where] : []),
    ...scope.conditions,
  ];
  const sql = [
    `SELECT x.pi, x.gk, x.n::int AS n, min(x.v) FILTER (WHERE x.r = ${lower})::text AS lo, min(x.v) FILTER (WHERE x.r = ${upper})::text AS hi`,
    'FROM (',
    `  SELECT (p.i - 1)::int AS pi, ${groupKey} AS gk, ${value} AS v, row_number() OVER w - 1 AS r, count(*) OVER w AS n`,
    `  FROM ${relationTables[model.relation]} t`,
    `  JOIN unnest(${starts}, ${ends}) WITH ORDINALITY AS p(s, e, i) ON ${field} >= p.s AND ${field} < p.e`,
    ...scope.joins.map((join) => `  ${join}`),
    `  WHERE ${conditions.join('\n    AND ')}`,
    `  WINDOW w AS (PARTITION BY p.i, ${groupKey} ORDER BY ${value} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)`,
    ') x',
    `WHERE x.r = ${lower} OR x.r = ${upper}`,
    'GROUP BY x.pi, x.gk, x.n',
  ].join('\n');
  const decode = (row: Readonly<Record<string, unknown>> | undefined): PercentileValue => {
    const count = row ? Number(row['n']) : 0;
    if (!row || count === 0) return { value: null, count: 0 };
    const { weight } = percentilePositions(measure.p, count, measure.method);
    const lo = new Decimal(String(row['lo']));
    const hi = new Decimal(String(row['hi']));
    return { value: lo.plus(hi.minus(lo).mul(weight)).div(divisor), count };
  };
  return { sql, params: params.values, measures: [{ decode }] };
}
