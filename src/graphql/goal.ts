/**
 * The Goal node: a SMART goal on a KPI (target, period, owner, scope,
 * params, description, rationale, baseline) and its progress.
 */
import { goalWarnings } from '../goals/rules.js';
import { targetAlreadyMet } from '../goals/progress.js';
import { scopeText } from '../goals/templates.js';
import type { DimensionFilter } from '../kpi/types.js';
import { ownerOf } from '../goals/owner-scope.js';
import type { Pacing } from '../goals/pacing.js';
import { builder } from './builder.js';
import { GoalProgressRef, PacingEnum, askedAt, goalProgress } from './goal-progress.js';
import { goalScope, toDecimal, toOptionalDecimal } from '../goals/goal-values.js';
import { KpiDefinitionRef } from './kpi.js';
import { PeriodRef } from './kpi-value.js';

const idDimensions = { team: 'Team', owner: 'User', campaign: 'Campaign' } as const;

/** Scope row IDs as global IDs of their type. */
function ids(scope: DimensionFilter, dimension: keyof typeof idDimensions): { type: string; id: string }[] {
  return scope[dimension]?.map((id) => ({ type: idDimensions[dimension], id })) ?? [];
}

const GoalScopeRef = builder.objectRef<DimensionFilter>('GoalScope').implement({
  description: 'The records a goal’s KPI is measured over: each non-empty dimension keeps records with one of its values; all empty: the whole workspace.',
  fields: (t) => ({
    summary: t.string({ description: 'E.g. "region DE, channel referral"; "whole workspace" when empty.', resolve: (s) => scopeText(s) || 'whole workspace' }),
    team: t.globalIDList({ resolve: (s) => ids(s, 'team') }),
    owner: t.globalIDList({ resolve: (s) => ids(s, 'owner') }),
    campaign: t.globalIDList({ resolve: (s) => ids(s, 'campaign') }),
    channel: t.stringList({ resolve: (s) => [...(s.channel ?? [])] }),
    region: t.stringList({ resolve: (s) => [...(s.region ?? [])] }),
    productLine: t.stringList({ resolve: (s) => [...(s.productLine ?? [])] }),
    industry: t.stringList({ resolve: (s) => [...(s.industry ?? [])] }),
    dealType: t.stringList({ resolve: (s) => [...(s.dealType ?? [])] }),
    stage: t.stringList({ resolve: (s) => [...(s.stage ?? [])] }),
    rfmSegment: t.stringList({ resolve: (s) => [...(s.rfmSegment ?? [])] }),
  }),
});

const decimalText = (value: { toFixed(): string } | null): string | null => (value === null ? null : toDecimal(value).toFixed());

export const GoalRef = builder.prismaNode('Goal', {
  id: { field: 'id' },
  // Unknown and other workspaces' IDs resolve to null, not an error.
  nullable: true,
  description: 'A SMART goal: a target on a KPI over a period, for an owner or a team, within a scope.',
  fields: (t) => ({
    kpiKey: t.exposeString('kpiKey'),
    kpiVersion: t.int({
      nullable: true,
      description: 'For a KPI defined in the workspace (defineKpi): the version of its formula the goal measures, the one current when it was set; null for a plugin’s KPI.',
      resolve: (goal) => goal.kpiVersion,
    }),
    kpi: t.field({
      type: KpiDefinitionRef,
      nullable: true,
      description: 'Null if the KPI’s plugin is no longer registered.',
      resolve: (goal, _args, ctx) => ctx.registry.get(goal.kpiKey) ?? null,
    }),
    target: t.float({ description: 'In the KPI’s unit; rates as fractions (0.8 is 80 %).', resolve: (goal) => toDecimal(goal.target).toNumber() }),
    targetExact: t.string({ resolve: (goal) => toDecimal(goal.target).toFixed() }),
    stretchTarget: t.float({ nullable: true, resolve: (goal) => toOptionalDecimal(goal.stretchTarget)?.toNumber() ?? null }),
    stretchTargetExact: t.string({ nullable: true, resolve: (goal) => decimalText(goal.stretchTarget) }),
    baseline: t.float({
      nullable: true,
      description: 'The KPI to compare with: given, or computed over the previous period of the same length at creation.',
      resolve: (goal) => toOptionalDecimal(goal.baseline)?.toNumber() ?? null,
    }),
    baselineExact: t.string({ nullable: true, resolve: (goal) => decimalText(goal.baseline) }),
    period: t.field({ type: PeriodRef, resolve: (goal) => ({ start: goal.periodStart, end: goal.periodEnd }) }),
    owner: t.relation('ownerUser', { nullable: true, description: 'The user who owns the goal (or null when a team does).' }),
    team: t.relation('ownerTeam', { nullable: true, description: 'The team that owns the goal (or null when a user does).' }),
    scope: t.field({ type: GoalScopeRef, resolve: (goal) => goalScope(goal) }),
    scopeFromOwner: t.exposeBoolean('scopeFromOwner', {
      description: 'True when the scope was derived from the owner (a rep’s goal measures the owner dimension, a team’s the team dimension); false when given.',
    }),
    ownerKind: t.string({
      description: 'USER, TEAM or WORKSPACE (a company goal, measuring everything unless scoped).',
      resolve: (goal) => ownerOf(goal).kind.toUpperCase(),
    }),
    pacing: t.field({
      type: PacingEnum,
      nullable: true,
      description: 'The goal’s own pacing; null: its KPI’s (progress.pacing says which was used).',
      resolve: (goal) => (goal.pacing as Pacing | null) ?? null,
    }),
    parent: t.relation('parent', { nullable: true, description: 'The goal this one was split from by a cascade.' }),
    params: t.field({ type: 'JSON', resolve: (goal) => goal.params }),
    description: t.exposeString('description', { description: 'The specific action.' }),
    rationale: t.exposeString('rationale', { nullable: true, description: 'Why the goal matters.' }),
    version: t.exposeInt('version', { description: 'Pass it to updateGoal and archiveGoal; a stale one is a CONFLICT.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    archivedAt: t.expose('archivedAt', { type: 'DateTime', nullable: true }),
    targetAlreadyMet: t.boolean({
      description: 'The baseline already meets the target in the better direction: allowed, but the goal asks for nothing new.',
      resolve: (goal, _args, ctx) => {
        const definition = ctx.registry.get(goal.kpiKey);
        return definition ? targetAlreadyMet(toOptionalDecimal(goal.baseline), toDecimal(goal.target), definition.direction) : false;
      },
    }),
    warnings: t.stringList({
      description: 'Things to reconsider, e.g. a target the baseline already meets, or no baseline.',
      resolve: (goal, _args, ctx) => {
        const definition = ctx.registry.get(goal.kpiKey);
        if (!definition) return [`KPI "${goal.kpiKey}" is no longer registered.`];
        return goalWarnings(definition, toDecimal(goal.target), toOptionalDecimal(goal.baseline));
      },
    }),
    progress: t.field({
      type: GoalProgressRef,
      description: 'Progress at `at` (default: the list’s `at`, else now), never measured past the period’s end.',
      args: { at: t.arg({ type: 'DateTime', required: false }) },
      resolve: (goal, args, ctx) => goalProgress(ctx, goal, askedAt(ctx, goal, args.at)),
    }),
  }),
});
