/**
 * NDJSON read in batches of lines, and a batch checked as a whole: parsed,
 * validated and turned into staging (COPY) text. Checking a batch needs
 * nothing but the batch and the workspace's time zone, so it can run in a
 * worker thread (parse-pool.ts) as well as in the importing thread, with
 * the same code and the same result either way.
 */
import { createReadStream } from 'node:fs';
import type { RecordType } from './record-types.js';
import { recordSpecs, recordTypeNames, recordTypeOf, recordTypes } from './record-types.js';
import { validateRow } from './row-validator.js';
import { stagedLine } from './staging.js';
import type { RawValue, TimestampReader } from './values.js';

/** Bytes a batch reads (whole lines; a longer line makes a longer batch): a worker's unit of work, about 4,500 deals. */
export const ndjsonBatchBytes = 1 << 20;

/** A run of whole lines of a file, as bytes: cheap to read and to hand to a worker thread (the buffer moves). */
export interface NdjsonBatch {
  /** The file's line number of the first line. */
  firstLine: number;
  /** Lines in `bytes`: its newlines, plus a last line without one at the end of a file. */
  lineCount: number;
  /** UTF-8; cut only at newlines, which never fall inside a character. */
  bytes: Uint8Array;
  /** The type of rows without a `type` field (the file's, from --type or its name). */
  fallbackType: RecordType | null;
}

/** Where a batch's rows go: its source, and the staging seq of its first line (line i gets firstSeq + i). */
export interface BatchPlace {
  source: number;
  firstSeq: number;
}

/**
 * A checked batch, summed per record type (arrays indexed like
 * `recordTypes`): its valid rows as ready COPY lines of their staging
 * table (`copies`, '' for none), the counts, and every problem found, with
 * its line (`type` -1: the line is no record at all).
 */
export interface CheckedBatch {
  copies: string[];
  staged: number[];
  /** The seq of each type's last valid row; 0 for none. */
  lastSeq: number[];
  rows: number[];
  rejected: number[];
  unreadable: number;
  problems: { line: number; type: number; field: string; reason: string }[];
}

/** Bytes with a buffer of their own (a read stream's chunks may share one), so that they can move to a worker. */
const ownCopy = (bytes: Uint8Array): Uint8Array => new Uint8Array(bytes);

function countLines(bytes: Uint8Array, from: number, to: number): number {
  let count = 0;
  for (let at = bytes.indexOf(10, from); at !== -1 && at < to; at = bytes.indexOf(10, at + 1)) count++;
  return count;
}

/** The lines of a file in batches of whole lines, about `size` bytes each; `onBytes` reports progress. */
export async function* ndjsonBatches(file: string, fallbackType: RecordType | null, onBytes: (bytes: number) => void, size = ndjsonBatchBytes): AsyncGenerator<NdjsonBatch> {
  let rest: Uint8Array | null = null;
  let bytes = 0;
  let next = 1;
  for await (const chunk of createReadStream(file, { highWaterMark: size }) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    const data: Uint8Array = rest ? Buffer.concat([rest, chunk]) : chunk;
    const end = data.lastIndexOf(10);
    if (end === -1) {
      rest = data;
    } else {
      const lineCount = countLines(data, 0, end + 1);
      yield { firstLine: next, lineCount, bytes: ownCopy(data.subarray(0, end + 1)), fallbackType };
      next += lineCount;
      rest = end + 1 < data.length ? ownCopy(data.subarray(end + 1)) : null;
    }
    onBytes(bytes);
  }
  if (rest && rest.length > 0) yield { firstLine: next, lineCount: 1, bytes: ownCopy(rest), fallbackType };
}

/** A batch's lines as text, without their line ends (a \r before a \n is dropped too). */
export function batchLines(batch: NdjsonBatch): string[] {
  const lines = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength).toString('utf8').split('\n', batch.lineCount);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
  }
  return lines;
}

export type NdjsonLine =
  | { kind: 'blank' }
  | { kind: 'unreadable'; field: string; reason: string }
  | { kind: 'row'; type: RecordType; record: Record<string, RawValue> };

/** One line: a record of a known type, or why it is none. */
export function parseNdjsonLine(text: string, fallbackType: RecordType | null): NdjsonLine {
  if (text.trim() === '') return { kind: 'blank' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: 'unreadable', field: 'line', reason: `is not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'unreadable', field: 'line', reason: 'must be a JSON object with a "type" field.' };
  const record = value as Record<string, RawValue>;
  const named = record['type'];
  const type = typeof named === 'string' ? recordTypeOf(named) : (fallbackType ?? undefined);
  if (!type) return { kind: 'unreadable', field: 'type', reason: `must name a record type (${recordTypeNames}); got ${JSON.stringify(named ?? null)}.` };
  return { kind: 'row', type, record };
}

const ignoreType: ReadonlySet<string> = new Set(['type']);

/** Parses and validates every line of a batch, staged at `place`; see CheckedBatch. */
export function checkNdjsonBatch(batch: NdjsonBatch, place: BatchPlace, timestamps: TimestampReader): CheckedBatch {
  const types = recordTypes.length;
  // Each type's COPY lines, joined once at the end.
  const copyLines: string[][] = Array.from({ length: types }, () => []);
  const checked: Omit<CheckedBatch, 'copies'> = {
    staged: new Array<number>(types).fill(0),
    lastSeq: new Array<number>(types).fill(0),
    rows: new Array<number>(types).fill(0),
    rejected: new Array<number>(types).fill(0),
    unreadable: 0,
    problems: [],
  };
  const lines = batchLines(batch);
  for (let i = 0; i < lines.length; i++) {
    const line = batch.firstLine + i;
    const parsed = parseNdjsonLine(lines[i]!, batch.fallbackType);
    if (parsed.kind === 'blank') continue;
    if (parsed.kind === 'unreadable') {
      checked.unreadable++;
      checked.problems.push({ line, type: -1, field: parsed.field, reason: parsed.reason });
      continue;
    }
    const type = recordTypes.indexOf(parsed.type);
    checked.rows[type]!++;
    const result = validateRow(recordSpecs[parsed.type], parsed.record, timestamps, ignoreType);
    if (result.ok) {
      const seq = place.firstSeq + i;
      copyLines[type]!.push(`${stagedLine(seq, place.source, line, result.text)}\n`);
      checked.staged[type]!++;
      checked.lastSeq[type] = seq;
    } else {
      checked.rejected[type]!++;
      for (const problem of result.problems) checked.problems.push({ line, type, ...problem });
    }
  }
  return { ...checked, copies: copyLines.map((rows) => rows.join('')) };
}
