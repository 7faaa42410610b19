/**
 * The common case of one value over one period (a KPI card, a goal): a
 * family whose groups are all ranges over the same single period needs no
 * buckets. Compiled as one filtered aggregate per measure over an index
 * range scan, the same statement a person would write.
 */
import type { Measure, SourceName } from '../measures.js';
import type { Grouping } from '../grouping.js';
import type { DimensionFilter } from '../types.js';
import { aggregateSql, checkColumn, filtered, measureAggregates } from './aggregates.js';
import type { GroupResult } from './bucket-expansion.js';
import type { BucketedGroup } from './bucketed.js';
import type { CompiledMeasure, ResultRow } from './compile.js';
import { decodeMeasure, groupKeyOf } from './compile.js';
import { scopeSql, scopedTableJoin, whereSql } from './conditions.js';
import { dataModel, relationTables } from './data-model.js';
import { ParamList } from './params.js';

/** Whether every group is a range over one and the same single period. */
export function isSinglePeriod(groups: readonly BucketedGroup[]): boolean {
  const first = groups[0]?.periods[0];
  return (
    first !== undefined &&
    groups.every(
      (group) =>
        group.timing.kind === 'range' &&
        group.periods.length === 1 &&
        group.periods[0]!.start.getTime() === first.start.getTime() &&
        group.periods[0]!.end.getTime() === first.end.getTime(),
    )
  );
}

export interface SinglePeriodStatement {
  sql: string;
  params: unknown[];
  outcomes(rows: readonly ResultRow[]): GroupResult[];
}

export function compileSinglePeriod(
  workspaceId: number,
  source: SourceName,
  filter: DimensionFilter,
  groupBy: Grouping,
  groups: readonly BucketedGroup[],
): SinglePeriodStatement {
  const model = dataModel[source];
  const params = new ParamList();
  const ws = params.add(workspaceId, 'int');
  const period = groups[0]!.periods[0]!;
  const start = params.add(period.start.toISOString(), 'timestamptz');
  const end = params.add(period.end.toISOString(), 'timestamptz');
  const fields = [...new Set(groups.map((group) => (group.timing.kind === 'range' ? group.timing.field : '')))];
  const inPeriod = new Map(fields.map((field) => {
    const column = checkColumn(source, field, model.timeFields, 'time field');
    return [field, `${column} >= ${start} AND ${column} < ${end}`];
  }));
  // With one field the WHERE is the period; with several, each aggregate keeps to its own.
  const own = (field: string): string | null => (fields.length === 1 ? null : inPeriod.get(field)!);

  const columns: string[] = [];
  const add = (sql: string): string => {
    const name = `m${columns.length}`;
    columns.push(`${sql} AS ${name}`);
    return name;
  };
  const layouts = groups.map((group) => {
    const field = group.timing.kind === 'range' ? group.timing.field : '';
    const rows = add(`${filtered('count(*)', [own(field)])}::int`);
    const measures = group.measures.map((measure: Measure): CompiledMeasure => {
      const { parts, divisor } = measureAggregates(source, measure);
      const where = whereSql(source, 't', measure.where as Readonly<Record<string, unknown>>, params);
      const condition = [where, own(field)].filter((c): c is string => c !== null).join(' AND ') || null;
      const names = parts.map((part) => add(aggregateSql(part, condition)));
      return { decode: (row) => decodeMeasure(measure.kind, divisor, names.map((name) => row?.[name])) };
    });
    return { rows, measures };
  });

  const scope = scopeSql(source, 't', filter, groupBy, params, scopedTableJoin(ws));
  const periodCondition = fields.length === 1 ? inPeriod.get(fields[0]!)! : `(${[...inPeriod.values()].map((c) => `(${c})`).join(' OR ')})`;
  const sql = [
    `SELECT ${scope.groupValue ?? `'*'`} AS gk,`,
    `  ${columns.join(',\n  ')}`,
    `FROM ${relationTables[model.relation]} t`,
    ...scope.joins,
    `WHERE ${[`t."workspaceId" = ${ws}`, ...scope.conditions, periodCondition].join('\n  AND ')}`,
    ...(scope.groupValue ? [`GROUP BY 1`] : []),
  ].join('\n');

  return {
    sql,
    params: params.values,
    outcomes: (rows) =>
      layouts.map((layout) => {
        const byKey = new Map<string, ResultRow>();
        for (const row of rows) {
          // A group with no row in the period has no value, as with the period join.
          if (Number(row[layout.rows] ?? 0) > 0) byKey.set(groupKeyOf(row.gk), row);
        }
        return { measures: layout.measures, rows: new Map(byKey.size > 0 ? [[0, byKey]] : []) };
      }),
  };
}
