/**
 * Import through a server's API: rows are read as for a direct import and
 * sent in requests of `batchRows` rows to importRecords. Each request is
 * all-or-nothing on its own (the server runs it in one transaction); the
 * run stops at the first request that is rejected, so what was written is
 * always a prefix of the input, and the report says how far it got.
 */
import type { RecordType } from '../ingest/record-types.js';
import { recordTypes } from '../ingest/record-types.js';
import type { ImportReport, Rejection } from '../ingest/report.js';
import { emptySummaries } from '../ingest/report.js';
import type { RowSink } from '../ingest/row-sink.js';
import type { RawValue } from '../ingest/values.js';
import { KpigraphClient } from './http-client.js';

interface RemoteResult {
  committed: boolean;
  timeZone: string;
  rejectionCount: number;
  derivedStageEvents: number;
  summaries: { type: string; rows: number; inserted: number; updated: number; unchanged: number; rejected: number }[];
  rejections: { type: string | null; batch: number; row: number; field: string; reason: string }[];
}

export interface RemoteOptions {
  url: string;
  apiKey: string;
  dryRun: boolean;
  skipInvalid: boolean;
  batchRows?: number;
  onProgress?: (rows: number, fraction: number) => void;
}

interface Pending {
  type: RecordType;
  row: Record<string, RawValue>;
  source: number;
  line: number;
}

/**
 * Sends what `feed` reads to the server's importRecords (the operation
 * schema/operations/cli-import-records.graphql) through the CLI's client:
 * a failure of the server or the network is a CliError, as for every other
 * command that talks to a server.
 */
export async function importRemote(options: RemoteOptions, feed: (sink: RowSink) => Promise<void>): Promise<ImportReport & { requests: number }> {
  const started = Date.now();
  // An import request takes as long as its rows need: no time limit.
  const client = new KpigraphClient({ url: graphqlUrl(options.url), apiKey: options.apiKey, timeoutMs: 0 });
  const sources: string[] = [];
  const summaries = emptySummaries();
  const rejections: Rejection[] = [];
  let rejectionCount = 0;
  let pending: Pending[] = [];
  let requests = 0;
  let stopped = false;
  let timeZone = '';
  let derived = 0;
  let rows = 0;
  let fraction = 0;

  const send = async (): Promise<void> => {
    if (pending.length === 0 || stopped) return;
    const sent = pending;
    pending = [];
    // Consecutive rows of one type form one batch, keeping the file's order.
    const batches: { type: string; rows: Record<string, RawValue>[]; entries: Pending[] }[] = [];
    for (const entry of sent) {
      const last = batches[batches.length - 1];
      if (last && last.type === entry.type.toUpperCase()) {
        last.rows.push(entry.row);
        last.entries.push(entry);
      } else batches.push({ type: entry.type.toUpperCase(), rows: [entry.row], entries: [entry] });
    }
    const { importRecords: result } = await client.run<{ importRecords: RemoteResult }>('cli-import-records', { batches: batches.map(({ type, rows: r }) => ({ type, rows: r })), dryRun: options.dryRun, skipInvalid: options.skipInvalid });
    requests++;
    timeZone = result.timeZone;
    derived += result.derivedStageEvents;
    for (const s of result.summaries) {
      const summary = summaries[s.type.toLowerCase() as RecordType];
      for (const key of ['rows', 'inserted', 'updated', 'unchanged', 'rejected'] as const) summary[key] += s[key];
    }
    rejectionCount += result.rejectionCount;
    for (const r of result.rejections) {
      const entry = batches[r.batch]?.entries[r.row];
      rejections.push({ type: entry?.type ?? null, source: sources[entry?.source ?? -1] ?? '?', line: entry?.line ?? r.row, field: r.field, reason: r.reason });
    }
    if (!result.committed && !options.dryRun) stopped = true;
    options.onProgress?.(rows, fraction);
  };

  const sink: RowSink = {
    source: (name) => sources.push(name) - 1,
    async add(type, raw, source, line) {
      if (stopped) return;
      // NDJSON's `type` names the record type, which the batch carries.
      const { type: _recordType, ...row } = raw as Record<string, RawValue>;
      pending.push({ type, row, source, line });
      rows++;
      if (pending.length >= (options.batchRows ?? 5_000)) await send();
    },
    reject(source, line, field, reason) {
      rejectionCount++;
      rejections.push({ type: null, source: sources[source] ?? '?', line, field, reason });
    },
    readFraction: (value) => (fraction = value),
  };
  await feed(sink);
  await send();
  const rejected = recordTypes.reduce((n, type) => n + summaries[type].rejected, 0);
  return {
    committed: !options.dryRun && (rejected === 0 || options.skipInvalid) && !stopped && rejectionCount === 0,
    dryRun: options.dryRun,
    skipInvalid: options.skipInvalid,
    timeZone,
    types: recordTypes.map((type) => summaries[type]),
    derivedStageEvents: { inserted: derived, updated: 0, deleted: 0 },
    rejections,
    rejectionCount,
    elapsedMs: Date.now() - started,
    requests,
  };
}

/** The server's GraphQL endpoint: `--url` may name the server or its /graphql. */
function graphqlUrl(url: string): string {
  const endpoint = new URL(url);
  if (!endpoint.pathname.endsWith('/graphql')) endpoint.pathname = `${endpoint.pathname.replace(/\/$/, '')}/graphql`;
  return endpoint.href;
}
