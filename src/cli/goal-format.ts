import type { CsvValue } from './output.js';
import { formatInstant, formatPercent, formatPeriod, formatValue, missing } from './output.js';

/** A goal as the CLI's operations select it. */
export interface GoalNode {
  id: string;
  kpiKey: string;
  kpi: { name: string; unit: string; direction: string } | null;
  description: string;
  rationale?: string | null;
  owner: { id: string; name: string } | null;
  team: { id: string; name: string } | null;
  scope: { summary: string };
  ownerKind?: string;
  parent?: { id: string } | null;
  period: { start: string; end: string };
  target: number;
  stretchTarget: number | null;
  baseline: number | null;
  archivedAt: string | null;
  warnings?: string[];
  progress: GoalProgress | null;
}

export interface GoalProgress {
  at: string;
  elapsedFraction: number;
  actual: number | null;
  expected: number | null;
  projected: number | null;
  target: number;
  attainment: number | null;
  additive?: boolean;
  status: string;
  reason: { code: string; message: string } | null;
  pacing?: string;
  gap?: number | null;
  required?: { perDay: number | null; perWeek: number | null; reason: { code: string; message: string } | null };
  series?: { start: string; end: string; value: number | null }[];
}

/** The numeric row ID inside a global ID (`R29hbDoxMg==` is Goal:12), which people type. */
export function rowIdOf(globalId: string): string {
  const decoded = Buffer.from(globalId, 'base64').toString('utf8');
  const match = /^[A-Za-z]+:(\d+)$/.exec(decoded);
  return match ? match[1]! : globalId;
}

const unitOf = (goal: GoalNode): string => goal.kpi?.unit ?? 'RATIO';

/** The user who owns the goal, or the team marked as one. */
export function ownerText(goal: GoalNode): string {
  if (goal.owner) return goal.owner.name;
  if (goal.team) return `${goal.team.name} (team)`;
  return missing;
}

/** How bad a status is for `--fail-on`: MISSED is worse than OFF_TRACK, which is worse than AT_RISK. */
export const statusSeverity: Record<string, number> = { AT_RISK: 1, OFF_TRACK: 2, MISSED: 3 };
export const failOnThreshold = { 'at-risk': 1, 'off-track': 2 } as const;

/**
 * The documented JSON record of a goal (README "Scripted goal queries"):
 * raw numbers in the KPI's unit, rates as fractions, instants in ISO UTC.
 */
export function goalJson(goal: GoalNode) {
  const p = goal.progress;
  return {
    id: goal.id,
    number: Number(rowIdOf(goal.id)),
    kpi: goal.kpiKey,
    kpiName: goal.kpi?.name ?? null,
    unit: goal.kpi?.unit ?? null,
    direction: goal.kpi?.direction ?? null,
    description: goal.description,
    owner: goal.owner ? { id: goal.owner.id, name: goal.owner.name } : null,
    team: goal.team ? { id: goal.team.id, name: goal.team.name } : null,
    scope: goal.scope.summary,
    ownerKind: goal.ownerKind ?? null,
    parent: goal.parent ? Number(rowIdOf(goal.parent.id)) : null,
    period: goal.period,
    at: p?.at ?? null,
    elapsed: p?.elapsedFraction ?? null,
    actual: p?.actual ?? null,
    expected: p?.expected ?? null,
    projected: p?.projected ?? null,
    target: goal.target,
    stretchTarget: goal.stretchTarget,
    baseline: goal.baseline,
    attainment: p?.attainment ?? null,
    status: p?.status ?? null,
    reason: p?.reason ?? null,
    pacing: p?.pacing ?? null,
    gap: p?.gap ?? null,
    required: p?.required ?? null,
    archived: goal.archivedAt !== null,
  };
}

export const goalCsvHeader = [
  'id', 'number', 'kpi', 'description', 'owner', 'team', 'scope', 'period_start', 'period_end',
  'actual', 'expected', 'projected', 'target', 'attainment', 'status',
] as const;

export function goalCsvRow(goal: GoalNode): CsvValue[] {
  const p = goal.progress;
  return [
    goal.id, rowIdOf(goal.id), goal.kpiKey, goal.description, goal.owner?.name, goal.team?.name, goal.scope.summary,
    goal.period.start, goal.period.end, p?.actual, p?.expected, p?.projected, goal.target, p?.attainment, p?.status,
  ];
}

/** Table cells for people, in the KPI's unit and the workspace's calendar. */
export function goalCells(goal: GoalNode, timeZone: string) {
  const unit = unitOf(goal);
  const p = goal.progress;
  return {
    number: rowIdOf(goal.id),
    description: goal.description.length > 40 ? `${goal.description.slice(0, 39)}…` : goal.description,
    kpi: goal.kpiKey,
    owner: ownerText(goal),
    period: formatPeriod(goal.period, timeZone),
    actual: formatValue(p?.actual, unit),
    expected: formatValue(p?.expected, unit),
    projected: formatValue(p?.projected, unit),
    target: formatValue(goal.target, unit),
    attainment: formatPercent(p?.attainment),
    status: p?.status ?? missing,
    at: p ? formatInstant(p.at, timeZone) : missing,
  };
}
