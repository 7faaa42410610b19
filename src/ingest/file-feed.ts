/**
 * Rows from files, streamed: CSV (a header row; one record type per file,
 * named by --type or the file name) and NDJSON (one JSON object a line, its
 * `type` field naming the record type). Each row is handed on before the
 * next is read, so memory does not grow with the file.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import type { RowSink } from './importer.js';
import type { RecordType } from './record-types.js';
import { recordTypeNames, recordTypeOf } from './record-types.js';
import type { RawValue } from './values.js';

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

/** Feeds the rows of several files in turn; `fraction` reports bytes read over all of them. */
export function filesFeed(inputs: readonly FileInput[]): (sink: RowSink) => Promise<void> {
  return async (sink) => {
    const sizes = await Promise.all(inputs.map(async (input) => (await stat(input.file)).size));
    const total = sizes.reduce((a, b) => a + b, 0) || 1;
    let before = 0;
    for (const [index, input] of inputs.entries()) {
      const source = sink.source(path.basename(input.file));
      const onBytes = (bytes: number) => sink.readFraction((before + bytes) / total);
      if (input.format === 'csv') await feedCsv(input, source, sink, onBytes);
      else await feedNdjson(input, source, sink, onBytes);
      before += sizes[index] ?? 0;
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

async function feedNdjson(input: FileInput, source: number, sink: RowSink, onBytes: (bytes: number) => void): Promise<void> {
  const lines = createInterface({ input: createReadStream(input.file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  let bytes = 0;
  for await (const text of lines) {
    line++;
    bytes += text.length + 1;
    if (line % 1_000 === 0) onBytes(bytes);
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      sink.reject(source, line, 'line', `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      sink.reject(source, line, 'line', 'must be a JSON object with a "type" field.');
      continue;
    }
    const record = value as Record<string, RawValue>;
    const named = record['type'];
    const type = typeof named === 'string' ? recordTypeOf(named) : input.type;
    if (!type) {
      sink.reject(source, line, 'type', `must name a record type (${recordTypeNames}); got ${JSON.stringify(named ?? null)}.`);
      continue;
    }
    await sink.add(type, record, source, line, ignoreType);
  }
}
