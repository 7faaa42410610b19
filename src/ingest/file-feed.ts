/**
 * Rows from files, streamed: CSV (a header row; one record type per file,
 * named by --type or the file name) and NDJSON (one JSON object a line, its
 * `type` field naming the record type). Each row is handed on before the
 * next is read, so memory does not grow with the file.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse';
import type { RowSink } from './importer.js';
import type { CheckedBatch } from './ndjson-batches.js';
import { batchLines, checkNdjsonBatch, ndjsonBatches, parseNdjsonLine } from './ndjson-batches.js';
import { ParsePool, defaultParseWorkers, parseWorkerMinimumBytes } from './parse-pool.js';
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
   * Worker threads that check NDJSON rows (parse-pool.ts); 0 checks them in
   * this thread. Default: one a core for files of 16 MB and more, else 0.
   */
  parseWorkers?: number;
  /** NDJSON bytes a batch (ndjson-batches.ts); tests make it small to get many batches. */
  batchBytes?: number;
}

/** Feeds the rows of several files in turn; `fraction` reports bytes read over all of them. */
export function filesFeed(inputs: readonly FileInput[], options: FeedOptions = {}): (sink: RowSink) => Promise<void> {
  return async (sink) => {
    const sizes = await Promise.all(inputs.map(async (input) => (await stat(input.file)).size));
    const total = sizes.reduce((a, b) => a + b, 0) || 1;
    let before = 0;
    // One pool for all the files that use it: starting workers costs time.
    let pool: ParsePool | null = null;
    const poolFor = (size: number, timeZone: string): ParsePool | null => {
      const workers = options.parseWorkers ?? (size >= parseWorkerMinimumBytes ? defaultParseWorkers() : 0);
      if (workers > 0) pool ??= new ParsePool(workers, timeZone);
      return workers > 0 ? pool : null;
    };
    try {
      for (const [index, input] of inputs.entries()) {
        const source = sink.source(path.basename(input.file));
        const onBytes = (bytes: number) => sink.readFraction((before + bytes) / total);
        if (input.format === 'csv') await feedCsv(input, source, sink, onBytes);
        else await feedNdjson(input, source, sink, onBytes, (timeZone) => poolFor(sizes[index] ?? 0, timeZone), options.batchBytes);
        before += sizes[index] ?? 0;
      }
    } finally {
      await (pool as ParsePool | null)?.close();
    }
  };
}

async function feedCsv(input: FileInput, source: number, sink: RowSink, onBytes: (bytes: number) => void): Promise<void> {
  const type = input.type;
  if (!type) throw new FileFormatError(`${input.file}: cannot tell the record type from the file name; name it after the type (${recordTypeNames}) or give --type.`);
  const parser = createReadStream(input.file).pipe(
    parse({ columns: (header: string[]) => header.map((name) => name.trim()), bom: true, info: true, skip_empty_lines: true }),
  );
  let count = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; bytes: number } }>) {
      await sink.add(type, record, source, info.lines);
      if (++count % 1_000 === 0) onBytes(info.bytes);
    }
  } catch (error) {
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('CSV_')) {
      throw new FileFormatError(`${input.file}: not readable as CSV: ${error.message}`);
    }
    throw error;
  }
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
  const pool = poolFor(checks.timeZone);
  const timestamps = new TimestampReader(checks.timeZone);
  // Batches under way, oldest first: results are staged in file order.
  const queue: Promise<CheckedBatch>[] = [];
  for await (const batch of batches) {
    // Seqs are handed out as batches leave, so they follow the file's order.
    const place = { source, firstSeq: checks.reserveSeqs(batch.lineCount) };
    queue.push(pool ? pool.check(batch, place) : Promise.resolve(checkNdjsonBatch(batch, place, timestamps)));
    if (queue.length >= (pool?.depth ?? 1)) await checks.addBatch(await queue.shift()!, source);
  }
  for (const checked of queue) await checks.addBatch(await checked, source);
}
