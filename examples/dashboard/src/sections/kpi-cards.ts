import { sparkline } from '../charts.js';
import { monthLabel } from '../dates.js';
import { dataTable, el, numberEl, statusBadge } from '../dom.js';
import { formatValue, rawValue, words } from '../format.js';
import type { DashboardKpisQuery } from '../gql/graphql.js';
import { targetStatusColour } from '../status.js';

/** One card per KPI: the value over the recent period, its target and status, and a twelve-month sparkline. */
export function renderKpiCards(container: HTMLElement, data: DashboardKpisQuery, periodText: string): void {
  const currency = data.workspace.currency;
  const list = el('ul', { class: 'cards', role: 'list' });
  for (const kpi of data.kpis) {
    const { value } = kpi;
    const text = formatValue(value, kpi.unit, currency);
    const target = value.target === null ? null : { value: value.target };
    const labels = kpi.series.map((point) => monthLabel(point.start));
    const values = kpi.series.map((point) => point.value.value);
    const canvas = el('canvas', { class: 'sparkline', 'aria-hidden': 'true' });
    const headingId = `kpi-${kpi.key}`;
    const card = el(
      'li',
      { class: 'card', 'data-kpi': kpi.key, 'aria-labelledby': headingId },
      el('h3', { id: headingId }, kpi.name),
      el('p', { class: 'big' }, numberEl(text, rawValue(value), 'value', value.reason?.message)),
      el(
        'p',
        { class: 'target' },
        statusBadge(value.status, targetStatusColour(value.status), words(value.status)),
        ' target ',
        target ? numberEl(formatValue(target, kpi.unit, currency), String(value.target), 'target') : 'none',
      ),
      el('p', { class: 'period' }, periodText),
      el('div', { class: 'spark-box' }, canvas),
      dataTable(`${kpi.name} by month`, ['Month', kpi.name], labels.map((label, i) => [label, formatValue({ value: values[i] }, kpi.unit, currency)])),
    );
    list.append(card);
    container.append(list);
    sparkline(canvas, labels, values, targetStatusColour(value.status));
  }
}
