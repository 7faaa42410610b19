/**
 * Compiles a group of measures that share a source, a time field (or
 * snapshot span), a filter and a group-by into ONE parameterised statement:
 * the rows join the list of periods passed as arrays, each measure becomes a
 * conditional aggregate, and the result is grouped by period and group key.
 */
import { Decimal } from 'decimal.js';
import type { MeanValue } from '../define.js';
import type { Measure, SourceName } from '../measures.js';
import type { Dimension, DimensionFilter } from '../types.js';
import { scopeSql, scopedTableJoin, whereSql } from './conditions.js';
import { dataModel, relationTables } from './data-model.js';
import { ParamList } from './params.js';

/** How rows meet a period: a time field inside it, or alive at an edge of it. */
export type Timing = { kind: 'range'; field: string } | { kind: 'snapshot'; from: string; until: string };

export interface GroupSpec {
  source: SourceName;
  timing: Timing;
  filter: DimensionFilter;
  groupBy: Dimension | null;
}

/** One period row of a statement; snapshot groups also carry the edge the rows are alive at. */
export interface PeriodRow {
  start: Date;
  end: Date;
  edge?: Date;
}

/** What a measure decodes to from one result row (or from none: zero). */
export type DecodedValue = number | Decimal | MeanValue;

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
  gk: string | null;
}

const secondsPer = { days: 86_400, hours: 3_600 } as const;

const toInt = (value: unknown): number => (value === undefined || value === null ? 0 : Number(value));
const toDecimal = (value: unknown): Decimal =>
  value === undefined || value === null ? new Decimal(0) : new Decimal(String(value));

function checkColumn(source: SourceName, column: string, allowed: readonly string[], what: string): string {
  if (!allowed.includes(column)) throw new Error(`Unknown ${what} "${column}" on ${source}`);
  return `t."${column}"`;
}

/** Compiles a measure group; throws (a definition bug, caught by the registry first) on unknown fields. */
export function compileGroup(workspaceId: number, spec: GroupSpec, measures: readonly Measure[], periods: readonly PeriodRow[]): CompiledStatement {
  const model = dataModel[spec.source];
  const params = new ParamList();
  const ws = params.add(workspaceId, 'int');
  const times = model.timeFields;
  const columns: string[] = [];
  const compiled: CompiledMeasure[] = [];
  const filtered = (aggregate: string, conditions: (string | null)[]): string => {
    const all = conditions.filter((c): c is string => c !== null);
    return all.length === 0 ? aggregate : `${aggregate} FILTER (WHERE ${all.join(' AND ')})`;
  };
  const addColumn = (sql: string): string => {
    const name = `m${columns.length}`;
    columns.push(`${sql} AS ${name}`);
    return name;
  };

  for (const measure of measures) {
    const where = whereSql(spec.source, 't', measure.where as Readonly<Record<string, unknown>>, params);
    switch (measure.kind) {
      case 'count':
      case 'snapshotCount': {
        const name = addColumn(`${filtered('count(*)', [where])}::int`);
        compiled.push({ decode: (row) => toInt(row?.[name]) });
        break;
      }
      case 'distinctCount': {
        const column = checkColumn(spec.source, measure.field, model.distinctFields, 'distinct field');
        const name = addColumn(`${filtered(`count(DISTINCT ${column})`, [where])}::int`);
        compiled.push({ decode: (row) => toInt(row?.[name]) });
        break;
      }
      case 'sum':
      case 'snapshotSum': {
        const column = checkColumn(spec.source, measure.field, model.numericFields, 'numeric field');
        const name = addColumn(`coalesce(${filtered(`sum(${column})`, [where])}, 0)::text`);
        compiled.push({ decode: (row) => toDecimal(row?.[name]) });
        break;
      }
      case 'mean': {
        let value: string;
        let present: string;
        let divisor = 1;
        if (typeof measure.of === 'string') {
          value = checkColumn(spec.source, measure.of, model.numericFields, 'numeric field');
          present = `${value} IS NOT NULL`;
        } else {
          const from = checkColumn(spec.source, measure.of.from, times, 'time field');
          const to = checkColumn(spec.source, measure.of.to, times, 'time field');
          // Sum exact seconds and divide in decimal.js, so that means stay exact.
          value = `extract(epoch from (${to} - ${from}))`;
          present = `${from} IS NOT NULL AND ${to} IS NOT NULL`;
          divisor = secondsPer[measure.of.in];
        }
        const sum = addColumn(`coalesce(${filtered(`sum(${value})`, [where, present])}, 0)::text`);
        const count = addColumn(`${filtered('count(*)', [where, present])}::int`);
        compiled.push({ decode: (row) => ({ sum: toDecimal(row?.[sum]).div(divisor), count: toInt(row?.[count]) }) });
        break;
      }
    }
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
  const groupKey = scope.groupExpression ?? `'*'`;
  const sql = [
    `SELECT (p.i - 1)::int AS pi, ${groupKey} AS gk,`,
    `  ${columns.length > 0 ? columns.join(',\n  ') : 'count(*)::int AS m0'}`,
    `FROM ${relationTables[model.relation]} t`,
    periodJoin,
    ...scope.joins,
    `WHERE ${conditions.join('\n  AND ')}`,
    `GROUP BY p.i${scope.groupExpression ? `, ${scope.groupExpression}` : ''}`,
  ].join('\n');
  return { sql, params: params.values, measures: compiled };
}
