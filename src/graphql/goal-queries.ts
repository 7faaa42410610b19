/**
 * The goals list: filtered by KPI, owner, team and period in SQL, by scope in
 * memory, and by status through progress computed for every candidate in one
 * batch of the KPI loader; then paged.
 */
import { queryFromInfo } from '@pothos/plugin-prisma';
import { resolveArrayConnection } from '@pothos/plugin-relay';
import type { GraphQLResolveInfo } from 'graphql';
import type { Goal, Prisma } from '../generated/prisma/client.js';
import type { GoalStatus } from '../goals/progress.js';
import type { DimensionFilter, Dimension } from '../kpi/types.js';
import { builder } from './builder.js';
import { inZone } from './calendar-date.js';
import type { GraphQLContext } from './context.js';
import { GoalStatusEnum, askedAt, goalProgress, listedAsOf } from './goal-progress.js';
import { goalScope } from '../goals/goal-values.js';
import { periodInput, scopeInput } from './goal-inputs.js';
import type { GlobalId } from './ids.js';
import { optionalRowId } from './ids.js';
import type { FilterArg, PeriodArg } from './kpi-inputs.js';
import { KpiFilterInputRef, PeriodInputRef } from './kpi-inputs.js';
import { pageArgs } from './paging.js';
import { GoalRef } from './goal.js';

export const GoalFilterInput = builder.inputType('GoalFilter', {
  description: 'Every given condition must hold.',
  fields: (t) => ({
    status: t.field({ type: [GoalStatusEnum], required: false, description: 'Any of these statuses at the list’s `at` (computes progress for every candidate, batched).' }),
    kpiKey: t.stringList({ required: false, description: 'Any of these KPIs.' }),
    ownerId: t.globalID({ required: false, description: 'Goals owned by this user.' }),
    teamId: t.globalID({ required: false, description: 'Goals owned by this team or by one of its members.' }),
    activeAt: t.field({ type: 'DateTime', required: false, description: 'Goals whose period contains this instant.' }),
    period: t.field({ type: PeriodInputRef, required: false, description: 'Goals whose period overlaps this one.' }),
    scope: t.field({
      type: KpiFilterInputRef,
      required: false,
      description: 'Goals whose scope names, for every dimension given here, one of its values (region ["DE"] finds goals scoped to DE).',
    }),
  }),
});

export interface GoalFilterArg {
  status?: GoalStatus[] | null;
  kpiKey?: string[] | null;
  ownerId?: GlobalId | null;
  teamId?: GlobalId | null;
  activeAt?: Date | null;
  period?: PeriodArg | null;
  scope?: FilterArg | null;
}

/** The SQL part of a goal filter. */
export function goalWhere(ctx: GraphQLContext, filter: GoalFilterArg | null | undefined, includeArchived: boolean): Prisma.GoalWhereInput {
  const ownerUserId = optionalRowId(filter?.ownerId, 'User', 'filter.ownerId');
  const teamId = optionalRowId(filter?.teamId, 'Team', 'filter.teamId');
  const period = filter?.period ? periodInput(ctx, filter.period, 'filter.period') : undefined;
  const and: Prisma.GoalWhereInput[] = [];
  if (!includeArchived) and.push({ archivedAt: null });
  if (filter?.kpiKey) and.push({ kpiKey: { in: filter.kpiKey } });
  if (ownerUserId) and.push({ ownerUserId });
  if (teamId) and.push({ OR: [{ ownerTeamId: teamId }, { ownerUser: { teamId } }] });
  if (filter?.activeAt) {
    const activeAt = inZone(filter.activeAt, ctx.workspace.timeZone);
    and.push({ periodStart: { lte: activeAt }, periodEnd: { gt: activeAt } });
  }
  if (period) and.push({ periodStart: { lt: period.end }, periodEnd: { gt: period.start } });
  return { AND: and };
}

/** Whether a goal's scope names, for every dimension of `wanted`, at least one of its values. */
export function scopeMatches(scope: DimensionFilter, wanted: DimensionFilter): boolean {
  return (Object.entries(wanted) as [Dimension, readonly string[] | undefined][]).every(([dimension, values]) => {
    const have = scope[dimension];
    return !values || values.length === 0 || (have !== undefined && values.some((value) => have.includes(value)));
  });
}

/**
 * The goals matching a filter, ordered by id. Status filtering computes every
 * candidate's progress at once, so the KPI loader batches them.
 */
export async function findGoals(
  ctx: GraphQLContext,
  filter: GoalFilterArg | null | undefined,
  options: { includeArchived: boolean; at: Date | null | undefined; query?: object },
): Promise<Goal[]> {
  const where = goalWhere(ctx, filter, options.includeArchived);
  const wantedScope = filter?.scope ? scopeInput(filter.scope, 'filter') : undefined;
  let goals = await ctx.prisma.goal.findMany({ ...options.query, where, orderBy: { id: 'asc' } });
  if (wantedScope) goals = goals.filter((goal) => scopeMatches(goalScope(goal), wantedScope));
  listedAsOf(ctx, goals, options.at);
  const statuses = filter?.status;
  if (statuses && statuses.length > 0) {
    const progress = await Promise.all(goals.map((goal) => goalProgress(ctx, goal, askedAt(ctx, goal, options.at))));
    goals = goals.filter((_goal, index) => statuses.includes(progress[index]!.progress.status));
  }
  return goals;
}

/** The include/select the query's selection of goal nodes needs, so relations load with the list. */
const nodeQuery = (ctx: GraphQLContext, info: GraphQLResolveInfo): object => queryFromInfo({ context: ctx, info, path: ['edges', 'node'], typeName: 'Goal' });

builder.queryField('goals', (t) =>
  t.connection(
    {
      type: GoalRef,
      description: 'Goals of the workspace by id, filtered; archived ones only with includeArchived.',
      validate: pageArgs,
      args: {
        filter: t.arg({ type: GoalFilterInput, required: false }),
        at: t.arg({ type: 'DateTime', required: false, description: 'Progress (and status filters) as of this instant; default now.' }),
        includeArchived: t.arg.boolean({ required: false, defaultValue: false }),
      },
      resolve: async (_root, args, ctx, info) => {
        const goals = await findGoals(ctx, args.filter as GoalFilterArg | null | undefined, {
          includeArchived: args.includeArchived ?? false,
          at: args.at,
          query: nodeQuery(ctx, info),
        });
        return { ...resolveArrayConnection({ args }, goals), totalCount: goals.length };
      },
    },
    {
      name: 'GoalConnection',
      fields: (c) => ({
        totalCount: c.int({ description: 'Goals matching the filter, over all pages.', resolve: (connection) => (connection as { totalCount?: number }).totalCount ?? 0 }),
      }),
    },
  ),
);
