/**
 * Which goals a write can move: a write marks the record sources it touched,
 * and only goals whose KPI reads one of them are judged again. What a KPI
 * reads comes from its declared measures (derived KPIs resolve to their
 * components' measures); a KPI computing its own query, or one the registry
 * does not know, may read anything and is judged after every write.
 */
import type { KpiDefinition } from '../../kpi/define.js';
import type { SourceName } from '../../kpi/measures.js';

/** The sources a write touched; `all` when it may change any (people, teams, settings, goals, imports). */
export type TouchedSources = ReadonlySet<SourceName> | 'all';

/**
 * Record mutations and what they write. Customers are not listed: a
 * customer's region, industry and channel are dimensions of the records
 * joined to it, so a customer write touches everything.
 */
const recordMutations: Record<string, readonly SourceName[]> = {
  createDeal: ['deals', 'stageEvents'],
  updateDeal: ['deals', 'stageEvents'],
  moveDealStage: ['deals', 'stageEvents'],
  recordActivity: ['activities'],
  recordPayment: ['payments'],
  recordSpend: ['spend'],
  recordSurveyResponse: ['surveyResponses'],
  openTicket: ['tickets'],
  recordTicketEvent: ['tickets'],
};

/** Mutations that change nothing a KPI or goal reads. */
const administrative = new Set(['createApiKey', 'revokeApiKey', 'createWebhookEndpoint', 'updateWebhookEndpoint', 'deleteWebhookEndpoint', 'rotateWebhookSecret', 'redeliverWebhook']);

/** What an operation's root mutation fields touched. */
export function touchedByMutation(fields: readonly string[]): TouchedSources {
  const touched = new Set<SourceName>();
  for (const field of fields) {
    if (administrative.has(field)) continue;
    const sources = recordMutations[field];
    if (!sources) return 'all';
    for (const source of sources) touched.add(source);
  }
  return touched;
}

/** Marks gathered before a workspace is judged: their union. */
export function mergeTouched(a: TouchedSources | undefined, b: TouchedSources): TouchedSources {
  if (a === undefined) return b;
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...a, ...b]);
}

/** The sources a KPI reads, or null when that cannot be known (it is then always judged). */
export function kpiReads(definition: KpiDefinition | undefined): ReadonlySet<SourceName> | null {
  if (!definition || definition.kind !== 'inputs') return null;
  return new Set(Object.values(definition.inputs).map((measure) => measure.source));
}

/** Whether a write that touched `touched` can move a goal on a KPI reading `reads`. */
export function canMove(touched: TouchedSources, reads: ReadonlySet<SourceName> | null): boolean {
  if (touched === 'all' || reads === null) return true;
  for (const source of reads) if (touched.has(source)) return true;
  return false;
}
