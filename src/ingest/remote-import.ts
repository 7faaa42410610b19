/**
 * Import through a server's API: rows are read as for a direct import and
 * sent in requests of `batchRows` rows to importRecords. Each request is
 * all-or-nothing on its own (the server runs it in one transaction); the
 * run stops at the first request that is rejected, so what was written is
 * always a prefix of the input, and the report says how far it got.
 */
import type { RowSink } from './importer.js';
import type { RecordType } from './record-types.js';
import { recordTypes } from './record-types.js';
import type { ImportReport, Rejection } from './report.js';
import { emptySummaries } from './report.js';
import type { RawValue } from './values.js';

const mutation = `mutation Import($batches: [ImportBatch!]!, $dryRun: Boolean, $skipInvalid: Boolean) {
  importRecords(batches: $batches, dryRun: $dryRun, skipInvalid: $skipInvalid) {
    committed timeZone rejectionCount derivedStageEvents
    summaries { type rows inserted updated unchanged rejected }
    rejections { type batch row field reason }
  }
}`;

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

/** A failure of the server or the network, not of the rows. */
export class RemoteError extends Error {}

export async function importRemote(options: RemoteOptions, feed: (sink: RowSink) => Promise<void>): Promise<ImportReport & { requests: number }> {
  const started = Date.now();
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
    const result = await post(options, { batches: batches.map(({ type, rows: r }) => ({ type, rows: r })), dryRun: options.dryRun, skipInvalid: options.skipInvalid });
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

async function post(options: RemoteOptions, variables: Record<string, unknown>): Promise<RemoteResult> {
  const endpoint = new URL(options.url);
  if (!endpoint.pathname.endsWith('/graphql')) endpoint.pathname = `${endpoint.pathname.replace(/\/$/, '')}/graphql`;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
      body: JSON.stringify({ query: mutation, variables }),
    });
  } catch (error) {
    throw new RemoteError(`Cannot reach ${endpoint.href}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const body = (await response.json().catch(() => ({}))) as { data?: { importRecords?: RemoteResult }; errors?: { message: string }[] };
  if (body.errors?.length || !body.data?.importRecords) {
    throw new RemoteError(`The server refused the import (HTTP ${response.status}): ${body.errors?.map((e) => e.message).join('; ') ?? 'no result'}`);
  }
  return body.data.importRecords;
}
