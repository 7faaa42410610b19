/**
 * Goals for the demo workspace: company, team and rep goals for the current
 * quarter and the last one, some cascaded, with targets set from the demo's
 * own numbers so that they land in every status (on track, at risk, off
 * track, achieved, missed). Deterministic given the data and `now`.
 */
import { Decimal } from 'decimal.js';
import type { Database } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { KpiLoader } from '../kpi/engine.js';
import { comparisonPeriod, resolvePeriod } from '../kpi/periods.js';
import { createKpiQueryService } from '../kpi/query-service-factory.js';
import type { KpiRegistry } from '../kpi/registry.js';
import type { TimeRange } from '../kpi/types.js';
import { loadGoalValue } from './goal-values.js';
import type { GoalOwner } from './owner-scope.js';
import { goalScopeFor, ownerColumns } from './owner-scope.js';
import { elapsedFraction, measuredAt } from './progress.js';
import { isAdditive } from './pacing.js';

interface DemoGoal {
  kpiKey: string;
  owner: GoalOwner;
  period: TimeRange;
  /** Target = what the goal would end at by its pace × factor: 0.9 on track, 1.05 at risk, 1.4 off track; for an ended period below 1 achieved, above 1 missed. */
  factor: number;
  description: string;
  /** Child goals; an additive parent's target is the sum of theirs, and its progress rolls up from them. */
  children?: DemoGoal[];
}

export interface DemoGoalsInput {
  db: Database;
  workspaceId: number;
  timeZone: string;
  registry: KpiRegistry;
  kpi: KpiLoader;
  now: Date;
}

function plan(teams: { id: number; users: number[] }[], thisQuarter: TimeRange, lastQuarter: TimeRange): DemoGoal[] {
  const team = (i: number): GoalOwner => ({ kind: 'team', teamId: teams[i % teams.length]!.id });
  const rep = (t: number, i: number): GoalOwner => {
    const users = teams[t % teams.length]!.users;
    return { kind: 'user', userId: users[i % users.length]! };
  };
  const company: GoalOwner = { kind: 'workspace' };
  const q = thisQuarter;
  return [
    {
      kpiKey: 'won_revenue', owner: company, period: q, factor: 1, description: 'Grow won revenue this quarter',
      children: [
        { kpiKey: 'won_revenue', owner: team(0), period: q, factor: 0.9, description: 'Won revenue, team share' },
        { kpiKey: 'won_revenue', owner: team(1), period: q, factor: 1.05, description: 'Won revenue, team share' },
        { kpiKey: 'won_revenue', owner: team(2), period: q, factor: 1.4, description: 'Won revenue, team share' },
      ],
    },
    {
      kpiKey: 'new_leads', owner: team(0), period: q, factor: 1, description: 'New leads for the team',
      children: [
        { kpiKey: 'new_leads', owner: rep(0, 0), period: q, factor: 0.8, description: 'New leads, rep share' },
        { kpiKey: 'new_leads', owner: rep(0, 1), period: q, factor: 1.5, description: 'New leads, rep share' },
      ],
    },
    { kpiKey: 'new_leads', owner: company, period: q, factor: 1.05, description: 'Fill the top of the funnel' },
    { kpiKey: 'win_rate', owner: company, period: q, factor: 1.3, description: 'Qualify harder before proposals' },
    { kpiKey: 'win_rate', owner: team(1), period: q, factor: 0.9, description: 'Keep the win rate up' },
    { kpiKey: 'won_revenue', owner: rep(1, 0), period: q, factor: 0.8, description: 'Close the pipeline this quarter' },
    { kpiKey: 'won_revenue', owner: company, period: lastQuarter, factor: 0.95, description: 'Won revenue last quarter' },
    { kpiKey: 'new_leads', owner: company, period: lastQuarter, factor: 1.15, description: 'New leads last quarter' },
    { kpiKey: 'new_customers', owner: team(1), period: lastQuarter, factor: 0.9, description: 'New customers last quarter' },
  ];
}

/** Creates the demo's goals; returns how many. */
export async function createDemoGoals(input: DemoGoalsInput): Promise<number> {
  const { db, workspaceId, timeZone, now, registry } = input;
  const rows = await db.prisma.team.findMany({ where: { workspaceId }, orderBy: { id: 'asc' }, select: { id: true, users: { where: { role: 'REP' }, orderBy: { id: 'asc' }, select: { id: true } } } });
  const teams = rows.filter((row) => row.users.length > 0).map((row) => ({ id: row.id, users: row.users.map((u) => u.id) }));
  if (teams.length === 0) return 0;
  const thisQuarter = resolvePeriod({ named: 'thisQuarter' }, { timeZone, now });
  const lastQuarter = resolvePeriod({ named: 'lastQuarter' }, { timeZone, now });
  let created = 0;
  const kpi = createKpiQueryService({ db, workspaceId, timeZone, registry, engine: input.kpi });

  /** What the goal would end at by its pace, its scope and its baseline. */
  async function measure(goal: DemoGoal) {
    const definition = registry.get(goal.kpiKey)!;
    const { scope, scopeFromOwner } = goalScopeFor(definition, goal.owner, null, 'owner');
    const at = measuredAt(goal.period, now);
    const elapsed = elapsedFraction(goal.period, at);
    const additive = isAdditive(definition);
    const [actual, baseline] = await Promise.all([
      loadGoalValue(kpi, definition, { start: goal.period.start, end: at }, scope, {}),
      loadGoalValue(kpi, definition, comparisonPeriod(goal.period, 'previousPeriod', timeZone), scope, {}),
    ]);
    const value = actual.value ?? new Decimal(0);
    const pace = additive && !elapsed.isZero() ? value.div(elapsed) : value;
    return { definition, scope, scopeFromOwner, pace, additive, baseline: baseline.value };
  }

  const round = (value: Decimal, unit: string): Decimal => (unit === 'percent' ? Decimal.min(value.toDecimalPlaces(3), 1) : unit === 'count' ? value.ceil() : value.toDecimalPlaces(0));

  async function write(goal: DemoGoal, target: Decimal, measured: Awaited<ReturnType<typeof measure>>, parentId: number | null): Promise<number> {
    const data: Prisma.GoalUncheckedCreateInput = {
      workspaceId, kpiKey: goal.kpiKey, target: target.toFixed(), periodStart: goal.period.start, periodEnd: goal.period.end,
      ...ownerColumns(goal.owner), scope: measured.scope as Prisma.InputJsonObject, scopeFromOwner: measured.scopeFromOwner,
      description: goal.description, baseline: measured.baseline?.toDecimalPlaces(6).toFixed() ?? null, parentId,
      createdAt: goal.period.start,
    };
    created += 1;
    return (await db.prisma.goal.create({ data, select: { id: true } })).id;
  }

  const goals = plan(teams, thisQuarter, lastQuarter);
  const measured = await Promise.all(goals.map(async (goal) => ({ goal, self: await measure(goal), children: await Promise.all((goal.children ?? []).map(measure)) })));
  for (const { goal, self, children } of measured) {
    if (children.length === 0) {
      await write(goal, round(self.pace.mul(goal.factor), self.definition.unit), self, null);
      continue;
    }
    const childTargets = goal.children!.map((child, i) => round(children[i]!.pace.mul(child.factor), self.definition.unit));
    const parentTarget = childTargets.reduce((sum, t) => sum.plus(t), new Decimal(0));
    const parentId = await write(goal, self.additive ? parentTarget : childTargets[0]!, self, null);
    for (const [i, child] of goal.children!.entries()) await write(child, childTargets[i]!, children[i]!, parentId);
  }
  return created;
}
