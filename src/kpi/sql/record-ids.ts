/**
 * The records behind a count or sum measure: the IDs of the rows it counts
 * or sums over a period within a filter, newest first, a page at a time
 * (keyset on time and id), and how many there are. The same workspace,
 * scope and `where` conditions as the engine's own statements.
 */
import type { CountMeasure, SumMeasure } from '../measures.js';
import type { DimensionFilter, TimeRange } from '../types.js';
import { checkColumn } from './aggregates.js';
import { periodEdges, scopeSql, scopedTableJoin, whereSql } from './conditions.js';
import { dataModel, relationTables } from './data-model.js';
import { ParamList } from './params.js';

/** Where a page starts: after the record with this time (as the database wrote it) and id. */
export interface RecordPosition {
  time: string;
  id: number;
}

export interface RecordIdsQuery {
  workspaceId: number;
  measure: CountMeasure | SumMeasure;
  filter: DimensionFilter;
  period: TimeRange;
}

export interface RecordIdsStatement {
  sql: string;
  params: unknown[];
}

/** One row of a page: the record's id and its time as text, which casts back to the same instant. */
export interface RecordIdRow {
  id: number;
  time: string;
}

/** FROM, joins and WHERE of the measure's rows; `extra` adds conditions (the page's position). */
function recordsFrom(query: RecordIdsQuery, params: ParamList, extra: (time: string) => string[] = () => []): { time: string; body: string[] } {
  const { measure } = query;
  const model = dataModel[measure.source];
  const ws = params.add(query.workspaceId, 'int');
  const start = params.add(query.period.start.toISOString(), 'timestamptz');
  const end = params.add(query.period.end.toISOString(), 'timestamptz');
  const time = checkColumn(measure.source, measure.time, model.timeFields, 'time field');
  const scope = scopeSql(measure.source, 't', query.filter, null, params, scopedTableJoin(ws));
  const where = whereSql(measure.source, 't', measure.where as Readonly<Record<string, unknown>>, params);
  const conditions = [`t."workspaceId" = ${ws}`, ...scope.conditions, `${time} >= ${periodEdges.start}`, `${time} < ${periodEdges.end}`, ...(where ? [where] : []), ...extra(time)];
  return {
    time,
    body: [
      `FROM ${relationTables[model.relation]} t`,
      // The period row: measure conditions such as "resolved before the end" name its edges.
      `CROSS JOIN (SELECT ${start} AS s, ${end} AS e) p`,
      ...scope.joins,
      `WHERE ${conditions.join('\n  AND ')}`,
    ],
  };
}

/** A page of record IDs, newest first (ties by id, highest first), after `after` when given. */
export function compileRecordIds(query: RecordIdsQuery, limit: number, after: RecordPosition | null): RecordIdsStatement {
  const params = new ParamList();
  const { time, body } = recordsFrom(query, params, (column) =>
    after ? [`(${column}, t.id) < (${params.add(after.time, 'timestamptz')}, ${params.add(after.id, 'int')})`] : [],
  );
  const sql = [`SELECT t.id AS id, ${time}::text AS time`, ...body, `ORDER BY ${time} DESC, t.id DESC`, `LIMIT ${params.add(limit, 'int')}`].join('\n');
  return { sql, params: params.values };
}

/** How many records the measure counts or sums over the period within the filter. */
export function compileRecordCount(query: RecordIdsQuery): RecordIdsStatement {
  const params = new ParamList();
  const { body } = recordsFrom(query, params);
  return { sql: [`SELECT count(*)::int AS n`, ...body].join('\n'), params: params.values };
}
