/**
 * What one request cost, gathered while it runs: KPI cells and batches, SQL
 * statements and their time per source. The record rides an
 * AsyncLocalStorage entered around the request's handling, so statement
 * and batch hooks, which are process-wide, find the request they belong to.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface SourceCost {
  statements: number;
  ms: number;
}

export interface RequestRecord {
  readonly id: string;
  readonly startedAt: number;
  operation: string | undefined;
  cells: number;
  kpiBatches: number;
  statements: number;
  readonly sources: Map<string, SourceCost>;
  /** extensions.code of each error in the response. */
  errorCodes: string[];
}

const scope = new AsyncLocalStorage<RequestRecord>();

export function newRequestRecord(id: string, startedAt: number): RequestRecord {
  return { id, startedAt, operation: undefined, cells: 0, kpiBatches: 0, statements: 0, sources: new Map(), errorCodes: [] };
}

/** Runs `work` with `record` as the current request's. */
export function withRequestRecord<T>(record: RequestRecord, work: () => T): T {
  return scope.run(record, work);
}

/** The record of the request running now, if any. */
export function currentRequest(): RequestRecord | undefined {
  return scope.getStore();
}

export function addStatement(record: RequestRecord, source: string, ms: number): void {
  record.statements += 1;
  const cost = record.sources.get(source);
  if (cost) {
    cost.statements += 1;
    cost.ms += ms;
  } else {
    record.sources.set(source, { statements: 1, ms });
  }
}

/** The plan's summary for a slow-request line: cells, batches, statements and time per source. */
export function costSummary(record: RequestRecord): Record<string, unknown> {
  const sources = Object.fromEntries(
    [...record.sources].map(([source, cost]) => [source, { statements: cost.statements, ms: Math.round(cost.ms * 10) / 10 }]),
  );
  return { cells: record.cells, kpiBatches: record.kpiBatches, statements: record.statements, sources };
}
