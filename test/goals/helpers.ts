import { expect } from 'vitest';
import type { TestClient } from '../support/server.js';

/** A Relay global ID as the API hands it out. */
export function gid(typename: string, id: number): string {
  return Buffer.from(`${typename}:${id}`).toString('base64');
}

export const goalFields = /* GraphQL */ `
  fragment GoalFields on Goal {
    id kpiKey target targetExact baseline baselineExact version archivedAt warnings targetAlreadyMet description
    period { start end }
    scope { summary region team }
  }
`;

export const createGoalMutation = /* GraphQL */ `
  mutation Create($input: CreateGoalInput!) { createGoal(input: $input) { ...GoalFields } }
  ${goalFields}
`;

export const updateGoalMutation = /* GraphQL */ `
  mutation Update($id: ID!, $version: Int!, $input: UpdateGoalInput!) { updateGoal(id: $id, version: $version, input: $input) { ...GoalFields } }
  ${goalFields}
`;

export const progressQuery = /* GraphQL */ `
  query Progress($id: ID!, $at: DateTime) {
    node(id: $id) {
      ... on Goal {
        kpiKey
        progress(at: $at) { at actual exact attainment expected projected status elapsedFraction reason { code } }
      }
    }
  }
`;

export interface GoalData {
  id: string;
  kpiKey: string;
  target: number;
  targetExact: string;
  baseline: number | null;
  baselineExact: string | null;
  version: number;
  archivedAt: string | null;
  warnings: string[];
  targetAlreadyMet: boolean;
  description: string;
  period: { start: string; end: string };
  scope: { summary: string; region: string[]; team: string[] };
}

export interface ProgressData {
  at: string;
  actual: number | null;
  exact: string | null;
  attainment: number | null;
  expected: number | null;
  projected: number | null;
  status: string;
  elapsedFraction: number;
  reason: { code: string } | null;
}

/** Creates a goal and fails the test on errors. */
export async function createGoal(client: TestClient, input: Record<string, unknown>): Promise<GoalData> {
  const result = await client.execute<{ createGoal: GoalData }>(createGoalMutation, { input });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.createGoal;
}

/** A goal's progress at an instant. */
export async function progressAt(client: TestClient, id: string, at: string): Promise<ProgressData> {
  const result = await client.execute<{ node: { progress: ProgressData } }>(progressQuery, { id, at });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.node.progress;
}

/** The error code and field of a failed operation. */
export function errorOf(result: { errors?: readonly { extensions?: Record<string, unknown>; message: string }[] }): { code: unknown; field: unknown; message: string } {
  const error = result.errors?.[0];
  return { code: error?.extensions?.['code'], field: error?.extensions?.['field'], message: error?.message ?? '' };
}
