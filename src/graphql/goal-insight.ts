/**
 * Why a goal stands where it does and what it would take: pacing used, gap
 * to the expected value, the requirement per day and week, the drivers of
 * the gap by a dimension, and a cascade parent's carrying and missing
 * children. Fields added to GoalProgress, mapped from the goal service.
 */
import type { Decimal } from 'decimal.js';
import type { Goal } from '../generated/prisma/client.js';
import type { Driver, Required } from '../goals/required.js';
import type { GoalProgressShape } from '../goals/service.js';
import type { Dimension } from '../kpi/types.js';
import { builder } from './builder.js';
import { GoalProgressRef, PacingEnum } from './goal-progress.js';
import { GoalRef } from './goal.js';
import { DimensionEnum } from './kpi-inputs.js';

const float = (value: Decimal | null): number | null => (value === null ? null : value.toNumber());

const RequiredReasonRef = builder.objectRef<NonNullable<Required['reason']>>('GoalRequiredReason').implement({
  description: 'Why nothing is required.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'ALREADY_REACHED, OUT_OF_REACH, PERIOD_ENDED, NOT_ADDITIVE (a rate: judged as it stands) or NO_DATA.' }),
    message: t.exposeString('message'),
  }),
});

const RequiredRef = builder.objectRef<Required>('GoalRequired').implement({
  description: 'What the rest of the period must deliver to reach the target (for totals; higher is better) or may still add at most (lower is better).',
  fields: (t) => ({
    remaining: t.float({ nullable: true, description: 'target − actual.', resolve: (r) => float(r.remaining) }),
    perDay: t.float({ nullable: true, description: 'remaining ÷ days left; null with a reason.', resolve: (r) => float(r.perDay) }),
    perWeek: t.float({ nullable: true, description: 'perDay × 7; null with a reason.', resolve: (r) => float(r.perWeek) }),
    daysLeft: t.float({ description: 'Days (with fractions) from `at` to the period’s end.', resolve: (r) => r.daysLeft.toNumber() }),
    reason: t.field({ type: RequiredReasonRef, nullable: true, resolve: (r) => r.reason }),
  }),
});

const DriverRef = builder.objectRef<Driver>('GoalDriver').implement({
  description: 'One group’s part in the gap: its actual against its expected share (its share of the previous period of the same length).',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The group: a row ID for team, owner and campaign, the value otherwise.' }),
    actual: t.float({ resolve: (d) => d.actual.toNumber() }),
    share: t.float({ description: 'The group’s share of the reference period, 0 to 1.', resolve: (d) => d.share.toNumber() }),
    expected: t.float({ description: 'The goal’s expected value × share.', resolve: (d) => d.expected.toNumber() }),
    contribution: t.float({ description: 'actual − expected; the contributions sum to the goal’s gap when the groups cover its scope.', resolve: (d) => d.contribution.toNumber() }),
  }),
});

/** Children that are on track or achieved carry a parent; at risk, off track or missed ones miss it. */
const carrying = new Set(['ON_TRACK', 'ACHIEVED']);
const missing = new Set(['AT_RISK', 'OFF_TRACK', 'MISSED']);
const childGoals = (p: GoalProgressShape, statuses: Set<string>): Goal[] => p.children.filter((c) => statuses.has(c.progress.status)).map((c) => c.goal);

builder.objectFields(GoalProgressRef, (t) => ({
  pacing: t.field({ type: PacingEnum, description: 'The pacing used (SEASONAL falls back to LINEAR without last year’s value; see pacingWarning).', resolve: (p) => p.pace.used }),
  pacingAsked: t.field({ type: PacingEnum, description: 'The pacing asked for: the goal’s own, else its KPI’s.', resolve: (p) => p.pacing }),
  pacingWarning: t.string({ nullable: true, resolve: (p) => p.pace.warning }),
  gap: t.float({ nullable: true, description: 'actual − expected: below 0 behind the pace (when higher is better).', resolve: (p) => float(p.gap) }),
  required: t.field({ type: RequiredRef, description: 'What it would take to reach the target by the end.', resolve: (p) => p.required }),
  drivers: t.field({
    type: [DriverRef],
    description: 'Each group of `by` and its contribution to the gap, worst first; empty for rates (HELD pacing). Batched across goals.',
    args: { by: t.arg({ type: DimensionEnum, required: true }) },
    resolve: (p, args, ctx) => ctx.goals.drivers(p.goal, p.at, args.by as Dimension),
  }),
  rolledUp: t.boolean({ description: 'Whether actual rolls up from the goal’s children (a cascade parent).', resolve: (p) => p.children.length > 0 }),
  childrenCarrying: t.field({ type: [GoalRef], description: 'Children on track or achieved.', resolve: (p) => childGoals(p, carrying) }),
  childrenMissing: t.field({ type: [GoalRef], description: 'Children at risk, off track or missed.', resolve: (p) => childGoals(p, missing) }),
}));

builder.objectField(GoalRef, 'children', (t) =>
  t.field({
    type: [GoalRef],
    description: 'The live goals split from this one (a cascade); its progress rolls up from them.',
    resolve: (goal, _args, ctx) => ctx.goals.children(goal.id),
  }),
);
