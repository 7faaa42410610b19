/**
 * Measure `where` clauses and dimension filters as SQL conditions. Columns
 * come from the data model; every compared value is a parameter.
 */
import type { NumberCondition, SourceName, TimeCondition, ValueCondition } from '../measures.js';
import type { Grouping } from '../grouping.js';
import type { Dimension, DimensionFilter } from '../types.js';
import type { EnumType, Relation } from './data-model.js';
import { dataModel, dimensionSql, relationTables } from './data-model.js';
import type { ParamList } from './params.js';

/** SQL names of the period row's edges inside a compiled statement. */
export const periodEdges = { start: 'p.s', end: 'p.e' } as const;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A condition on an enum or text column. Enums are compared as the enum (no
 * text cast per row); labels the enum lacks can match no row, so they are
 * dropped rather than sent, where the cast would fail. Values travel as text
 * and are cast in SQL: a driver that met the enum's array type only after it
 * opened (PGlite migrated in-process) cannot encode it. The cast sits in a
 * scalar subquery, so it runs once per statement: text to enum is a stable
 * I/O call the planner does not fold, and in the row's expression it would
 * run for every row.
 */
function valueCondition(column: string, input: ValueCondition<string>, params: ParamList, enumType?: EnumType): string {
  const condition: unknown = input;
  const compared = enumType ? column : `${column}::text`;
  const cast = enumType ? `::"${enumType.name}"` : '';
  const kept = (values: unknown[]): string[] => values.map(String).filter((value) => !enumType || enumType.labels.includes(value));
  const list = (values: string[]): string => {
    const param = params.add(values, 'text[]');
    return cast ? `(SELECT ${param}${cast}[])${cast}[]` : param;
  };
  const one = (value: string): string => (cast ? `(SELECT ${params.add(value, 'text')}${cast})` : params.add(value, 'text'));
  if (typeof condition === 'string') return kept([condition]).length > 0 ? `${compared} = ${one(condition)}` : 'FALSE';
  if (isObject(condition) && Array.isArray(condition['in'])) {
    const values = kept(condition['in']);
    return values.length > 0 ? `${compared} = ANY(${list(values)})` : 'FALSE';
  }
  if (isObject(condition) && Array.isArray(condition['notIn'])) {
    const values = kept(condition['notIn']);
    // "Not one of these" keeps rows without a value (a spend with no channel).
    return values.length > 0 ? `(${column} IS NULL OR ${compared} <> ALL(${list(values)}))` : 'TRUE';
  }
  throw new Error(`Invalid condition on ${column}: ${JSON.stringify(condition)}`);
}

const numberOps = { gte: '>=', lte: '<=', gt: '>', lt: '<' } as const;

function numberCondition(column: string, condition: NumberCondition, params: ParamList): string {
  const parts: string[] = [];
  for (const [key, op] of Object.entries(numberOps)) {
    const bound = condition[key as keyof NumberCondition];
    if (bound === undefined) continue;
    if (typeof bound !== 'number' || !Number.isFinite(bound)) throw new Error(`Invalid bound ${key} on ${column}`);
    parts.push(`${column} ${op} ${params.add(String(bound), 'numeric')}`);
  }
  if (parts.length === 0) throw new Error(`Empty number condition on ${column}`);
  return parts.join(' AND ');
}

function timeCondition(column: string, condition: TimeCondition): string {
  const parts: string[] = [];
  if (condition.set === true) parts.push(`${column} IS NOT NULL`);
  if (condition.set === false) parts.push(`${column} IS NULL`);
  if (condition.before) parts.push(`${column} < ${periodEdges[condition.before]}`);
  if (condition.atOrAfter) parts.push(`${column} >= ${periodEdges[condition.atOrAfter]}`);
  const all = parts.length === 0 ? 'TRUE' : parts.join(' AND ');
  return condition.orNull ? `(${column} IS NULL OR (${all}))` : all;
}

/** A measure's `where` as one condition on the row aliased `alias`; `null` when it keeps every row. */
export function whereSql(source: SourceName, alias: string, where: Readonly<Record<string, unknown>>, params: ParamList): string | null {
  const model = dataModel[source];
  const parts: string[] = [];
  for (const key of Object.keys(where).sort()) {
    const condition = where[key];
    if (condition === undefined) continue;
    const field = model.whereFields[key];
    if (!field) throw new Error(`Unknown where field "${key}" on ${source}`);
    const column = `${alias}."${field.column}"`;
    switch (field.kind) {
      case 'enum':
      case 'text':
        parts.push(valueCondition(column, condition as ValueCondition<string>, params, field.enumType));
        break;
      case 'integer':
        parts.push(numberCondition(column, condition as NumberCondition, params));
        break;
      case 'time':
        parts.push(timeCondition(column, condition as TimeCondition));
        break;
      case 'presence':
        if (condition !== 'set' && condition !== 'unset') throw new Error(`Invalid presence condition on ${key}`);
        parts.push(`${column} IS ${condition === 'set' ? 'NOT ' : ''}NULL`);
        break;
    }
  }
  return parts.length === 0 ? null : parts.map((part) => `(${part})`).join(' AND ');
}

/** Renders joined relations as real tables, each restricted to the workspace parameter. */
export const scopedTableJoin =
  (workspaceParam: string) =>
  (relation: Relation, alias: string, on: string): string =>
    `LEFT JOIN ${relationTables[relation]} ${alias} ON ${on} AND ${alias}."workspaceId" = ${workspaceParam}`;

export interface ScopeSql {
  joins: string[];
  conditions: string[];
  /** The group expression as text, or null when ungrouped. */
  groupExpression: string | null;
  /**
   * The group expression as the column's own type (an id, an enum), or null
   * when ungrouped: cheaper to group by than its text, which the engine's
   * compilers leave to JavaScript (`groupKeyOf`).
   */
  groupValue: string | null;
}

/** Joins, conditions and group expression for a dimension filter and group-by on a source. */
export function scopeSql(
  source: SourceName,
  alias: string,
  filter: DimensionFilter,
  groupBy: Grouping,
  params: ParamList,
  renderJoin: (relation: Relation, alias: string, on: string) => string,
): ScopeSql {
  const joins: string[] = [];
  const conditions: string[] = [];
  const value = (dimension: Dimension): string => {
    const sql = dimensionSql(source, alias, dimension, renderJoin);
    if (!sql) throw new Error(`The ${source} source has no dimension "${dimension}"`);
    for (const join of sql.joins) if (!joins.includes(join)) joins.push(join);
    return sql.expression;
  };
  const use = (dimension: Dimension): string => `(${value(dimension)})::text`;
  for (const dimension of Object.keys(filter).sort() as Dimension[]) {
    const values = filter[dimension];
    if (values === undefined) continue;
    conditions.push(`${use(dimension)} = ANY(${params.add([...values].map(String), 'text[]')})`);
  }
  // A pair of dimensions groups by the JSON array of both values as text.
  const groupValue =
    groupBy === null ? null : typeof groupBy === 'string' ? value(groupBy) : `json_build_array(${groupBy.map((dimension) => use(dimension)).join(', ')})::text`;
  return { joins, conditions, groupExpression: groupValue === null ? null : `(${groupValue})::text`, groupValue };
}
