/**
 * Rows from files, streamed: CSV (a header row; one record type per file,
 * named by --type or the file name) and NDJSON (one JSON object a line, its
 * `type` field naming the record type). A direct import gets them checked
 * in batches of whole records (by parse workers for big files), staged in
 * file order; the API client gets each row. Either way only a few batches
 * are held at once, so memory does not grow with the file.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { CsvError, parse } from 'csv-parse';
import type { BatchPlace, CheckedBatch } from './checked-batch.js';
import { CsvCutter, csvBatchBytes, readCsvBatch, readCsvLayout } from './csv-batches.js';
import type { LineBatch } from './file-batches.js';
import { RecordTooLongError, recordBatches } from './file-batches.js';
import type { BatchSink, RowSink } from './row-sink.js';
import { batchLines, ndjsonBatches, parseNdjsonLine } from './ndjson-batches.js';
import type { ParseJob } from './parse-job.js';
import { checkJob } from './parse-job.js';
import { ParsePool, defaultParseWorkers, parseWorkerMinimumBytes } from './parse-pool.js';
import { parseWorkerUrl } from './worker-bundle.js';
import type { RecordType } from './record-types.js';
import { recordTypeNames, recordTypeOf } from './record-types.js';
import { TimestampReader } from './values.js';

export type FileFormat = 'csv' | 'ndjson';

export function formatOf(file: string): FileFormat | undefined {
  const name = file.toLowerCase();
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl')) return 'ndjson';
  return undefined;
}

/** The record type a CSV file holds by its name (`deals.csv`, `2024-deals.csv` is not one). */
export function typeOfFileName(file: string): RecordType | undefined {
  return recordTypeOf(path.basename(file).replace(/\.(csv|ndjson|jsonl)$/i, ''));
}

/** A file that cannot be read as its format at all: the import stops. */
export class FileFormatError extends Error {}

export interface FileInput {
  file: string;
  format: FileFormat;
  /** CSV: the type of every row; NDJSON: the type of rows without a `type` field. */
  type?: RecordType;
}

export interface FeedOptions {
  /**
   * Worker threads that check NDJSON and CSV rows (parse-pool.ts); 0 checks
   * them in this thread. Default: one a core for files of 16 MB and more, else 0.
   */
  parseWorkers?: number;
  /** Bytes a batch (file-batches.ts); tests make it small to get many batches. */
  batchBytes?: number;
  /** CSV read as one stream of records, each checked on its own, as the API client reads it (what batches are tested against). */
  streamCsv?: boolean;
}

/** Feeds the rows of several files in turn; `fraction` reports bytes read over all of them. */
export function filesFeed(inputs: readonly FileInput[], options: FeedOptions = {}): (sink: RowSink) => Promise<void> {
  return async (sink) => {
    const sizes = await Promise.all(inputs.map(async (input) => (await stat(input.file)).size));
    const total = sizes.reduce((a, b) => a + b, 0) || 1;
    let before = 0;
    // One pool for all the files that use it: starting workers costs time.
    let pool: ParsePool | null = null;
    const workersFor = (size: number): number => options.parseWorkers ?? (size >= parseWorkerMinimumBytes ? defaultParseWorkers() : 0);
    const workerEntry = sizes.some((size) => workersFor(size) > 0) ? await parseWorkerUrl() : null;
    const poolFor = (size: number, timeZone: string): ParsePool | null => {
      const workers = workersFor(size);
      if (workers > 0 && workerEntry) pool ??= new ParsePool(workers, timeZone, workerEntry);
      return workers > 0 ? pool : null;
    };
    try {
      for (const [index, input] of inputs.entries()) {
        const source = sink.source(path.basename(input.file));
        const onBytes = (bytes: number) => sink.readFraction((before + bytes) / total);
        const pool = (timeZone: string) => poolFor(sizes[index] ?? 0, timeZone);
        if (input.format === 'csv') await feedCsv(input, source, sink, onBytes, pool, options);
        else await feedNdjson(input, source, sink, onBytes, pool, options.batchBytes);
        before += sizes[index] ?? 0;
      }
    } finally {
      await (pool as ParsePool | null)?.close();
    }
  };
}

/** The options the streaming CSV path reads a file with (csv-batches.ts reads batches to the same records). */
function csvStream(file: string) {
  return createReadStream(file).pipe(parse({ columns: (header: string[]) => header.map((name) => name.trim()), bom: true, info: true, skip_empty_lines: true }));
}

type CsvRow = { record: Record<string, string>; info: { lines: number; bytes: number } };

// Not every csv-parse error code starts with CSV_ (INVALID_OPENING_QUOTE does not).
const csvFormatError = (file: string, error: unknown): FileFormatError | null => (error instanceof CsvError ? new FileFormatError(`${file}: not readable as CSV: ${error.message}`) : null);

/** Bytes a CSV record may hold before the file is refused: far past any real record, short of running out of memory. */
const csvMaxPendingBytes = 64 << 20;

/**
 * A CSV file read in batches, when its header is a plain line: checked here
 * or by parse workers when the sink checks rows itself (the direct import),
 * else read here and each record handed on (the API client). Any other
 * file is streamed through csv-parse, each record handed on.
 */
async function feedCsv(input: FileInput, source: number, sink: RowSink, onBytes: (bytes: number) => void, poolFor: (timeZone: string) => ParsePool | null, options: FeedOptions): Promise<void> {
  const type = input.type;
  if (!type) throw new FileFormatError(`${input.file}: cannot tell the record type from the file name; name it after the type (${recordTypeNames}) or give --type.`);
  const layout = options.streamCsv ? null : await readCsvLayout(input.file);
  if (!layout) return streamCsv(input.file, type, source, sink, onBytes);
  const cutter = new CsvCutter(layout.crlf);
  // A quote left open (a stray one) would otherwise hold the rest of the file.
  const reading = { size: options.batchBytes ?? csvBatchBytes, start: layout.headerBytes, firstLine: 2, maxPending: csvMaxPendingBytes };
  const batches = (async function* () {
    for await (const batch of recordBatches(input.file, cutter, reading, (bytes) => onBytes(layout.headerBytes + bytes))) yield { ...batch, type, layout };
  })();
  try {
    if (sink.checks) {
      await checkBatches(batches, (batch) => ({ format: 'csv', batch }), source, sink.checks, poolFor(sink.checks.timeZone));
      return;
    }
    for await (const batch of batches) {
      const read = readCsvBatch(batch);
      if ('error' in read) throw new CsvBatchError(read.error);
      for (let i = 0; i < read.records.length; i++) await sink.add(type, read.records[i]!, source, read.lines[i]!);
    }
  } catch (error) {
    if (!(error instanceof CsvBatchError || error instanceof RecordTooLongError)) throw error;
    // csv-parse's own message, with the file's line: the stream meets the same fault.
    throw (await firstCsvFault(input.file)) ?? new FileFormatError(`${input.file}: not readable as CSV: ${error.message}`);
  }
}

/** A batch csv-parse refused; the message counts lines from the batch's start. */
class CsvBatchError extends Error {}

/** The error the streaming parser meets in a file, if any. */
async function firstCsvFault(file: string): Promise<FileFormatError | null> {
  try {
    for await (const row of csvStream(file) as AsyncIterable<CsvRow>) void row;
    return null;
  } catch (error) {
    const refused = csvFormatError(file, error);
    if (refused) return refused;
    throw error;
  }
}

async function streamCsv(file: string, type: RecordType, source: number, sink: RowSink, onBytes: (bytes: number) => void): Promise<void> {
  let count = 0;
  try {
    for await (const { record, info } of csvStream(file) as AsyncIterable<CsvRow>) {
      await sink.add(type, record, source, info.lines);
      if (++count % 1_000 === 0) onBytes(info.bytes);
    }
  } catch (error) {
    throw csvFormatError(file, error) ?? error;
  }
}

/**
 * Checks batches in file order, by parse workers or here, and stages each
 * once it and those before it are done; seqs are handed out as batches
 * leave, so they follow the file's order.
 */
async function checkBatches<B extends LineBatch>(batches: AsyncIterable<B>, jobOf: (batch: B) => ParseJob, source: number, checks: BatchSink, pool: ParsePool | null): Promise<void> {
  const timestamps = new TimestampReader(checks.timeZone);
  const check = (job: ParseJob, place: BatchPlace): Promise<CheckedBatch> => (pool ? pool.check(job, place) : Promise.resolve(checkJob(job, place, timestamps)));
  // Batches under way, oldest first.
  const queue: Promise<CheckedBatch>[] = [];
  const stage = async (checked: CheckedBatch): Promise<void> => {
    if (checked.formatError !== undefined) throw new CsvBatchError(checked.formatError);
    await checks.addBatch(checked, source);
  };
  for await (const batch of batches) {
    queue.push(check(jobOf(batch), { source, firstSeq: checks.reserveSeqs(batch.lineCount) }));
    if (queue.length >= (pool?.depth ?? 1)) await stage(await queue.shift()!);
  }
  for (const checked of queue) await stage(await checked);
}

const ignoreType: ReadonlySet<string> = new Set(['type']);

/**
 * NDJSON in batches of lines. A sink that checks rows itself (the direct
 * import) gets them checked, here or by parse workers, a batch at a time;
 * any other (the API client) gets each parsed row.
 */
async function feedNdjson(
  input: FileInput,
  source: number,
  sink: RowSink,
  onBytes: (bytes: number) => void,
  poolFor: (timeZone: string) => ParsePool | null,
  batchBytes?: number,
): Promise<void> {
  const batches = ndjsonBatches(input.file, input.type ?? null, onBytes, batchBytes);
  const checks = sink.checks;
  if (!checks) {
    for await (const batch of batches) {
      for (const [index, text] of batchLines(batch).entries()) {
        const line = batch.firstLine + index;
        const parsed = parseNdjsonLine(text, batch.fallbackType);
        if (parsed.kind === 'unreadable') sink.reject(source, line, parsed.field, parsed.reason);
        else if (parsed.kind === 'row') await sink.add(parsed.type, parsed.record, source, line, ignoreType);
      }
    }
    return;
  }
  await checkBatches(batches, (batch) => ({ format: 'ndjson', batch }), source, checks, poolFor(checks.timeZone));
}
