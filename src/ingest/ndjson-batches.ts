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
import { stagedText } from './staging.js';
import type { RawValue, TimestampReader } from './values.js';

export interface NdjsonBatch {
  /** The file's line number of `lines[0]`. */
  firstLine: number;
  lines: string[];
  /** The type of rows without a `type` field (the file's, from --type or its name). */
  fallbackType: RecordType | null;
}

/**
 * A checked batch, one entry per non-blank line, in parallel arrays (cheap
 * to pass between threads): the line number, the record type's index in
 * `recordTypes` (-1: the line is no record at all), and for a valid row its
 * staging text (`stagedText`), else '' and its problems.
 */
export interface CheckedBatch {
  lines: Int32Array;
  types: Int8Array;
  texts: string[];
  problems: { entry: number; field: string; reason: string }[];
}

/** The lines of a file in batches of `size`, split on \n (a \r before it is dropped); `onBytes` reports progress. */
export async function* ndjsonBatches(file: string, size: number, fallbackType: RecordType | null, onBytes: (bytes: number) => void): AsyncGenerator<NdjsonBatch> {
  let rest = '';
  let bytes = 0;
  let next = 1;
  let lines: string[] = [];
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }) as AsyncIterable<string>) {
    bytes += Buffer.byteLength(chunk);
    const text = rest + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      lines.push(text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end));
      start = end + 1;
      if (lines.length === size) {
        yield { firstLine: next, lines, fallbackType };
        next += size;
        lines = [];
      }
    }
    rest = text.slice(start);
    onBytes(bytes);
  }
  if (rest !== '') lines.push(rest.endsWith('\r') ? rest.slice(0, -1) : rest);
  if (lines.length > 0) yield { firstLine: next, lines, fallbackType };
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

/** Parses and validates every line of a batch; see CheckedBatch. */
export function checkNdjsonBatch(batch: NdjsonBatch, timestamps: TimestampReader): CheckedBatch {
  const count = batch.lines.length;
  const lines = new Int32Array(count);
  const types = new Int8Array(count);
  const texts: string[] = [];
  const problems: CheckedBatch['problems'] = [];
  let entry = 0;
  for (let i = 0; i < count; i++) {
    const parsed = parseNdjsonLine(batch.lines[i]!, batch.fallbackType);
    if (parsed.kind === 'blank') continue;
    lines[entry] = batch.firstLine + i;
    if (parsed.kind === 'unreadable') {
      types[entry] = -1;
      texts.push('');
      problems.push({ entry, field: parsed.field, reason: parsed.reason });
    } else {
      types[entry] = recordTypes.indexOf(parsed.type);
      const result = validateRow(recordSpecs[parsed.type], parsed.record, timestamps, ignoreType);
      if (result.ok) texts.push(stagedText(parsed.type, result.row));
      else {
        texts.push('');
        for (const problem of result.problems) problems.push({ entry, ...problem });
      }
    }
    entry++;
  }
  return { lines: lines.subarray(0, entry), types: types.subarray(0, entry), texts, problems };
}
