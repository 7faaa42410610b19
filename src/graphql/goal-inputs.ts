/**
 * Goal inputs and their validation: the KPI exists, the scope uses only its
 * dimensions, params pass its schema, the period is well formed, the numbers
 * fit the KPI's unit, the owner exists. Every problem is BAD_USER_INPUT (or
 * NOT_FOUND for an ID) naming the input field, raised before anything is
 * written. A missing baseline is computed through the KPI engine.
 */
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { Prisma } from '../generated/prisma/client.js';
import { targetProblems } from '../goals/rules.js';
import { validateCell } from '../kpi/cell.js';
import type { KpiDefinition } from '../kpi/define.js';
import { KpiInputError } from '../kpi/errors.js';
import type { ResolvedPeriod } from '../kpi/periods.js';
import { comparisonPeriod } from '../kpi/periods.js';
import type { DimensionFilter } from '../kpi/types.js';
import type { GoalOwner } from '../goals/owner-scope.js';
import { goalScopeFor, ownerColumns } from '../goals/owner-scope.js';
import type { Pacing } from '../goals/pacing.js';
import { builder } from './builder.js';
import type { GoalOwnerArg } from './goal-owner.js';
import { GoalOwnerInput, ownerFromInput } from './goal-owner.js';
import { PacingEnum } from './goal-progress.js';
import type { GraphQLContext } from './context.js';
import type { FieldProblem } from './errors.js';
import { badUserInput } from './errors.js';
import { loadGoalValue } from '../goals/goal-values.js';
import type { GlobalId } from './ids.js';
import { rowId } from './ids.js';
import type { FilterArg, PeriodArg } from './kpi-inputs.js';
import { KpiFilterInputRef, PeriodInputRef, filterFromArg, periodFromArg } from './kpi-inputs.js';
import { notFoundAt } from './lookups.js';

const descriptionText = z.string().trim().min(1, 'must not be empty: say what will be done').max(1000, 'must be at most 1000 characters');
const rationaleText = z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters');

export const CreateGoalInput = builder.inputType('CreateGoalInput', {
  description:
    'A SMART goal. Give its owner as owner: { userId } | { teamId } | { workspace: true }. Without a scope, a rep’s goal measures the rep’s own records (owner dimension), a team’s goal the team’s (team dimension), a company goal everything.',
  fields: (t) => ({
    kpiKey: t.string({ required: true, description: 'The KPI, e.g. churn_rate (see the kpis query).' }),
    target: t.field({ type: 'Decimal', required: true, description: 'In the KPI’s unit; a percent KPI takes a fraction: 0.8 means 80 %.' }),
    stretchTarget: t.field({ type: 'Decimal', required: false, description: 'Beyond the target in the better direction.' }),
    period: t.field({ type: PeriodInputRef, required: true, description: 'E.g. { named: THIS_QUARTER } or { start, end }.' }),
    owner: t.field({ type: GoalOwnerInput, required: false, description: 'Who owns the goal (required unless the deprecated ownerId or teamId is given).' }),
    ownerId: t.globalID({ required: false, description: 'A user who owns the goal.', deprecationReason: 'Use owner: { userId }.' }),
    teamId: t.globalID({ required: false, description: 'A team that owns the goal.', deprecationReason: 'Use owner: { teamId }.' }),
    scope: t.field({
      type: KpiFilterInputRef,
      required: false,
      description: 'Filters among the KPI’s dimensions, e.g. { region: ["DE"] }; {} measures the whole workspace. Left out: the owner’s own work (see owner).',
    }),
    pacing: t.field({ type: PacingEnum, required: false, description: 'How the goal is paced; left out: the KPI’s own pacing.' }),
    params: t.field({ type: 'JSON', required: false, description: 'The KPI’s params (see its paramsSchema).' }),
    description: t.string({ required: true, validate: descriptionText, description: 'The specific action.' }),
    rationale: t.string({ required: false, validate: rationaleText, description: 'Why the goal matters.' }),
    baseline: t.field({ type: 'Decimal', required: false, description: 'Left out: the KPI over the previous period of the same length, computed now.' }),
  }),
});

export const UpdateGoalInput = builder.inputType('UpdateGoalInput', {
  description:
    'Fields to change; those left out stay. Null clears stretchTarget and rationale; a null or left-out baseline is recomputed when the period, scope or params change. A scope that follows the owner follows a new owner too.',
  fields: (t) => ({
    target: t.field({ type: 'Decimal', required: false }),
    stretchTarget: t.field({ type: 'Decimal', required: false }),
    period: t.field({ type: PeriodInputRef, required: false }),
    owner: t.field({ type: GoalOwnerInput, required: false, description: 'A new owner.' }),
    ownerId: t.globalID({ required: false, deprecationReason: 'Use owner: { userId }.' }),
    teamId: t.globalID({ required: false, deprecationReason: 'Use owner: { teamId }.' }),
    scope: t.field({ type: KpiFilterInputRef, required: false, description: 'A new explicit scope; {} measures the whole workspace.' }),
    pacing: t.field({ type: PacingEnum, required: false, description: 'A new pacing; null: back to the KPI’s own.' }),
    params: t.field({ type: 'JSON', required: false }),
    description: t.string({ required: false, validate: descriptionText }),
    rationale: t.string({ required: false, validate: rationaleText }),
    baseline: t.field({ type: 'Decimal', required: false }),
  }),
});

/** A goal as it will be written, before validation. */
export interface GoalDraft {
  kpiKey: string;
  target: Decimal;
  stretchTarget: Decimal | null;
  period: ResolvedPeriod;
  owner: GoalOwner;
  /** Null: measure the owner's own work. */
  scope: DimensionFilter | null;
  pacing: Pacing | null;
  parentId: number | null;
  params: Record<string, unknown>;
  description: string;
  rationale: string | null;
  /** Undefined: compute it. */
  baseline: Decimal | null | undefined;
}

/** Prefixes an engine field (`filter.region`, `params.x`, `period`) with the input path it came from. */
function inputField(prefix: string, engineField: string): string {
  if (engineField.startsWith('filter')) return `${prefix}.scope${engineField.slice('filter'.length)}`;
  return `${prefix}.${engineField}`;
}

/** The period argument resolved in the workspace's zone; engine errors name `field`. */
export function periodInput(ctx: GraphQLContext, arg: PeriodArg, field: string): ResolvedPeriod {
  try {
    return periodFromArg(arg, ctx, field);
  } catch (error) {
    // The engine names its own input `period…`; say which input it was here.
    const engineField = error instanceof KpiInputError ? error.field : (error as { extensions?: { field?: unknown } }).extensions?.field;
    if (typeof engineField === 'string' && engineField.startsWith('period') && !engineField.startsWith(field)) {
      const message = error instanceof KpiInputError ? error.message : ((error as { extensions?: { problems?: { message: string }[] } }).extensions?.problems?.[0]?.message ?? (error as Error).message);
      throw new KpiInputError(`${field}${engineField.slice('period'.length)}`, message);
    }
    throw error;
  }
}

/** The scope argument as an engine filter; malformed IDs name their field. */
export function scopeInput(arg: FilterArg | null | undefined, prefix: string): DimensionFilter {
  try {
    return filterFromArg(arg);
  } catch (error) {
    const extensions = (error as { extensions?: { field?: string } }).extensions;
    if (extensions?.field?.startsWith('filter')) throw badUserInput({ field: inputField(prefix, extensions.field), message: (error as Error).message });
    throw error;
  }
}

const jsonObject = z.record(z.string(), z.unknown());
export function paramsInput(params: unknown, field: string): Record<string, unknown> {
  if (params == null) return {};
  const parsed = jsonObject.safeParse(params);
  if (!parsed.success) throw badUserInput({ field, message: 'must be a JSON object of the KPI’s params.' });
  return parsed.data;
}

export const decimalInput = (value: string | null | undefined): Decimal | null | undefined => (value == null ? (value as null | undefined) : new Decimal(value));

/** The owner of a goal input: `owner`, or one of the deprecated ownerId and teamId; exactly one form, and it exists in the workspace. */
export async function ownerInput(
  ctx: GraphQLContext,
  input: { owner?: GoalOwnerArg | null; ownerId?: GlobalId | null; teamId?: GlobalId | null },
  prefix: string,
): Promise<GoalOwner> {
  const forms = [input.owner != null, input.ownerId != null, input.teamId != null].filter(Boolean).length;
  if (forms !== 1) throw badUserInput({ field: `${prefix}.owner`, message: 'give exactly one owner: owner: { userId } | { teamId } | { workspace: true }.' });
  if (input.owner) return ownerFromInput(ctx, input.owner, `${prefix}.owner`);
  if (input.ownerId) {
    const user = await ctx.prisma.user.findUnique({ where: { id: rowId(input.ownerId, 'User', `${prefix}.ownerId`) }, select: { id: true } });
    if (!user) throw notFoundAt(`${prefix}.ownerId`, 'User', input.ownerId);
    return { kind: 'user', userId: user.id };
  }
  const team = await ctx.prisma.team.findUnique({ where: { id: rowId(input.teamId!, 'Team', `${prefix}.teamId`) }, select: { id: true } });
  if (!team) throw notFoundAt(`${prefix}.teamId`, 'Team', input.teamId!);
  return { kind: 'team', teamId: team.id };
}

/** Every team, owner and campaign ID in a scope exists in the workspace (one query per dimension used). */
export async function checkScopeIds(ctx: GraphQLContext, scope: DimensionFilter, prefix: string): Promise<void> {
  const tables = {
    team: (ids: number[]) => ctx.prisma.team.findMany({ where: { id: { in: ids } }, select: { id: true } }),
    owner: (ids: number[]) => ctx.prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true } }),
    campaign: (ids: number[]) => ctx.prisma.campaign.findMany({ where: { id: { in: ids } }, select: { id: true } }),
  };
  for (const [dimension, find] of Object.entries(tables)) {
    const ids = scope[dimension as keyof typeof tables]?.map(Number) ?? [];
    if (ids.length === 0) continue;
    const found = new Set((await find(ids)).map((row) => row.id));
    const missing = ids.findIndex((id) => !found.has(id));
    if (missing >= 0) throw badUserInput({ field: `${prefix}.scope.${dimension}[${missing}]`, message: 'was not found in this workspace.' });
  }
}

/**
 * Validates a draft against its KPI and fills in a missing baseline (the KPI
 * over the previous period of the same length, through the engine). Throws
 * BAD_USER_INPUT listing every problem of the numbers at once.
 */
export async function validateDraft(ctx: GraphQLContext, draft: GoalDraft, prefix = 'input'): Promise<{ definition: KpiDefinition; data: Omit<Prisma.GoalUncheckedCreateInput, 'workspaceId'> }> {
  const definition = ctx.registry.get(draft.kpiKey);
  if (!definition) throw badUserInput({ field: `${prefix}.kpiKey`, message: `unknown KPI "${draft.kpiKey}"; the kpis query lists them.` });
  let scope: DimensionFilter;
  let scopeFromOwner: boolean;
  try {
    ({ scope, scopeFromOwner } = goalScopeFor(definition, draft.owner, draft.scope, `${prefix}.owner`));
    validateCell({ kpiKey: draft.kpiKey, period: draft.period, filter: scope, params: draft.params }, ctx.registry, {
      maxRangeDays: ctx.config.KPI_MAX_RANGE_DAYS,
      maxBuckets: ctx.config.KPI_MAX_BUCKETS,
    });
  } catch (error) {
    // The engine names its own inputs (`filter.region`, `params.x`): say which goal input they came from.
    if (error instanceof KpiInputError) throw new KpiInputError(error.field.startsWith(prefix) ? error.field : inputField(prefix, error.field), error.message);
    throw error;
  }
  const problems: FieldProblem[] = targetProblems(definition, draft.target, draft.stretchTarget, draft.baseline ?? null).map((p) => ({
    field: `${prefix}.${p.field}`,
    message: p.message,
  }));
  if (problems.length > 0) throw badUserInput(problems);
  await checkScopeIds(ctx, scope, prefix);
  const baseline = draft.baseline === undefined ? await computedBaseline(ctx, definition, { ...draft, scope }) : draft.baseline;
  return {
    definition,
    data: {
      kpiKey: draft.kpiKey,
      target: draft.target.toFixed(),
      stretchTarget: draft.stretchTarget?.toFixed() ?? null,
      periodStart: draft.period.start,
      periodEnd: draft.period.end,
      ...ownerColumns(draft.owner),
      scope: scope as Prisma.InputJsonObject,
      scopeFromOwner,
      pacing: draft.pacing,
      parentId: draft.parentId,
      params: draft.params as Prisma.InputJsonObject,
      description: draft.description,
      rationale: draft.rationale,
      baseline: baseline?.toDecimalPlaces(6).toFixed() ?? null,
    },
  };
}

/** The KPI over the period just before the goal's (the previous calendar units for whole months, quarters, years). */
export async function computedBaseline(ctx: GraphQLContext, definition: KpiDefinition, draft: Pick<GoalDraft, 'period' | 'params'> & { scope: DimensionFilter }): Promise<Decimal | null> {
  const previous = comparisonPeriod(draft.period, 'previousPeriod', ctx.workspace.timeZone);
  return (await loadGoalValue(ctx.kpi, definition, previous, draft.scope, draft.params)).value;
}
