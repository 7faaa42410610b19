/**
 * NDJSON read in batches of lines, and a batch checked as a whole: parsed,
 * validated and turned into staging (COPY) text. Checking a batch needs
 * nothing but the batch and the workspace's time zone, so it can run in a
 * worker thread (parse-pool.ts) as well as in the importing thread, with
 * the same code and the same result either way.
 */
import type { BatchPlace, CheckedBatch } from './checked-batch.js';
import { BatchChecks } from './checked-batch.js';
import type { LineBatch } from './file-batches.js';
import { newlineCutter, recordBatches } from './file-batches.js';
import type { RecordType } from './record-types.js';
import { recordTypeNames, recordTypeOf } from './record-types.js';
import type { RawValue, TimestampReader } from './values.js';

/**
 * Bytes a batch reads (whole lines; a longer line makes a longer batch): a
 * worker's unit of work, a few hundred deals. Small, so that a batch's rows
 * and COPY text die young and V8 collects them cheaply: larger batches
 * survive into the old generation and garbage collection slows the checks.
 */
export const ndjsonBatchBytes = 128 << 10;

/** A run of whole lines of an NDJSON file (file-batches.ts). */
export interface NdjsonBatch extends LineBatch {
  /** The type of rows without a `type` field (the file's, from --type or its name). */
  fallbackType: RecordType | null;
}

/** The lines of a file in batches of whole lines, about `size` bytes each; `onBytes` reports progress. */
export async function* ndjsonBatches(file: string, fallbackType: RecordType | null, onBytes: (bytes: number) => void, size = ndjsonBatchBytes): AsyncGenerator<NdjsonBatch> {
  for await (const batch of recordBatches(file, newlineCutter, { size }, onBytes)) yield { ...batch, fallbackType };
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
  const checks = new BatchChecks(place, timestamps);
  const lines = batchLines(batch);
  for (let i = 0; i < lines.length; i++) {
    const line = batch.firstLine + i;
    const parsed = parseNdjsonLine(lines[i]!, batch.fallbackType);
    if (parsed.kind === 'row') checks.row(parsed.type, parsed.record, line, i, ignoreType);
    else if (parsed.kind === 'unreadable') checks.unreadable(line, parsed.field, parsed.reason);
  }
  return checks.finish();
}
