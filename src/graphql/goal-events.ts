/**
 * Goal events in the API: `Subscription.goalEvents` (over Server-Sent
 * Events), the `GoalEvent` type, and each goal's `statusHistory`.
 */
import { GraphQLError } from 'graphql';
import type { GoalEventFilter, GoalEventPayload } from '../goals/events/types.js';
import type { StatusPeriod } from '../goals/events/history.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { badUserInput } from './errors.js';
import { GoalRef } from './goal.js';
import { GoalStatusEnum } from './goal-progress.js';

export const GoalEventKindEnum = builder.enumType('GoalEventKind', {
  description: 'What happened to a goal.',
  values: {
    STATUS_CHANGED: { description: 'Its status changed (oldStatus → newStatus).' },
    THRESHOLD_CROSSED: { description: 'Its attainment reached a threshold (50 %, 100 %, or 150 standing for the stretch target).' },
  },
});

const float = (value: string | null): number | null => (value === null ? null : Number(value));

export const GoalEventRef = builder.objectRef<GoalEventPayload>('GoalEvent').implement({
  description: 'A change of a goal, recorded once however many server processes run, with the numbers it was judged on.',
  fields: (t) => ({
    id: t.id({ description: 'Rises with every event of the workspace; pass it as `after` (or Last-Event-ID) to resume.', resolve: (e) => String(e.id) }),
    kind: t.field({ type: GoalEventKindEnum, resolve: (e) => e.kind }),
    goalId: t.globalID({ description: 'The goal’s ID.', resolve: (e) => ({ type: 'Goal', id: String(e.goalId) }) }),
    goal: t.field({
      type: GoalRef,
      nullable: true,
      description: 'The goal as it is now (null if the key may no longer see it).',
      resolve: (e, _args, ctx) => ctx.prisma.goal.findUnique({ where: { id: e.goalId } }),
    }),
    sequence: t.int({ description: 'The goal’s own event counter, 1 for its first event.', resolve: (e) => e.sequence }),
    kpiKey: t.string({ resolve: (e) => e.kpiKey }),
    ownerId: t.globalID({ nullable: true, description: 'The owning user, if a user owns the goal.', resolve: (e) => (e.ownerUserId === null ? null : { type: 'User', id: String(e.ownerUserId) }) }),
    teamId: t.globalID({ nullable: true, description: 'The owning team, or the owning user’s team.', resolve: (e) => (e.teamId === null ? null : { type: 'Team', id: String(e.teamId) }) }),
    oldStatus: t.field({ type: GoalStatusEnum, nullable: true, description: 'The status before the event.', resolve: (e) => e.oldStatus }),
    newStatus: t.field({ type: GoalStatusEnum, description: 'The status after it.', resolve: (e) => e.newStatus }),
    threshold: t.int({ nullable: true, description: 'For THRESHOLD_CROSSED: 50, 100, or 150 for the stretch target.', resolve: (e) => e.threshold }),
    attainment: t.float({ nullable: true, description: 'Actual against target (1 = on target).', resolve: (e) => float(e.attainment) }),
    actual: t.float({ nullable: true, description: 'The KPI over the period up to the event.', resolve: (e) => float(e.actual) }),
    expected: t.float({ nullable: true, description: 'Where the KPI should have stood by then.', resolve: (e) => float(e.expected) }),
    projected: t.float({ nullable: true, description: 'Where the KPI was heading at the end of the period.', resolve: (e) => float(e.projected) }),
    target: t.float({ resolve: (e) => Number(e.target) }),
    numerator: t.float({ nullable: true, description: 'The KPI’s numerator, for ratios.', resolve: (e) => float(e.numerator) }),
    denominator: t.float({ nullable: true, description: 'The KPI’s denominator, for ratios.', resolve: (e) => float(e.denominator) }),
    occurredAt: t.field({ type: 'DateTime', description: 'The instant the goal was judged at.', resolve: (e) => new Date(e.occurredAt) }),
  }),
});

export const GoalEventFilterInput = builder.inputType('GoalEventFilter', {
  description: 'Which events to receive; each list given must contain the event’s value.',
  fields: (t) => ({
    status: t.field({ type: [GoalStatusEnum], required: false, description: 'New statuses.' }),
    kpi: t.stringList({ required: false, description: 'KPI keys.' }),
    ownerId: t.globalIDList({ required: false, description: 'Owning users.' }),
    teamId: t.globalIDList({ required: false, description: 'Owning teams (or owning users’ teams).' }),
    kind: t.field({ type: [GoalEventKindEnum], required: false, description: 'Kinds of event.' }),
  }),
});

type FilterArg = typeof GoalEventFilterInput.$inferInput;

/** A filter argument as the event feed takes it. */
export function eventFilter(filter: FilterArg | null | undefined): GoalEventFilter {
  const ids = (list: readonly { id: string }[] | null | undefined) => list?.map((entry) => Number(entry.id)) ?? null;
  return { status: filter?.status ?? null, kpi: filter?.kpi ?? null, ownerId: ids(filter?.ownerId), teamId: ids(filter?.teamId), kind: filter?.kind ?? null };
}

function resumeFrom(ctx: GraphQLContext, after: string | null | undefined): number | null {
  const request = (ctx as GraphQLContext & { request?: Request }).request;
  const given = after ?? request?.headers.get('last-event-id') ?? null;
  if (given === null || given === '') return null;
  if (!/^\d+$/.test(given)) throw badUserInput({ field: 'after', message: `"${given.slice(0, 40)}" is not an event id (a GoalEvent.id, digits only).` });
  return Number(given);
}

builder.subscriptionType({ authScopes: { viewer: true }, description: 'Live events, over Server-Sent Events (send Accept: text/event-stream).' });

builder.subscriptionField('goalEvents', (t) =>
  t.field({
    type: GoalEventRef,
    description:
      'Goal events of the key’s workspace (a team-limited key: its team’s goals only) as they are recorded. With `after` (or a Last-Event-ID header) the events after that id come first, so a client that reconnects loses none.',
    args: {
      filter: t.arg({ type: GoalEventFilterInput, required: false }),
      after: t.arg.id({ required: false, description: 'Resume after this GoalEvent.id.' }),
    },
    subscribe: (_root, args, ctx) => {
      if (!ctx.goalEvents) throw new GraphQLError('Goal events are not served by this process.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      return ctx.goalEvents({ workspaceId: ctx.workspace.id, after: resumeFrom(ctx, args.after === null || args.after === undefined ? null : String(args.after)), filter: eventFilter(args.filter), teamId: ctx.auth.teamId });
    },
    resolve: (event) => event,
  }),
);

const GoalStatusPeriodRef = builder.objectRef<StatusPeriod>('GoalStatusPeriod').implement({
  description: 'A status a goal held, from when it began until the next one began.',
  fields: (t) => ({
    status: t.field({ type: GoalStatusEnum, resolve: (p) => p.status }),
    since: t.field({ type: 'DateTime', resolve: (p) => p.since }),
    until: t.field({ type: 'DateTime', nullable: true, description: 'Null for the current status.', resolve: (p) => p.until }),
  }),
});

builder.objectField(GoalRef, 'statusHistory', (t) =>
  t.field({
    type: [GoalStatusPeriodRef],
    description: 'The goal’s statuses as judged by the event detector, oldest first, each with when it began (e.g. AT_RISK since 12 March).',
    resolve: (goal, _args, ctx) => ctx.goals.statusHistory(goal.id),
  }),
);
