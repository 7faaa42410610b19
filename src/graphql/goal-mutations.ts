/**
 * createGoal, updateGoal and archiveGoal. Updates and archiving carry the
 * goal's version and apply only if it is still current (one conditional
 * UPDATE), so two editors never overwrite each other unseen.
 */
import type { Goal } from '../generated/prisma/client.js';
import { ownerOf } from '../goals/owner-scope.js';
import type { Pacing } from '../goals/pacing.js';
import { workspaceKpiVersion } from '../kpi/workspace-kpis.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { badUserInput, conflict } from './errors.js';
import type { GoalDraft } from './goal-inputs.js';
import { CreateGoalInput, UpdateGoalInput, decimalInput, ownerInput, paramsInput, periodInput, scopeInput, validateDraft } from './goal-inputs.js';
import { goalParams, goalScope, toDecimal, toOptionalDecimal } from '../goals/goal-values.js';
import type { GlobalId } from './ids.js';
import { rowId } from './ids.js';
import { notFoundAt } from './lookups.js';
import type { PeriodArg } from './kpi-inputs.js';
import { resplitChildren } from './goal-cascade.js';
import './goal.js';

builder.mutationField('createGoal', (t) =>
  t.prismaField({
    type: 'Goal',
    description: 'Creates a SMART goal. Left out, the baseline is the KPI over the previous period of the same length. See warnings on the goal.',
    args: { input: t.arg({ type: CreateGoalInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const draft: GoalDraft = {
        kpiKey: input.kpiKey,
        target: decimalInput(input.target)!,
        stretchTarget: decimalInput(input.stretchTarget) ?? null,
        period: periodInput(ctx, input.period as PeriodArg, 'input.period'),
        owner: await ownerInput(ctx, input, 'input'),
        scope: input.scope == null ? null : scopeInput(input.scope, 'input'),
        pacing: input.pacing ?? null,
        parentId: null,
        params: paramsInput(input.params, 'input.params'),
        description: input.description,
        rationale: input.rationale ?? null,
        baseline: decimalInput(input.baseline) ?? undefined,
      };
      const { data } = await validateDraft(ctx, draft);
      // A goal on a workspace KPI keeps measuring the version it was set on.
      const kpiVersion = workspaceKpiVersion(ctx.registry, draft.kpiKey);
      const { id } = await ctx.prisma.goal.create({ data: { ...data, workspaceId: ctx.workspace.id, ...(kpiVersion ? { kpiVersion } : {}) }, select: { id: true } });
      return ctx.prisma.goal.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

async function currentGoal(ctx: GraphQLContext, id: GlobalId, version: number): Promise<Goal> {
  const goal = await ctx.prisma.goal.findUnique({ where: { id: rowId(id, 'Goal', 'id') } });
  if (!goal) throw notFoundAt('id', 'Goal', id);
  if (goal.version !== version) throw stale(goal.version, version);
  return goal;
}

const stale = (current: number, given: number) =>
  conflict(`The goal was changed since you read it (version ${current}, you sent ${given}); read it again and reapply your change.`);

/** The row is updated only if its version is still `version`; a concurrent change in between is a CONFLICT. */
async function updateIfCurrent(ctx: GraphQLContext, goal: Goal, version: number, data: Parameters<GraphQLContext['prisma']['goal']['updateMany']>[0]['data']): Promise<void> {
  const { count } = await ctx.prisma.goal.updateMany({ where: { id: goal.id, version }, data: { ...data, version: { increment: 1 } } });
  if (count === 0) {
    const now = await ctx.prisma.goal.findUnique({ where: { id: goal.id }, select: { version: true } });
    throw stale(now?.version ?? version + 1, version);
  }
}

builder.mutationField('updateGoal', (t) =>
  t.prismaField({
    type: 'Goal',
    description: 'Changes a goal if `version` is still current (else CONFLICT, nothing changed); the whole goal is validated again.',
    args: {
      id: t.arg.globalID({ required: true }),
      version: t.arg.int({ required: true }),
      input: t.arg({ type: UpdateGoalInput, required: true }),
      resplit: t.arg.boolean({
        required: false,
        defaultValue: false,
        description: 'With a new target on a cascade parent: set its children’s targets for it too, keeping their proportions (rates: every child gets the new target).',
      }),
    },
    resolve: async (query, _root, { id, version, input, resplit }, ctx) => {
      const goal = await currentGoal(ctx, id, version);
      if (goal.archivedAt) throw badUserInput({ field: 'id', message: 'the goal is archived; archived goals do not change.' });
      const owner = input.owner || input.ownerId || input.teamId ? await ownerInput(ctx, input, 'input') : ownerOf(goal);
      const period = input.period ? periodInput(ctx, input.period as PeriodArg, 'input.period') : { start: goal.periodStart, end: goal.periodEnd };
      // A scope that follows the owner is derived again (from a new owner, too).
      const scope = input.scope ? scopeInput(input.scope, 'input') : goal.scopeFromOwner ? null : goalScope(goal);
      const params = input.params !== undefined && input.params !== null ? paramsInput(input.params, 'input.params') : goalParams(goal);
      // The baseline describes the measured thing: when that changes and no
      // new baseline is given, it is computed again.
      const ownerChanged = Boolean(input.owner || input.ownerId || input.teamId);
      const measuredChanged = Boolean(input.period || input.scope || (goal.scopeFromOwner && ownerChanged) || (input.params !== undefined && input.params !== null));
      const givenBaseline = decimalInput(input.baseline);
      const draft: GoalDraft = {
        kpiKey: goal.kpiKey,
        target: decimalInput(input.target) ?? toDecimal(goal.target),
        stretchTarget: input.stretchTarget === undefined ? toOptionalDecimal(goal.stretchTarget) : (decimalInput(input.stretchTarget) ?? null),
        period,
        owner,
        scope,
        pacing: input.pacing === undefined ? (goal.pacing as Pacing | null) : (input.pacing ?? null),
        parentId: goal.parentId,
        params,
        description: input.description ?? goal.description,
        rationale: input.rationale === undefined ? goal.rationale : (input.rationale ?? null),
        baseline: givenBaseline ?? (measuredChanged || input.baseline === null ? undefined : toOptionalDecimal(goal.baseline)),
      };
      const { data } = await validateDraft(ctx, draft);
      await updateIfCurrent(ctx, goal, version, data);
      if (resplit && input.target) await resplitChildren(ctx, goal, draft.target);
      ctx.goals.forget();
      return ctx.prisma.goal.findUniqueOrThrow({ ...query, where: { id: goal.id } });
    },
  }),
);

builder.mutationField('archiveGoal', (t) =>
  t.prismaField({
    type: 'Goal',
    description: 'Archives a goal if `version` is still current: it leaves lists and scorecards (goals(includeArchived: true) still shows it).',
    args: {
      id: t.arg.globalID({ required: true }),
      version: t.arg.int({ required: true }),
    },
    resolve: async (query, _root, { id, version }, ctx) => {
      const goal = await currentGoal(ctx, id, version);
      if (goal.archivedAt) throw badUserInput({ field: 'id', message: `the goal was already archived at ${goal.archivedAt.toISOString()}.` });
      await updateIfCurrent(ctx, goal, version, { archivedAt: ctx.clock.now() });
      return ctx.prisma.goal.findUniqueOrThrow({ ...query, where: { id: goal.id } });
    },
  }),
);
