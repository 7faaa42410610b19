/**
 * The three phases of one import, in its transaction: read (rows checked
 * one by one, or a batch at a time, and staged in chunks while the next is
 * parsed), check (what needs other rows, in SQL over the staged tables) and
 * write (set-based upserts per type). importer.ts runs them in order and
 * decides between commit and rollback; the run keeps the counts and the
 * rejections all three add to.
 */
import { performance } from 'node:perf_hooks';
import { traced } from '../telemetry/tracing.js';
import type { BulkIndexMode } from './bulk-indexes.js';
import { checkType } from './checks.js';
import { checkForeignKeysInBulk } from './foreign-keys.js';
import type { CopyPiece, ImportSession } from './import-session.js';
import type { RecordType } from './record-types.js';
import { recordSpecs, recordTypes } from './record-types.js';
import type { ImportReport, Rejection } from './report.js';
import { emptySummaries } from './report.js';
import type { RowFeed, RowSink } from './row-sink.js';
import { validateRow } from './row-validator.js';
import { createStaging, indexStaging, problemsTable, stageChunk, stagedLine, stagingTable } from './staging.js';
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

const perType = <T>(value: () => T): Record<RecordType, T> => Object.fromEntries(recordTypes.map((type) => [type, value()])) as Record<RecordType, T>;

export class ImportRun {
  private readonly dryRun: boolean;
  private readonly skipInvalid: boolean;
  private readonly maxRejections: number;
  private readonly chunkRows: number;
  private readonly progress: (done: number, total: number, phase: string) => void;
  private readonly timestamps: TimestampReader;
  private readonly summaries = emptySummaries();
  private readonly sources: string[] = [];
  private readonly rejections: Rejection[] = [];
  private rejectionCount = 0;
  /** Lines that are no records at all (bad JSON, unknown type). */
  private unreadable = 0;
  /** Per type: COPY text not yet sent (pieces of whole lines) and how many rows it holds. */
  private readonly buffers = perType<CopyPiece[]>(() => []);
  private readonly buffered = perType(() => 0);
  private readonly staged = perType(() => 0);
  /** Seqs order a type's staged rows as the files do; one counter for all types, with gaps where lines are no valid rows. */
  private readonly lastSeq = perType(() => 0);
  private nextSeq = 1;
  private read = 0;
  private fraction = 0;
  /** The chunk being staged while the next is parsed, and how staging failed. */
  private inflight: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private derivedStageEvents = { inserted: 0, updated: 0, deleted: 0 };

  constructor(
    private readonly session: ImportSession,
    private readonly options: ImportOptions,
    private readonly timeZone: string,
    private readonly started = performance.now(),
  ) {
    this.dryRun = options.dryRun ?? false;
    this.skipInvalid = options.skipInvalid ?? false;
    this.maxRejections = options.maxRejections ?? 100;
    this.chunkRows = options.chunkRows ?? 20_000;
    this.progress = options.onProgress ?? (() => undefined);
    this.timestamps = new TimestampReader(timeZone);
  }

  /** Rows rejected so far, unreadable lines included. */
  get rejected(): number {
    return this.unreadable + recordTypes.reduce((n, type) => n + this.summaries[type].rejected, 0);
  }

  /** Phase 1: everything `feed` produces, checked row by row and staged. */
  async readAll(feed: RowFeed): Promise<void> {
    // Sorts and hashes over a million staged rows stay in memory rather than spill to disk.
    await this.session.query(`SET LOCAL work_mem = '128MB'`);
    await createStaging(this.session);
    await traced('import.read', {}, async () => {
      await feed(this.sink());
      for (const type of recordTypes) await this.flush(type);
      await this.inflight;
      if (this.failure) throw this.failure;
    });
    this.progress(this.read, this.read, 'reading');
  }

  /** Phase 2: what needs other rows (references, duplicates, stage histories), in SQL. */
  async checkStaged(): Promise<void> {
    const { session, staged } = this;
    const { workspaceId } = this.options;
    await traced('import.check', { 'kpigraph.import.rows': this.read }, async () => {
      await indexStaging(session, staged);
      await claimExportIds(session, workspaceId);
      // After the claims: a reference by an exported name must find (and lock) its record.
      await checkForeignKeysInBulk(session, workspaceId, staged);
      let checked = 0;
      for (const type of recordTypes) {
        if (staged[type] > 0) await checkType(session, type, workspaceId);
        this.progress(++checked, recordTypes.length, 'checking');
      }
      await collectProblems(session, staged, this.sources, this.summaries, this.maxRejections - this.rejections.length, (count, listed) => {
        this.rejectionCount += count;
        this.rejections.push(...listed);
      });
    });
  }

  /** Phase 3: the staged rows that passed, upserted type by type. */
  async writeStaged(): Promise<void> {
    const { session, staged, options } = this;
    const toWrite = recordTypes.reduce((n, type) => n + staged[type], 0);
    // Rows of the types done; a type's own statements report how far through it they are.
    let written = 0;
    await traced('import.write', { 'kpigraph.import.rows': toWrite }, async () => {
      for (const type of recordTypes) {
        if (staged[type] === 0) continue;
        // Existing deals first: the upsert derives the events of those it inserts.
        if (type === 'deal') this.derivedStageEvents = await deriveStageEvents(session, options.workspaceId);
        const counts = await upsertType(session, type, options.workspaceId, {
          lastSeq: this.lastSeq[type],
          chunk: options.writeChunkSeqs ?? 250_000,
          stagedHistories: staged.deal_stage_event > 0,
          bulk: options.bulkIndexes ?? 'never',
          ...(options.bulkLockTimeoutMs === undefined ? {} : { lockTimeoutMs: options.bulkLockTimeoutMs }),
          onChunk: (fraction) => this.progress(written + Math.round(staged[type] * fraction), toWrite, 'writing'),
          onIndex: (done, total) => this.progress(done, total, 'indexing'),
        });
        const summary = this.summaries[type];
        summary.inserted = counts.inserted;
        summary.updated = counts.updated;
        summary.unchanged = summary.rows - summary.rejected - counts.inserted - counts.updated;
        this.derivedStageEvents.inserted += counts.events;
        written += staged[type];
      }
    });
  }

  report(committed: boolean): ImportReport {
    return {
      committed,
      dryRun: this.dryRun,
      skipInvalid: this.skipInvalid,
      timeZone: this.timeZone,
      types: recordTypes.map((type) => this.summaries[type]),
      derivedStageEvents: this.derivedStageEvents,
      rejections: this.rejections.sort((a, b) => sourceOrder(this.sources, a, b)),
      rejectionCount: this.rejectionCount,
      elapsedMs: Math.round(performance.now() - this.started),
    };
  }

  private note(rejection: Rejection): void {
    this.rejectionCount++;
    if (this.rejections.length < this.maxRejections) this.rejections.push(rejection);
  }

  private reserveSeqs(count: number): number {
    const first = this.nextSeq;
    this.nextSeq += count;
    if (this.nextSeq > 2 ** 31 - 1) throw new Error('An import holds at most 2,147,483,646 lines; split the files into several imports.');
    return first;
  }

  /** Sends a type's buffered COPY text as one chunk, once the chunk before it is staged: at most two are held in memory. */
  private async flush(type: RecordType): Promise<void> {
    const pieces = this.buffers[type];
    this.buffers[type] = [];
    this.buffered[type] = 0;
    await this.inflight;
    if (this.failure) throw this.failure;
    this.inflight = stageChunk(this.session, type, pieces).catch((error: unknown) => {
      this.failure = error;
    });
  }

  /** Buffers COPY lines (`lines`, each ending in a newline) of `rows` rows, the last with seq `last`; stages a chunk when full. */
  private async stage(type: RecordType, lines: CopyPiece, rows: number, last: number): Promise<void> {
    this.buffers[type].push(lines);
    this.buffered[type] += rows;
    this.staged[type] += rows;
    this.lastSeq[type] = last;
    if (this.buffered[type] >= this.chunkRows) {
      await this.flush(type);
      const { read, fraction } = this;
      this.progress(read, fraction > 0 ? Math.max(read, Math.round(read / fraction)) : read, 'reading');
    }
  }

  /** What the feed writes to. */
  private sink(): RowSink {
    const { summaries, sources, timestamps } = this;
    return {
      source: (name) => sources.push(name) - 1,
      add: async (type, raw, source, line, ignore) => {
        const summary = summaries[type];
        summary.rows++;
        this.read++;
        const result = validateRow(recordSpecs[type], raw, timestamps, ignore);
        if (!result.ok) {
          summary.rejected++;
          for (const problem of result.problems) this.note({ type, source: sources[source] ?? '?', line, ...problem });
        } else {
          const seq = this.reserveSeqs(1);
          await this.stage(type, `${stagedLine(seq, source, line, result.text)}\n`, 1, seq);
        }
      },
      checks: {
        timeZone: this.timeZone,
        reserveSeqs: (count) => this.reserveSeqs(count),
        addBatch: async (batch, source) => {
          this.unreadable += batch.unreadable;
          // Rejected rows' problems, and why lines are no records at all.
          for (const { type, line, field, reason } of batch.problems) this.note({ type: recordTypes[type] ?? null, source: sources[source] ?? '?', line, field, reason });
          for (const [index, type] of recordTypes.entries()) {
            if (batch.rows[index] === 0) continue;
            summaries[type].rows += batch.rows[index]!;
            summaries[type].rejected += batch.rejected[index]!;
            this.read += batch.rows[index]!;
            if (batch.staged[index]! > 0) await this.stage(type, batch.copies[index]!, batch.staged[index]!, batch.lastSeq[index]!);
          }
        },
      },
      reject: (source, line, field, reason) => {
        this.unreadable++;
        this.note({ type: null, source: sources[source] ?? '?', line, field, reason });
      },
      readFraction: (value) => (this.fraction = value),
    };
  }
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
