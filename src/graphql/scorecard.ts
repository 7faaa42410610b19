/**
 * scorecard: a person's or a team's goals active in a period, with their
 * progress, counts by status and one overall attainment, for reviews.
 */
import { getRefFromModel } from '@pothos/plugin-prisma';
import type { Goal, Team, User } from '../generated/prisma/client.js';
import type { ScorecardSummary } from '../goals/scorecard.js';
import { summarize } from '../goals/scorecard.js';
import type { TimeRange } from '../kpi/types.js';
import { builder } from './builder.js';
import { inZone } from './calendar-date.js';
import { badUserInput } from './errors.js';
import { askedAt, goalProgress } from './goal-progress.js';
import { periodInput } from './goal-inputs.js';
import { findGoals } from './goal-queries.js';
import { GoalRef } from './goal.js';
import { rowId } from './ids.js';
import type { PeriodArg } from './kpi-inputs.js';
import { PeriodInputRef } from './kpi-inputs.js';
import { PeriodRef } from './kpi-value.js';
import { notFoundAt } from './lookups.js';

const UserRef = getRefFromModel('User', builder);
const TeamRef = getRefFromModel('Team', builder);

interface ScorecardShape {
  owner: User | null;
  team: Team | null;
  period: TimeRange;
  at: Date;
  goals: Goal[];
  summary: ScorecardSummary;
}

const ScorecardRef = builder.objectRef<ScorecardShape>('Scorecard').implement({
  description: 'The goals of a user or a team active in a period, judged at `at`.',
  fields: (t) => ({
    owner: t.field({ type: UserRef, nullable: true, resolve: (s) => s.owner }),
    team: t.field({ type: TeamRef, nullable: true, resolve: (s) => s.team }),
    period: t.field({ type: PeriodRef, resolve: (s) => s.period }),
    at: t.field({ type: 'DateTime', description: 'The instant goals are judged at (each goal never past its own end).', resolve: (s) => s.at }),
    goals: t.field({ type: [GoalRef], description: 'Their progress defaults to the scorecard’s `at`.', resolve: (s) => s.goals }),
    tree: t.field({
      type: [GoalRef],
      description:
        'The cascade tree: the scorecard’s goals whose parent is not on it (a team’s goal, and a member’s goal split from a goal of someone else), in the order of `goals`. Follow `Goal.children` (each with its progress) for the goals split from them, and `progress.childrenCarrying`/`childrenMissing` for which carry or miss them.',
      resolve: (s) => {
        const onCard = new Set(s.goals.map((goal) => goal.id));
        return s.goals.filter((goal) => goal.parentId === null || !onCard.has(goal.parentId));
      },
    }),
    attainment: t.float({
      nullable: true,
      description:
        'Overall attainment: the mean of the goals’ attainments, each capped at 1.5 first so that one runaway goal cannot hide a missed one; goals without a value are left out; null when none has one.',
      resolve: (s) => s.summary.attainment?.toNumber() ?? null,
    }),
    scored: t.int({ description: 'Goals the attainment averages.', resolve: (s) => s.summary.scored }),
    total: t.int({ resolve: (s) => s.summary.total }),
    achieved: t.int({ resolve: (s) => s.summary.counts.ACHIEVED }),
    onTrack: t.int({ resolve: (s) => s.summary.counts.ON_TRACK }),
    atRisk: t.int({ resolve: (s) => s.summary.counts.AT_RISK }),
    offTrack: t.int({ resolve: (s) => s.summary.counts.OFF_TRACK }),
    missed: t.int({ resolve: (s) => s.summary.counts.MISSED }),
    notStarted: t.int({ resolve: (s) => s.summary.counts.NOT_STARTED }),
    noData: t.int({ resolve: (s) => s.summary.counts.NO_DATA }),
  }),
});

builder.queryField('scorecard', (t) =>
  t.field({
    type: ScorecardRef,
    description: 'A user’s or a team’s goals whose period overlaps `period` (archived ones left out), with progress at `at` (default now). Give exactly one of ownerId and teamId.',
    args: {
      ownerId: t.arg.globalID({ required: false }),
      teamId: t.arg.globalID({ required: false }),
      period: t.arg({ type: PeriodInputRef, required: true }),
      at: t.arg({ type: 'DateTime', required: false }),
      includeMembers: t.arg.boolean({ required: false, defaultValue: false, description: 'With teamId: also the goals of the team’s members.' }),
    },
    resolve: async (_root, args, ctx) => {
      if (!args.ownerId === !args.teamId) throw badUserInput({ field: 'ownerId', message: 'give exactly one of ownerId (a user) and teamId (a team).' });
      const period = periodInput(ctx, args.period as PeriodArg, 'period');
      const at = inZone(args.at ?? ctx.clock.now(), ctx.workspace.timeZone);
      let owner: User | null = null;
      let team: Team | null = null;
      let goals: Goal[];
      if (args.ownerId) {
        owner = await ctx.prisma.user.findUnique({ where: { id: rowId(args.ownerId, 'User', 'ownerId') } });
        if (!owner) throw notFoundAt('ownerId', 'User', args.ownerId);
        goals = await findGoals(ctx, { ownerId: args.ownerId, period: args.period as PeriodArg }, { includeArchived: false, at });
      } else {
        team = await ctx.prisma.team.findUnique({ where: { id: rowId(args.teamId!, 'Team', 'teamId') } });
        if (!team) throw notFoundAt('teamId', 'Team', args.teamId!);
        goals = await findGoals(ctx, { teamId: args.teamId, period: args.period as PeriodArg }, { includeArchived: false, at });
        if (!args.includeMembers) goals = goals.filter((goal) => goal.ownerTeamId === team!.id);
      }
      const progress = await Promise.all(goals.map((goal) => goalProgress(ctx, goal, askedAt(ctx, goal, at))));
      return { owner, team, period, at, goals, summary: summarize(progress.map((p) => p.progress)) };
    },
  }),
);
