export interface DemoOptions {
  /** Deals to create, exactly; customers come to about a third of that. */
  deals: number;
  /** Same seed and `now` give the same data. Default 1. */
  seed?: number;
  workspaceName?: string;
  /** ISO 4217 code; amounts are generated in euro-like magnitudes whatever the code. */
  currency?: string;
  timeZone?: string;
  /** End of the three-year history. Default: the current time. */
  now?: Date;
  onProgress?: (done: number, total: number, phase: string) => void;
}

export interface DemoSummary {
  workspaceId: number;
  teams: number;
  users: number;
  campaigns: number;
  customers: number;
  deals: number;
  stageEvents: number;
  activities: number;
  payments: number;
  surveyResponses: number;
  tickets: number;
  spends: number;
  ledgerEntries: number;
  elapsedMs: number;
}

/** Ready-made sizes for the CLI and benchmarks, in deals. */
export const demoSizes: Record<'tiny' | 'S' | 'M' | 'L', number> = {
  tiny: 300,
  S: 10_000,
  M: 1_000_000,
  L: 10_000_000,
};

const labels: readonly (readonly [keyof Omit<DemoSummary, 'workspaceId' | 'elapsedMs'>, string])[] = [
  ['teams', 'teams'],
  ['users', 'users'],
  ['campaigns', 'campaigns'],
  ['customers', 'customers'],
  ['deals', 'deals'],
  ['stageEvents', 'deal stage events'],
  ['activities', 'activities'],
  ['payments', 'payments'],
  ['surveyResponses', 'survey responses'],
  ['tickets', 'tickets'],
  ['spends', 'spend rows'],
  ['ledgerEntries', 'ledger entries'],
];

/** A readable multi-line report of a load: row counts and time taken. */
export function formatDemoSummary(summary: DemoSummary): string {
  const total = labels.reduce((sum, [key]) => sum + summary[key], 0);
  const seconds = summary.elapsedMs / 1000;
  const width = Math.max(...labels.map(([key]) => summary[key].toLocaleString('en-US').length), total.toLocaleString('en-US').length);
  const line = (label: string, value: number): string => `  ${label.padEnd(18)} ${value.toLocaleString('en-US').padStart(width)}`;
  return [
    `Demo data loaded into workspace ${summary.workspaceId} in ${seconds.toFixed(1)} s`,
    ...labels.map(([key, label]) => line(label, summary[key])),
    line('rows in all', total),
    `  (${Math.round(total / Math.max(seconds, 0.001)).toLocaleString('en-US')} rows/s)`,
  ].join('\n');
}
