import { request } from './api.js';
import { cardKpis, trendKpi } from './config.js';
import { dateLabel, instantFromLocation, periodsAt } from './dates.js';
import { el } from './dom.js';
import { DashboardFunnelDocument, DashboardGoalsDocument, DashboardKpisDocument, DashboardRfmDocument, DashboardTrendDocument } from './gql/graphql.js';
import { renderFunnel } from './sections/funnel.js';
import { renderGoals } from './sections/goals.js';
import { renderKpiCards } from './sections/kpi-cards.js';
import { startLiveEvents } from './sections/live.js';
import { renderRfm } from './sections/rfm.js';
import { renderTrend } from './sections/trend.js';

const section = (id: string): HTMLElement => document.getElementById(id)!.querySelector<HTMLElement>('.body')!;

/** Runs one section: "Loading…" until its data is drawn, or the error in words. */
async function load(id: string, work: (body: HTMLElement) => Promise<void>): Promise<void> {
  const body = section(id);
  body.setAttribute('aria-busy', 'true');
  try {
    await work(body);
    body.querySelector('.loading')?.remove();
  } catch (error) {
    body.replaceChildren(el('p', { class: 'error', role: 'alert' }, `Could not load this part: ${error instanceof Error ? error.message : String(error)}`));
    throw error;
  } finally {
    body.removeAttribute('aria-busy');
  }
}

async function main(): Promise<void> {
  const periods = periodsAt(instantFromLocation(location.search));
  document.body.dataset['at'] = periods.at;
  const recentText = `${periods.recent.start} to ${dateLabel(periods.at)}`;
  document.getElementById('as-of')!.textContent = `Values at ${periods.at}; cards, funnel and segments over ${recentText}, charts by month since ${periods.year.start}.`;
  const kpis = request(DashboardKpisDocument, { keys: cardKpis, period: periods.recent, range: periods.year });
  const currency = kpis.then((data) => data.workspace.currency);
  const results = await Promise.allSettled([
    load('kpis', async (body) => {
      const data = await kpis;
      document.getElementById('workspace')!.textContent = data.workspace.name;
      renderKpiCards(body, data, recentText);
    }),
    load('trend', async (body) => renderTrend(body, await request(DashboardTrendDocument, { key: trendKpi, range: periods.year }), await currency)),
    load('funnel', async (body) => renderFunnel(body, await request(DashboardFunnelDocument, { period: periods.recent }))),
    load('rfm', async (body) => renderRfm(body, await request(DashboardRfmDocument, { period: periods.recent }))),
    load('goals', async (body) => renderGoals(body, await request(DashboardGoalsDocument, { at: periods.at }), await currency)),
  ]);
  document.body.dataset['state'] = results.every((result) => result.status === 'fulfilled') ? 'ready' : 'failed';
  startLiveEvents(document.querySelector<HTMLOListElement>('#live-log')!, document.getElementById('live-state')!, section('goals'));
}

void main();
