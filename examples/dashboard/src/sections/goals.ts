import { pacingChart } from '../charts.js';
import type { PacingPoints } from '../charts.js';
import { dateLabel } from '../dates.js';
import { chartCanvas, dataTable, el, numberEl, statusBadge } from '../dom.js';
import { axisFormat, formatShare, formatValue, words } from '../format.js';
import type { DashboardGoalFragment, DashboardGoalsQuery } from '../gql/graphql.js';
import { goalStatusColour } from '../status.js';

const day = 86_400_000;

/** Who owns a goal, in words. */
function ownerText(goal: DashboardGoalFragment): string {
  if (goal.owner) return goal.owner.name;
  if (goal.team) return `team ${goal.team.name}`;
  return 'company';
}

/**
 * The KPI so far at the end of each week: the API gives one value per week,
 * so totals are added up; a rate or average is shown week by week.
 */
export function actualSoFar(goal: DashboardGoalFragment): (number | null)[] {
  const { series, additive } = goal.progress;
  if (!additive) return series.map((point) => point.value);
  let sum = 0;
  return series.map((point) => (sum += point.value ?? 0));
}

function pacingPoints(goal: DashboardGoalFragment): PacingPoints {
  const start = new Date(goal.period.start).getTime();
  const days = (instant: string) => (new Date(instant).getTime() - start) / day;
  const { progress } = goal;
  const now = days(progress.at);
  const actual = actualSoFar(goal);
  return {
    actual: progress.series.map((point, i) => ({ x: days(point.end), y: actual[i] ?? null })),
    expected: progress.expected === null ? null : { x: now, y: progress.expected },
    projected: progress.projected === null || progress.actual === null ? [] : [{ x: now, y: progress.actual }, { x: days(goal.period.end), y: progress.projected }],
    target: progress.target,
    periodDays: days(goal.period.end),
    actualLabel: progress.rolledUp ? 'KPI in scope' : 'Actual',
  };
}

/** Renders a goal's status badge (also used when a live event changes it). */
export function goalBadge(status: string): HTMLElement {
  return statusBadge(status, goalStatusColour(status), words(status));
}

function goalItem(goal: DashboardGoalFragment, currency: string): HTMLElement {
  const { progress } = goal;
  const unit = goal.kpi?.unit ?? 'count';
  const name = goal.kpi?.name ?? goal.kpiKey;
  const title = goal.description || `${name}: ${ownerText(goal)}`;
  const headingId = `goal-${goal.id}`;
  const cell = (value: number | null, field: string) => numberEl(formatValue({ value }, unit, currency), value === null ? '' : String(value), field);
  const points = pacingPoints(goal);
  const soFar = actualSoFar(goal);
  const canvas = chartCanvas(
    `Pacing of ${title}: actual ${formatValue({ value: progress.actual }, unit, currency)}, expected ${formatValue({ value: progress.expected }, unit, currency)}, projected ${formatValue({ value: progress.projected }, unit, currency)}, target ${formatValue({ value: progress.target }, unit, currency)}.`,
  );
  const item = el(
    'li',
    { class: 'goal', 'data-goal-id': goal.id, 'aria-labelledby': headingId },
    el('h3', { id: headingId }, title),
    el('p', { class: 'goal-meta' }, goalBadge(progress.status), ` ${name} · ${ownerText(goal)} · ${dateLabel(goal.period.start)} to ${dateLabel(goal.period.end)} · ${words(progress.pacing)} pacing · attainment ${formatShare(progress.attainment)}`),
    el(
      'dl',
      { class: 'goal-numbers' },
      el('div', {}, el('dt', {}, 'Actual'), el('dd', {}, cell(progress.actual, 'actual'))),
      el('div', {}, el('dt', {}, 'Expected'), el('dd', {}, cell(progress.expected, 'expected'))),
      el('div', {}, el('dt', {}, 'Projected'), el('dd', {}, cell(progress.projected, 'projected'))),
      el('div', {}, el('dt', {}, 'Target'), el('dd', {}, cell(progress.target, 'target'))),
    ),
    progress.rolledUp ? el('p', { class: 'note' }, 'The actual is rolled up from the goal’s children; the weekly line is the KPI over the whole scope.') : null,
    el('div', { class: 'pacing-box' }, canvas),
    dataTable(
      `${title} week by week`,
      progress.additive ? ['Week ending', 'In the week', 'So far'] : ['Week ending', name],
      progress.series.map((point, i) => [
        dateLabel(point.end),
        formatValue({ value: point.value }, unit, currency),
        ...(progress.additive ? [formatValue({ value: soFar[i] ?? null }, unit, currency)] : []),
      ]),
    ),
  );
  queueMicrotask(() => pacingChart(canvas, points, axisFormat(unit)));
  return item;
}

/** The goals active at the dashboard's instant, each with its pacing chart. */
export function renderGoals(container: HTMLElement, data: DashboardGoalsQuery, currency: string): void {
  const goals = data.goals.edges.map((edge) => edge.node);
  container.append(
    el('p', {}, `${data.goals.totalCount} goals active; showing ${goals.length}.`),
    goals.length === 0 ? el('p', {}, 'No goal is active at this instant.') : el('ol', { class: 'goals' }, ...goals.map((goal) => goalItem(goal, currency))),
  );
}
