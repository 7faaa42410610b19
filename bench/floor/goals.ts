/**
 * The goals page: 100 goals with progress. Its floor computes each goal's
 * actual value (the KPI over the goal's period, within its team scope) for
 * all goals in one statement.
 */
import { readFileSync } from 'node:fs';
import type { Database } from '../../src/db/client.js';
import type { Values } from '../values.js';
import { num, rowIdOf } from '../values.js';

export const goalsPageSql = readFileSync(new URL('./goals-page.sql', import.meta.url), 'utf8');

export const goalsPageQuery = /* GraphQL */ `
  query GoalsPage {
    goals(first: 100) {
      edges { node { id kpiKey target period { start end } scope { summary } progress { actual exact attainment expected projected status } } }
    }
  }
`;

interface GoalsPageData {
  goals: { edges: { node: { id: string; kpiKey: string; progress: { exact: string | null } | null } }[] };
}

export function goalsPageValues(data: unknown): Values {
  const values: Values = new Map();
  for (const { node } of (data as GoalsPageData).goals.edges) values.set(`${rowIdOf(node.id)}|actual`, num(node.progress?.exact ?? null));
  return values;
}

export async function goalsPageFloor(db: Database, workspaceId: number): Promise<Values> {
  const { rows } = await db.query<{ id: number; actual: string | null }>(goalsPageSql, [workspaceId]);
  return new Map(rows.map((row) => [`${row.id}|actual`, num(row.actual)]));
}
