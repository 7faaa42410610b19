import { barChart } from '../charts.js';
import { chartCanvas, dataTable, el } from '../dom.js';
import { axisFormat, formatShare, words } from '../format.js';
import type { DashboardRfmQuery } from '../gql/graphql.js';

/** RFM segments: each segment's share of the paying customers. */
export function renderRfm(container: HTMLElement, data: DashboardRfmQuery): void {
  const groups = data.kpi.breakdown;
  const canvas = chartCanvas(`RFM segments: ${groups.map((group) => `${words(group.label)} ${formatShare(group.value.value)}`).join(', ')}.`);
  container.append(
    el('div', { class: 'chart-box' }, canvas),
    dataTable(
      'Share of paying customers by RFM segment',
      ['Segment', 'Customers', 'Share'],
      groups.map((group) => [words(group.label), group.value.numerator ?? '–', formatShare(group.value.value)]),
    ),
  );
  barChart(canvas, groups.map((group) => words(group.label)), groups.map((group) => group.value.value), 'Share of paying customers', axisFormat('percent'), true);
}
