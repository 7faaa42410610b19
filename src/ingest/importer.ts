/**
 * One import run: rows stream in from files or API batches, are checked one
 * by one and staged in chunks (flat memory), checked together in SQL, and
 * written set-based, all in one transaction. Any rejected row rolls the
 * whole run back unless `skipInvalid`; a dry run always rolls back, after
 * doing every write, so its counts are exactly what a real run would do.
 */
import { performance } from 'node:perf_hooks';
import type { Database } from '../db/client.js';
import { traced } from '../telemetry/tracing.js';
import type { BulkIndexMode } from './bulk-indexes.js';
import { checkType } from './checks.js';
import { checkForeignKeysInBulk } from './foreign-keys.js';
import type { CheckedBatch } from './checked-batch.js';
import type { RecordType } from './record-types.js';
import { recordSpecs, recordTypes } from './record-types.js';
import type { ImportReport, Rejection } from './report.js';
import { emptySummaries } from './report.js';
import { validateRow } from './row-validator.js';
import type { CopyPiece, ImportSession } from './import-session.js';
import { Rollback, inTransaction } from './session.js';
import { createStaging, indexStaging, problemsTable, stageChunk, stagedLine, stagingTable } from './staging.js';
import type { RawValue } from './values.js';
import { TimestampReader } from './values.js';
import { upsertType } from './upsert.js';
import { claimExportIds, deriveStageEvents } from './write.js';

export interface ImportOptions {
  workspaceId: number;
  dryRun?: boolean;
  skipInvalid?: boolean;
  /** Problems listed in the report (all are counted); default 100. */
  maxRejections?: number;
  /** Per statement bound; default 0 (none), right for the command line. */
  statementTimeoutMs?: number;
  /** Rows per staging COPY. */
  chunkRows?: number;
  /**
   * Seqs (lines) whose rows one write statement takes; default 250,000.
   * Each statement hashes the referenced tables again, so fewer are
   * cheaper, but one statement for all of a large import sorts its rows on
   * disk once they outgrow work_mem.
   */
  writeChunkSeqs?: number;
  /**
   * Whether written tables drop their secondary indexes and build them
   * again after the INSERTs (bulk-indexes.ts): default `never`, since it
   * locks the tables against readers of every workspace until the import
   * commits.
   */
  bulkIndexes?: BulkIndexMode;
  /** How long a bulk load waits for a table's lock before it gives up (and writes nothing); default 10 s. */
  bulkLockTimeoutMs?: number;
  onProgress?: (done: number, total: number, phase: string) => void;
}

/** Where a feed sends rows. `add` resolves once the row is buffered or staged (back-pressure). */
export interface RowSink {
  /** Names a source (file or batch) for rejections; returns its number. */
  source(name: string): number;
  add(type: RecordType, raw: Readonly<Record<string, RawValue>>, source: number, line: number, ignore?: ReadonlySet<string>): Promise<void>;
  /** A row that is not a record at all (bad JSON, unknown type). */
  reject(source: number, line: number, field: string, reason: string): void;
  /** How far through its input the feed is, 0–1, for the progress bar. */
  readFraction(fraction: number): void;
  /** Offered by a sink that stages rows itself: rows checked a batch at a time, possibly in other threads. */
  checks?: BatchSink;
}

export interface BatchSink {
  /** The zone that timestamps without an offset are read in. */
  timeZone: string;
  /** Seqs for a batch of `lines` lines, its line i getting the first plus i: call in file order, as batches are sent to be checked. */
  reserveSeqs(lines: number): number;
  /** Counts and stages the rows of a checked batch, in order; rejected rows are noted with their problems. */
  addBatch(batch: CheckedBatch, source: number): Promise<void>;
}

export type RowFeed = (sink: RowSink) => Promise<void>;

export class WorkspaceNotFoundError extends Error {}

/** Imports what `feed` produces into a workspace; see the module comment. */
export async function importRecords(db: Database, options: ImportOptions, feed: RowFeed): Promise<ImportReport> {
  const started = performance.now();
  const { workspaceId, dryRun = false, skipInvalid = false, maxRejections = 100, chunkRows = 20_000 } = options;
  const progress = options.onProgress ?? (() => undefined);
  const workspace = (await db.query<{ timeZone: string }>('SELECT "timeZone" FROM "Workspace" WHERE id = $1', [workspaceId])).rows[0];
  if (!workspace) throw new WorkspaceNotFoundError(`Workspace ${workspaceId} does not exist.`);
  const timestamps = new TimestampReader(workspace.timeZone);
  const summaries = emptySummaries();
  const sources: string[] = [];
  const rejections: Rejection[] = [];
  let rejectionCount = 0;
  let unreadable = 0;
  const note = (rejection: Rejection): void => {
    rejectionCount++;
    if (rejections.length < maxRejections) rejections.push(rejection);
  };

  const attributes = { 'kpigraph.import.dry_run': dryRun, 'kpigraph.import.skip_invalid': skipInvalid };
  return traced('import', attributes, () => inTransaction(db, { statementTimeoutMs: options.statementTimeoutMs ?? 0 }, async (session) => {
    // Sorts and hashes over a million staged rows stay in memory rather than spill to disk.
    await session.query(`SET LOCAL work_mem = '128MB'`);
    await createStaging(session);
    // Per type: COPY text not yet sent (pieces of whole lines) and how many rows it holds.
    const buffers = Object.fromEntries(recordTypes.map((type) => [type, [] as CopyPiece[]])) as Record<RecordType, CopyPiece[]>;
    const buffered = Object.fromEntries(recordTypes.map((type) => [type, 0])) as Record<RecordType, number>;
    const staged = Object.fromEntries(recordTypes.map((type) => [type, 0])) as Record<RecordType, number>;
    // Seqs order a type's staged rows as the files do; one counter for all types, with gaps where lines are no valid rows.
    const lastSeq = Object.fromEntries(recordTypes.map((type) => [type, 0])) as Record<RecordType, number>;
    let nextSeq = 1;
    const reserveSeqs = (count: number): number => {
      const first = nextSeq;
      nextSeq += count;
      if (nextSeq > 2 ** 31 - 1) throw new Error('An import holds at most 2,147,483,646 lines; split the files into several imports.');
      return first;
    };
    let read = 0;
    let fraction = 0;
    // One chunk is staged while the next is parsed: the database and the
    // parser work side by side, and at most two chunks are held in memory.
    let inflight: Promise<void> = Promise.resolve();
    let failure: unknown = null;
    const flush = async (type: RecordType): Promise<void> => {
      const pieces = buffers[type];
      buffers[type] = [];
      buffered[type] = 0;
      await inflight;
      if (failure) throw failure;
      inflight = stageChunk(session, type, pieces).catch((error: unknown) => {
        failure = error;
      });
    };
    /** Buffers COPY lines (`lines`, each ending in a newline) of `rows` rows, the last with seq `last`; stages a chunk when full. */
    const stage = async (type: RecordType, lines: CopyPiece, rows: number, last: number): Promise<void> => {
      buffers[type].push(lines);
      buffered[type] += rows;
      staged[type] += rows;
      lastSeq[type] = last;
      if (buffered[type] >= chunkRows) {
        await flush(type);
        progress(read, fraction > 0 ? Math.max(read, Math.round(read / fraction)) : read, 'reading');
      }
    };
    const sink: RowSink = {
      source: (name) => sources.push(name) - 1,
      async add(type, raw, source, line, ignore) {
        const summary = summaries[type];
        summary.rows++;
        read++;
        const result = validateRow(recordSpecs[type], raw, timestamps, ignore);
        if (!result.ok) {
          summary.rejected++;
          for (const problem of result.problems) note({ type, source: sources[source] ?? '?', line, ...problem });
        } else {
          const seq = reserveSeqs(1);
          await stage(type, `${stagedLine(seq, source, line, result.text)}\n`, 1, seq);
        }
      },
      checks: {
        timeZone: workspace.timeZone,
        reserveSeqs,
        async addBatch(batch, source) {
          unreadable += batch.unreadable;
          // Rejected rows' problems, and why lines are no records at all.
          for (const { type, line, field, reason } of batch.problems) note({ type: recordTypes[type] ?? null, source: sources[source] ?? '?', line, field, reason });
          for (const [index, type] of recordTypes.entries()) {
            if (batch.rows[index] === 0) continue;
            summaries[type].rows += batch.rows[index]!;
            summaries[type].rejected += batch.rejected[index]!;
            read += batch.rows[index]!;
            if (batch.staged[index]! > 0) await stage(type, batch.copies[index]!, batch.staged[index]!, batch.lastSeq[index]!);
          }
        },
      },
      reject: (source, line, field, reason) => {
        unreadable++;
        note({ type: null, source: sources[source] ?? '?', line, field, reason });
      },
      readFraction: (value) => (fraction = value),
    };
    await traced('import.read', {}, async () => {
      await feed(sink);
      for (const type of recordTypes) await flush(type);
      await inflight;
      if (failure) throw failure;
    });
    progress(read, read, 'reading');

    await traced('import.check', { 'kpigraph.import.rows': read }, async () => {
      await indexStaging(session, staged);
      await claimExportIds(session, workspaceId);
      // After the claims: a reference by an exported name must find (and lock) its record.
      await checkForeignKeysInBulk(session, workspaceId, staged);
      let checked = 0;
      for (const type of recordTypes) {
        if (staged[type] > 0) await checkType(session, type, workspaceId);
        progress(++checked, recordTypes.length, 'checking');
      }
      await collectProblems(session, staged, sources, summaries, maxRejections - rejections.length, (count, listed) => {
        rejectionCount += count;
        rejections.push(...listed);
      });
    });
    const rejected = unreadable + recordTypes.reduce((n, type) => n + summaries[type].rejected, 0);
    let derivedStageEvents = { inserted: 0, updated: 0, deleted: 0 };
    const report = (committed: boolean): ImportReport => ({
      committed,
      dryRun,
      skipInvalid,
      timeZone: workspace.timeZone,
      types: recordTypes.map((type) => summaries[type]),
      derivedStageEvents,
      rejections: rejections.sort((a, b) => sourceOrder(sources, a, b)),
      rejectionCount,
      elapsedMs: Math.round(performance.now() - started),
    });
    if (rejected > 0 && !skipInvalid) throw new Rollback(report(false));

    const toWrite = recordTypes.reduce((n, type) => n + staged[type], 0);
    // Rows of the types done; a type's own statements report how far through it they are.
    let written = 0;
    await traced('import.write', { 'kpigraph.import.rows': toWrite }, async () => {
      for (const type of recordTypes) {
        if (staged[type] === 0) continue;
        // Existing deals first: the upsert derives the events of those it inserts.
        if (type === 'deal') derivedStageEvents = await deriveStageEvents(session, workspaceId);
        const counts = await upsertType(session, type, workspaceId, {
          lastSeq: lastSeq[type],
          chunk: options.writeChunkSeqs ?? 250_000,
          stagedHistories: staged.deal_stage_event > 0,
          bulk: options.bulkIndexes ?? 'never',
          ...(options.bulkLockTimeoutMs === undefined ? {} : { lockTimeoutMs: options.bulkLockTimeoutMs }),
          onChunk: (fraction) => progress(written + Math.round(staged[type] * fraction), toWrite, 'writing'),
          onIndex: (done, total) => progress(done, total, 'indexing'),
        });
        const summary = summaries[type];
        summary.inserted = counts.inserted;
        summary.updated = counts.updated;
        summary.unchanged = summary.rows - summary.rejected - counts.inserted - counts.updated;
        derivedStageEvents.inserted += counts.events;
        written += staged[type];
      }
    });
    if (dryRun) throw new Rollback(report(false));
    return report(true);
  }));
}

function sourceOrder(sources: readonly string[], a: Rejection, b: Rejection): number {
  return sources.indexOf(a.source) - sources.indexOf(b.source) || a.line - b.line;
}

/** Counts rejected staged rows per type and lists the first problems found in SQL. */
async function collectProblems(
  session: ImportSession,
  staged: Readonly<Record<RecordType, number>>,
  sources: readonly string[],
  summaries: ReturnType<typeof emptySummaries>,
  room: number,
  add: (count: number, listed: Rejection[]) => void,
): Promise<void> {
  const [count] = await session.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${problemsTable}`);
  // Every check that rejects a row records a problem, for that row or, in a faulty stage history, for
  // another row of the same history: no problems, no rejected rows, and no scan of every staged row
  // to count them.
  if (!count?.n) return;
  for (const type of recordTypes) {
    if (staged[type] === 0) continue;
    const [row] = await session.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${stagingTable(type)} WHERE rejected`);
    summaries[type].rejected += row?.n ?? 0;
  }
  const rows = await session.query<{ type: RecordType; source: number; line: number; field: string; reason: string }>(
    `SELECT type, source, line, field, reason FROM ${problemsTable} ORDER BY source, line LIMIT $1`,
    [Math.max(0, room)],
  );
  add(count.n, rows.map((row) => ({ ...row, source: sources[row.source] ?? '?' })));
}
