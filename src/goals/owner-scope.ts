/**
 * What a goal measures when no scope is given: its owner's own work. A rep's
 * goal keeps the records of the owner dimension, a team's goal those of the
 * team dimension, and a company goal (owned by the workspace) everything.
 * Pure; callers validate that the owner exists.
 */
import type { KpiDefinition } from '../kpi/define.js';
import { KpiInputError } from '../kpi/errors.js';
import type { DimensionFilter } from '../kpi/types.js';

/** Who owns a goal: a user (a rep), a team, or the workspace (a company goal). */
export type GoalOwner = { kind: 'user'; userId: number } | { kind: 'team'; teamId: number } | { kind: 'workspace' };

/** The owner of a stored goal: its user, else its team, else the workspace. */
export function ownerOf(goal: { ownerUserId: number | null; ownerTeamId: number | null }): GoalOwner {
  if (goal.ownerUserId !== null) return { kind: 'user', userId: goal.ownerUserId };
  if (goal.ownerTeamId !== null) return { kind: 'team', teamId: goal.ownerTeamId };
  return { kind: 'workspace' };
}

/** The owner's row IDs as the Goal table stores them. */
export function ownerColumns(owner: GoalOwner): { ownerUserId: number | null; ownerTeamId: number | null } {
  if (owner.kind === 'user') return { ownerUserId: owner.userId, ownerTeamId: null };
  if (owner.kind === 'team') return { ownerUserId: null, ownerTeamId: owner.teamId };
  return { ownerUserId: null, ownerTeamId: null };
}

/** The dimension that splits a KPI by an owner of this kind: owner for users, team for teams, none for the workspace. */
export function ownerDimension(owner: GoalOwner): 'owner' | 'team' | null {
  return owner.kind === 'user' ? 'owner' : owner.kind === 'team' ? 'team' : null;
}

/**
 * The scope a goal measures and whether it follows its owner. A given scope
 * is kept as given (explicit). Without one, the owner's dimension filtered to
 * the owner; a KPI that cannot be split by that dimension cannot carry the
 * owner's goal without an explicit scope, which is a `KpiInputError` naming
 * `ownerField`.
 */
export function goalScopeFor(
  definition: Pick<KpiDefinition, 'key' | 'dimensions'>,
  owner: GoalOwner,
  given: DimensionFilter | null,
  ownerField: string,
): { scope: DimensionFilter; scopeFromOwner: boolean } {
  if (given !== null) return { scope: given, scopeFromOwner: false };
  const dimension = ownerDimension(owner);
  if (dimension === null) return { scope: {}, scopeFromOwner: true };
  if (!definition.dimensions.includes(dimension)) {
    const who = owner.kind === 'user' ? 'a user' : 'a team';
    throw new KpiInputError(
      ownerField,
      `${definition.key} cannot be split by ${dimension}, so a goal of ${who} cannot measure the owner's own work; give an explicit scope (e.g. scope: {} for the whole workspace) or make it a company goal (owner: { workspace: true }).`,
    );
  }
  const id = owner.kind === 'user' ? owner.userId : owner.kind === 'team' ? owner.teamId : 0;
  return { scope: { [dimension]: [String(id)] }, scopeFromOwner: true };
}
