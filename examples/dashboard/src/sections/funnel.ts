import { barChart } from '../charts.js';
import { chartCanvas, el, numberEl } from '../dom.js';
import { axisFormat, formatShare, words } from '../format.js';
import type { DashboardFunnelQuery, FunnelStepFragment } from '../gql/graphql.js';

export const funnelStages = ['lead', 'qualified', 'needsAnalysis', 'proposal', 'negotiation'] as const;
const stageNames: Record<(typeof funnelStages)[number], string> = {
  lead: 'LEAD',
  qualified: 'QUALIFIED',
  needsAnalysis: 'NEEDS_ANALYSIS',
  proposal: 'PROPOSAL',
  negotiation: 'NEGOTIATION',
};

/** The funnel: per stage, the deals that entered it, how many went on, and the conversion. */
export function renderFunnel(container: HTMLElement, data: DashboardFunnelQuery): void {
  const steps: [string, FunnelStepFragment][] = funnelStages.map((alias) => [words(stageNames[alias]), data.kpi[alias]]);
  const canvas = chartCanvas(`Stage conversion: ${steps.map(([stage, step]) => `${stage} ${formatShare(step.value)}`).join(', ')}.`);
  const rows = steps.map(([stage, step], i) =>
    el(
      'tr',
      { 'data-stage': funnelStages[i]! },
      el('th', { scope: 'row' }, stage),
      el('td', {}, numberEl(step.denominator ?? '–', step.denominator ?? '', 'entered')),
      el('td', {}, numberEl(step.numerator ?? '–', step.numerator ?? '', 'went-on')),
      el('td', {}, numberEl(formatShare(step.value), step.value === null ? '' : String(step.value), 'conversion', step.reason?.message)),
    ),
  );
  container.append(
    el('div', { class: 'chart-box' }, canvas),
    el(
      'table',
      { class: 'funnel' },
      el('caption', {}, 'Deals that entered each stage in the period and went on to a later stage'),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Stage'), el('th', { scope: 'col' }, 'Entered'), el('th', { scope: 'col' }, 'Went on'), el('th', { scope: 'col' }, 'Conversion'))),
      el('tbody', {}, ...rows),
    ),
  );
  barChart(canvas, steps.map(([stage]) => stage), steps.map(([, step]) => step.value), 'Conversion to a later stage', axisFormat('percent'));
}
