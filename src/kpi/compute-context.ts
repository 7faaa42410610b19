/**
 * The ComputeContext given to compute plugins: SQL over the workspace's rows
 * only. Relations are named by placeholders that become workspace-scoped
 * subqueries; SQL naming a base table directly is refused, so scoping holds
 * by construction. This is a guard against mistakes, not a sandbox for
 * hostile code: plugins are trusted modules chosen by the operator.
 */
import type { Database } from '../db/client.js';
import type { ComputeContext } from './define.js';
import type { Relation } from './sql/data-model.js';
import { dimensionSql, relationTables } from './sql/data-model.js';
import { scopeSql } from './sql/conditions.js';
import { ParamList } from './sql/params.js';

const placeholder = /\{\{\s*([A-Za-z]+)\s*\}\}/g;
// Every table of the schema, quoted as PostgreSQL needs it for mixed case.
const baseTables = /"(Customer|Deal|DealStageEvent|Activity|Payment|SurveyResponse|Ticket|Spend|LedgerEntry|User|Team|Workspace|ApiKey|Campaign|Goal|_prisma_migrations)"|U&"/i;

const render = (relation: Relation, alias: string, on: string): string => `LEFT JOIN {{${relation}}} ${alias} ON ${on}`;

/** Substitutes placeholders with scoped subqueries; throws on a direct table reference or an unknown placeholder. */
export function scopeComputeSql(sql: string, params: readonly unknown[], workspaceId: number): { sql: string; params: unknown[] } {
  const withoutPlaceholders = sql.replace(placeholder, ' ');
  const direct = baseTables.exec(withoutPlaceholders);
  if (direct) {
    throw new Error(`Compute SQL may not name the table ${direct[0]} directly; use placeholders such as {{customers}} or {{deals}}, which are scoped to the workspace.`);
  }
  const workspaceParam = `$${params.length + 1}::int`;
  let used = false;
  const scoped = sql.replace(placeholder, (_match, name: string) => {
    if (!Object.hasOwn(relationTables, name)) {
      throw new Error(`Unknown placeholder {{${name}}}; known: ${Object.keys(relationTables).map((n) => `{{${n}}}`).join(', ')}.`);
    }
    used = true;
    return `(SELECT * FROM ${relationTables[name as Relation]} WHERE "workspaceId" = ${workspaceParam})`;
  });
  return { sql: scoped, params: used ? [...params, workspaceId] : [...params] };
}

export interface ComputeContextHandle {
  context: ComputeContext;
  /** Refuses further queries, e.g. once the plugin's time is up. */
  close(): void;
}

export function createComputeContext(db: Database, workspaceId: number, timeZone: string, kpiKey: string): ComputeContextHandle {
  let closed = false;
  const context: ComputeContext = {
    workspaceId,
    timeZone,
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
      if (closed) throw new Error(`KPI "${kpiKey}" queried after its batch ended (timed out or failed).`);
      const scoped = scopeComputeSql(sql, params, workspaceId);
      const result = await db.query<Row>(scoped.sql, scoped.params);
      return result.rows;
    },
    dimension(source, alias, dimension) {
      const sql = dimensionSql(source, alias, dimension, render);
      if (!sql) throw new Error(`The ${source} source has no dimension "${dimension}".`);
      return { joins: sql.joins.join('\n'), expression: sql.expression };
    },
    scope(source, alias, cell, params, options = {}) {
      const skip = new Set(options.skip ?? []);
      const list = new ParamList();
      list.values.push(...params);
      const filter = Object.fromEntries(Object.entries(cell.filter).filter(([dimension]) => !skip.has(dimension as never)));
      const groupBy = cell.groupBy !== null && !skip.has(cell.groupBy) ? cell.groupBy : null;
      const sql = scopeSql(source, alias, filter, groupBy, list, render);
      params.push(...list.values.slice(params.length));
      return {
        joins: sql.joins.join('\n'),
        where: sql.conditions.length > 0 ? sql.conditions.join(' AND ') : 'TRUE',
        groupExpression: sql.groupExpression ?? `'*'`,
      };
    },
  };
  return { context, close: () => (closed = true) };
}
