/**
 * cascadeGoal: splits a goal into child goals for teams or reps in one
 * mutation, and the re-split of children when a parent's target changes.
 */
import { Decimal } from 'decimal.js';
import type { Goal, Prisma } from '../generated/prisma/client.js';
import { splitTarget } from '../goals/cascade.js';
import type { SplitMethod } from '../goals/cascade.js';
import { goalParams, goalScope, loadGoalValue, toDecimal, toOptionalDecimal } from '../goals/goal-values.js';
import type { GoalOwner } from '../goals/owner-scope.js';
import { goalScopeFor, ownerColumns } from '../goals/owner-scope.js';
import { isAdditive } from '../goals/pacing.js';
import type { KpiDefinition } from '../kpi/define.js';
import type { DimensionFilter } from '../kpi/types.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { badUserInput, conflict } from './errors.js';
import { computedBaseline, periodInput } from './goal-inputs.js';
import type { GoalOwnerArg } from './goal-owner.js';
import { GoalOwnerInput, ownerFromInput } from './goal-owner.js';
import { rowId } from './ids.js';
import type { PeriodArg } from './kpi-inputs.js';
import { PeriodInputRef } from './kpi-inputs.js';
import { notFoundAt } from './lookups.js';
import './goal.js';

const SplitMethodEnum = builder.enumType('GoalSplitMethod', {
  description: 'How a cascade splits an additive target (rates are not split: every child gets the parent’s target).',
  values: {
    EVEN: { value: 'even', description: 'Equal parts.' },
    REFERENCE: { value: 'reference', description: 'By each child’s share of the KPI over referencePeriod (default: the previous period of the same length).' },
    WEIGHTS: { value: 'weights', description: 'By the given weights, in the children’s order.' },
  } as const,
});

const CascadeGoalInput = builder.inputType('CascadeGoalInput', {
  description: 'The children of a cascade: their owners (teams or reps) and how the target is split.',
  fields: (t) => ({
    children: t.field({ type: [GoalOwnerInput], required: true, description: 'One child goal per owner, e.g. [{ teamId: "1" }, { teamId: "2" }].' }),
    method: t.field({ type: SplitMethodEnum, required: true }),
    weights: t.field({ type: ['Decimal'], required: false, description: 'With WEIGHTS: one non-negative weight per child.' }),
    referencePeriod: t.field({ type: PeriodInputRef, required: false, description: 'With REFERENCE: the period whose shares split the target.' }),
  }),
});

/** A child's scope: its owner's own work, within the parent's explicit scope. */
function childScope(definition: KpiDefinition, parent: Goal, owner: GoalOwner, field: string): DimensionFilter {
  const own = goalScopeFor(definition, owner, null, field).scope;
  return parent.scopeFromOwner ? own : { ...goalScope(parent), ...own };
}

async function splitWeights(ctx: GraphQLContext, definition: KpiDefinition, parent: Goal, scopes: DimensionFilter[], method: SplitMethod, input: { weights?: readonly string[] | null; referencePeriod?: unknown }): Promise<Decimal[]> {
  if (method === 'even') return scopes.map(() => new Decimal(1));
  if (method === 'weights') {
    const weights = input.weights ?? [];
    if (weights.length !== scopes.length) throw badUserInput({ field: 'input.weights', message: `give one weight per child: ${scopes.length} children, ${weights.length} weights.` });
    const negative = weights.findIndex((w) => new Decimal(w).lt(0));
    if (negative >= 0) throw badUserInput({ field: `input.weights[${negative}]`, message: 'must not be negative.' });
    return weights.map((w) => new Decimal(w));
  }
  const reference = input.referencePeriod
    ? periodInput(ctx, input.referencePeriod as PeriodArg, 'input.referencePeriod')
    : null;
  const values = await Promise.all(
    scopes.map(async (scope) =>
      reference
        ? (await loadGoalValue(ctx.kpi, definition, reference, scope, goalParams(parent))).value
        : computedBaseline(ctx, definition, { period: { start: parent.periodStart, end: parent.periodEnd }, scope, params: goalParams(parent) }),
    ),
  );
  return values.map((value) => value ?? new Decimal(0));
}

builder.mutationField('cascadeGoal', (t) =>
  t.prismaField({
    type: 'Goal',
    description:
      'Splits a goal into child goals, one per given team or rep, in one transaction: same KPI, period, params and pacing; each child measures its owner’s own work within the parent’s scope. The parent’s progress then rolls up from its children. A goal that already has children is a CONFLICT (archive them first, or re-split with updateGoal(resplit: true)).',
    args: {
      id: t.arg.globalID({ required: true }),
      input: t.arg({ type: CascadeGoalInput, required: true }),
    },
    resolve: async (query, _root, { id, input }, ctx) => {
      const parent = await ctx.prisma.goal.findUnique({ where: { id: rowId(id, 'Goal', 'id') } });
      if (!parent) throw notFoundAt('id', 'Goal', id);
      if (parent.archivedAt) throw badUserInput({ field: 'id', message: 'the goal is archived.' });
      const definition = ctx.registry.get(parent.kpiKey);
      if (!definition) throw badUserInput({ field: 'id', message: `the goal’s KPI "${parent.kpiKey}" is no longer registered.` });
      if ((await ctx.goals.children(parent.id)).length > 0) throw conflict(`Goal ${parent.id} already has children; archive them first or use updateGoal(resplit: true).`);
      if (input.children.length === 0) throw badUserInput({ field: 'input.children', message: 'give at least one child owner.' });
      const owners = await Promise.all(input.children.map((child, i) => ownerFromInput(ctx, child as GoalOwnerArg, `input.children[${i}]`)));
      const scopes = owners.map((owner, i) => childScope(definition, parent, owner, `input.children[${i}]`));
      const weights = await splitWeights(ctx, definition, parent, scopes, input.method, input);
      const targets = splitTarget(toDecimal(parent.target), weights, isAdditive(definition));
      const baselines = await Promise.all(
        scopes.map((scope) => computedBaseline(ctx, definition, { period: { start: parent.periodStart, end: parent.periodEnd }, scope, params: goalParams(parent) })),
      );
      const data: Prisma.GoalCreateManyInput[] = owners.map((owner, i) => ({
        workspaceId: ctx.workspace.id,
        kpiKey: parent.kpiKey,
        target: targets[i]!.toFixed(),
        periodStart: parent.periodStart,
        periodEnd: parent.periodEnd,
        ...ownerColumns(owner),
        scope: scopes[i] as Prisma.InputJsonObject,
        scopeFromOwner: true,
        params: goalParams(parent) as Prisma.InputJsonObject,
        pacing: parent.pacing,
        parentId: parent.id,
        description: parent.description,
        rationale: parent.rationale,
        baseline: baselines[i]?.toDecimalPlaces(6).toFixed() ?? null,
      }));
      await ctx.prisma.goal.createMany({ data });
      ctx.goals.forget();
      return ctx.prisma.goal.findUniqueOrThrow({ ...query, where: { id: parent.id } });
    },
  }),
);

/**
 * Sets a parent's children's targets for its new target, keeping their
 * proportions (rates: every child gets the new target). Runs inside the
 * caller's update.
 */
export async function resplitChildren(ctx: GraphQLContext, parent: Goal, newTarget: Decimal): Promise<void> {
  const definition = ctx.registry.get(parent.kpiKey);
  const children = await ctx.goals.children(parent.id);
  if (!definition || children.length === 0) return;
  const targets = splitTarget(newTarget, children.map((child) => toOptionalDecimal(child.target) ?? new Decimal(0)), isAdditive(definition));
  await ctx.prisma.$transaction(
    children.map((child, i) => ctx.prisma.goal.update({ where: { id: child.id }, data: { target: targets[i]!.toFixed(), version: { increment: 1 } } })),
  );
  ctx.goals.forget();
}
