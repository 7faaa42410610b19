import { subscribe } from '../api.js';
import { el } from '../dom.js';
import { formatShare, words } from '../format.js';
import { DashboardGoalEventsDocument } from '../gql/graphql.js';
import type { DashboardGoalEventsSubscription } from '../gql/graphql.js';
import { goalBadge } from './goals.js';

type GoalEvent = DashboardGoalEventsSubscription['goalEvents'];

function describe(event: GoalEvent): string {
  const goal = event.goal?.description || event.kpiKey;
  if (event.kind.toUpperCase() === 'THRESHOLD_CROSSED') return `${goal} reached ${event.threshold === 150 ? 'its stretch target' : `${event.threshold} %`} (${formatShare(event.attainment)} attained)`;
  return `${goal}: ${words(event.oldStatus ?? 'NONE')} → ${words(event.newStatus)}`;
}

/** Shows goal events as they arrive and updates the status of the goal in the list; reconnects after a drop. */
export function startLiveEvents(log: HTMLOListElement, state: HTMLElement, goals: HTMLElement): void {
  const onEvent = ({ goalEvents: event }: DashboardGoalEventsSubscription) => {
    const time = new Date(event.occurredAt).toISOString().slice(11, 19);
    log.prepend(el('li', { 'data-event-id': event.id, 'data-kind': event.kind, 'data-status': event.newStatus }, el('time', { datetime: event.occurredAt }, time), ' ', describe(event)));
    const item = goals.querySelector<HTMLElement>(`[data-goal-id="${CSS.escape(event.goalId)}"]`);
    const badge = item?.querySelector('.status');
    if (badge && event.kind.toUpperCase() === 'STATUS_CHANGED') badge.replaceWith(goalBadge(event.newStatus));
  };
  let failures = 0;
  const show = (text: string, phase: string) => {
    state.textContent = text;
    state.dataset['state'] = phase;
  };
  const connect = () => {
    show('Live: connecting…', 'connecting');
    const onOpen = () => {
      failures = 0;
      show('Live: connected, waiting for goal events', 'open');
    };
    subscribe(DashboardGoalEventsDocument, {}, { onOpen, onData: onEvent })
      .then(() => retry('the server ended the stream'))
      .catch((error: unknown) => retry(error instanceof Error ? error.message : String(error)));
  };
  const retry = (why: string) => {
    failures += 1;
    const delay = Math.min(30_000, 1_000 * 2 ** Math.min(failures, 5));
    show(`Live: disconnected (${why}); retrying in ${Math.round(delay / 1000)} s`, 'closed');
    setTimeout(connect, delay);
  };
  connect();
}
