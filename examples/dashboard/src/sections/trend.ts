import { lineChart } from '../charts.js';
import { monthLabel } from '../dates.js';
import { chartCanvas, dataTable, el } from '../dom.js';
import { axisFormat, formatValue } from '../format.js';
import type { DashboardTrendQuery } from '../gql/graphql.js';

/** A KPI month by month, one line per team. */
export function renderTrend(container: HTMLElement, data: DashboardTrendQuery, currency: string): void {
  const { kpi } = data;
  const labels = kpi.series.map((point) => monthLabel(point.start));
  const teams = new Map<string, string>();
  for (const point of kpi.series) for (const group of point.breakdown) teams.set(group.key ?? group.label, group.label);
  const lines = [...teams].map(([key, label]) => ({
    label,
    values: kpi.series.map((point) => point.breakdown.find((group) => (group.key ?? group.label) === key)?.value.value ?? null),
  }));
  const canvas = chartCanvas(`${kpi.name} by team and month, ${labels[0]} to ${labels.at(-1)}: ${lines.length} teams. The table below has every value.`);
  container.append(
    el('div', { class: 'chart-box' }, canvas),
    dataTable(
      `${kpi.name} by team`,
      ['Month', ...lines.map((line) => line.label)],
      labels.map((label, i) => [label, ...lines.map((line) => formatValue({ value: line.values[i] }, kpi.unit, currency))]),
    ),
  );
  lineChart(canvas, labels, lines, axisFormat(kpi.unit));
}
