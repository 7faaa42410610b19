/**
 * The owner of a goal as the API takes it: one input naming a user, a team or
 * the workspace. IDs may be global IDs or the numeric row IDs the CLI shows.
 */
import { decodeGlobalID } from '@pothos/plugin-relay';
import type { GoalOwner } from '../goals/owner-scope.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { badUserInput } from './errors.js';
import { notFoundAt } from './lookups.js';

export const GoalOwnerInput = builder.inputType('GoalOwnerInput', {
  description:
    'Who owns a goal: exactly one of userId (a rep: the goal measures the records of the owner dimension), teamId (a team: the team dimension) or workspace: true (a company goal: everything). IDs are global IDs or numeric row IDs (as `kpigraph goals` shows them).',
  isOneOf: true,
  fields: (t) => ({
    userId: t.id({ required: false, description: 'A user’s global ID or numeric ID.' }),
    teamId: t.id({ required: false, description: 'A team’s global ID or numeric ID.' }),
    workspace: t.boolean({ required: false, description: 'true: a company goal owned by the workspace.' }),
  }),
});

export interface GoalOwnerArg {
  userId?: string | number | null;
  teamId?: string | number | null;
  workspace?: boolean | null;
}

/** A numeric row ID from a global ID of `typename` or a plain positive integer; BAD_USER_INPUT naming `field` otherwise. */
export function flexibleRowId(value: string | number, typename: 'User' | 'Team', field: string): number {
  const text = String(value).trim();
  let id: number;
  if (/^\d+$/.test(text)) id = Number(text);
  else {
    let decoded: { typename: string; id: string };
    try {
      decoded = decodeGlobalID(text);
    } catch {
      throw badUserInput({ field, message: `"${text.slice(0, 60)}" is neither a ${typename} ID nor a numeric ID.` });
    }
    if (decoded.typename !== typename) throw badUserInput({ field, message: `must be the ID of a ${typename} (got an ID of a ${decoded.typename}).` });
    id = Number(decoded.id);
  }
  if (!Number.isSafeInteger(id) || id <= 0) throw badUserInput({ field, message: `is not a valid ${typename} ID.` });
  return id;
}

/** The owner named by the input, checked to exist in the workspace; errors name `prefix.userId` or `prefix.teamId`. */
export async function ownerFromInput(ctx: GraphQLContext, arg: GoalOwnerArg, prefix: string): Promise<GoalOwner> {
  if (arg.userId != null) {
    const field = `${prefix}.userId`;
    const id = flexibleRowId(arg.userId, 'User', field);
    if (!(await ctx.prisma.user.findUnique({ where: { id }, select: { id: true } }))) throw notFoundAt(field, 'User', { typename: 'User', id: String(id) });
    return { kind: 'user', userId: id };
  }
  if (arg.teamId != null) {
    const field = `${prefix}.teamId`;
    const id = flexibleRowId(arg.teamId, 'Team', field);
    if (!(await ctx.prisma.team.findUnique({ where: { id }, select: { id: true } }))) throw notFoundAt(field, 'Team', { typename: 'Team', id: String(id) });
    return { kind: 'team', teamId: id };
  }
  if (arg.workspace === true) return { kind: 'workspace' };
  throw badUserInput({ field: `${prefix}.workspace`, message: 'give userId, teamId, or workspace: true.' });
}
