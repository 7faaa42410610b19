/**
 * CSV read in batches of whole records and checked a batch at a time, as
 * NDJSON is (ndjson-batches.ts), so that CSV rows too are parsed and
 * validated in parse workers.
 *
 * A quoted field may hold a line break, so a batch ends only at a record
 * delimiter outside quotes: the cutter follows the quotes (a doubled quote
 * inside a quoted field toggles twice). Records are read by a small parser
 * of what csv-parse reads with the streaming path's options (file-feed.ts);
 * whatever it does not read (a quote inside an unquoted field, a lone \r,
 * a wrong number of fields) goes to csv-parse itself. So a batch reads as
 * the stream would, and a file that csv-parse refuses is refused with
 * csv-parse's own message (file-feed.ts finds it).
 */
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { BatchPlace, CheckedBatch } from './checked-batch.js';
import { BatchChecks } from './checked-batch.js';
import type { LineBatch, RecordCutter } from './file-batches.js';
import type { RecordType } from './record-types.js';
import type { TimestampReader } from './values.js';

/** What a CSV file's header row says: the columns, and how records end. */
export interface CsvLayout {
  /** Header names, trimmed, as the streaming parser's `columns` gives them. */
  columns: string[];
  /** Records end with \r\n, else with \n: csv-parse takes the header row's ending for the file's. */
  crlf: boolean;
  /** Bytes of the byte order mark and the header row: where the records start. */
  headerBytes: number;
}

/** A run of whole records of a CSV file, after its header. */
export interface CsvBatch extends LineBatch {
  type: RecordType;
  layout: CsvLayout;
}

const LF = 10;
const CR = 13;
const QUOTE = 34;
const COMMA = 44;

/**
 * Bytes a batch reads: a few hundred deals (CSV rows are shorter than
 * NDJSON's). A batch's rows and their COPY text stay alive until it is
 * done, so small batches let them die young, where V8 collects them
 * cheaply; with large ones garbage collection dominates a worker's time.
 */
export const csvBatchBytes = 64 << 10;

/** How much of a file's start the header must fit in. */
const headerLimit = 64 << 10;

/**
 * The layout of a CSV file whose header is one plain line ending in \n or
 * \r\n; null for anything else (no header, a line break inside a quoted
 * header name, \r line ends), which the streaming path reads instead.
 */
export async function readCsvLayout(file: string): Promise<CsvLayout | null> {
  const handle = await open(file, 'r');
  try {
    const start = Buffer.alloc(headerLimit);
    const { bytesRead } = await handle.read(start, 0, headerLimit, 0);
    const bytes = start.subarray(0, bytesRead);
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    const end = bytes.indexOf(LF, bom);
    if (end === -1) return null;
    const crlf = end > bom && bytes[end - 1] === CR;
    const header = bytes.subarray(bom, crlf ? end - 1 : end).toString('utf8');
    if (header.includes('\r') || header.split('"').length % 2 === 0) return null;
    let rows: string[][];
    try {
      rows = parse(header) as string[][];
    } catch {
      return null;
    }
    if (rows.length !== 1) return null;
    return { columns: rows[0]!.map((name) => name.trim()), crlf, headerBytes: end + 1 };
  } finally {
    await handle.close();
  }
}

/** Ends batches at record delimiters outside quotes; keeps whether the bytes scanned so far end inside quotes. */
export class CsvCutter implements RecordCutter {
  private quoted = false;

  constructor(private readonly crlf: boolean) {}

  scan(data: Uint8Array, from: number): number {
    let last = 0;
    let pos = from;
    while (pos < data.length) {
      const quote = data.indexOf(QUOTE, pos);
      if (this.quoted) {
        if (quote === -1) break;
        this.quoted = false;
      } else {
        const stop = quote === -1 ? data.length : quote;
        const end = this.lastDelimiter(data, pos, stop);
        if (end > 0) last = end;
        if (quote === -1) break;
        this.quoted = true;
      }
      pos = quote + 1;
    }
    return last;
  }

  /** The end of the last record delimiter within data[from, to), or 0. */
  private lastDelimiter(data: Uint8Array, from: number, to: number): number {
    for (let at = to > from ? data.lastIndexOf(LF, to - 1) : -1; at >= from; at = at > 0 ? data.lastIndexOf(LF, at - 1) : -1) {
      // With \r\n records a lone \n is data, as csv-parse reads it.
      if (!this.crlf || (at > 0 && data[at - 1] === CR)) return at + 1;
    }
    return 0;
  }
}

/** Records read from a batch's text, each with its last line (counted from 1 at the text's start). */
export interface CsvRecords {
  records: Record<string, string>[];
  lines: number[];
}

function newlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/**
 * Reads whole records of well-formed CSV (RFC 4180, the given record
 * ending, empty lines skipped) as csv-parse does with these columns; null
 * at anything else, for csv-parse to read or refuse.
 */
export function readCsvRecords(text: string, columns: readonly string[], crlf: boolean): CsvRecords | null {
  const records: Record<string, string>[] = [];
  const lines: number[] = [];
  const length = text.length;
  let pos = 0;
  let line = 1;
  while (pos < length) {
    const first = text.charCodeAt(pos);
    if (!crlf && first === LF) {
      pos++;
      line++;
      continue;
    }
    if (crlf && first === CR && text.charCodeAt(pos + 1) === LF) {
      pos += 2;
      line++;
      continue;
    }
    const record: Record<string, string> = {};
    let field = 0;
    for (;;) {
      let value: string;
      if (text.charCodeAt(pos) === QUOTE) {
        value = '';
        let from = pos + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close === -1) return null;
          const piece = text.slice(from, close);
          value += piece;
          line += newlines(piece);
          if (text.charCodeAt(close + 1) !== QUOTE) {
            pos = close + 1;
            break;
          }
          value += '"';
          from = close + 2;
        }
      } else {
        let end = pos;
        for (; end < length; end++) {
          const c = text.charCodeAt(end);
          if (c === COMMA || c === LF || c === CR || c === QUOTE) break;
        }
        value = text.slice(pos, end);
        pos = end;
      }
      if (field === columns.length) return null;
      record[columns[field++]!] = value;
      if (pos >= length) break;
      const next = text.charCodeAt(pos);
      if (next === COMMA) {
        pos++;
        continue;
      }
      if (!crlf && next === LF) {
        pos++;
        break;
      }
      if (crlf && next === CR && text.charCodeAt(pos + 1) === LF) {
        pos += 2;
        break;
      }
      return null;
    }
    if (field !== columns.length) return null;
    records.push(record);
    lines.push(line++);
  }
  return { records, lines };
}

/**
 * What csv-parse makes of a batch: its records, or its error. Lines are
 * counted from where each record ends (csv-parse's own count takes every
 * \r for a line too), so they are the lines an editor shows either way.
 */
function csvParseRecords(text: string, bytes: Uint8Array, layout: CsvLayout): CsvRecords | { error: string } {
  let parsed: { record: Record<string, string>; info: { bytes: number } }[];
  try {
    parsed = parse(text, { columns: layout.columns, record_delimiter: layout.crlf ? '\r\n' : '\n', skip_empty_lines: true, info: true }) as typeof parsed;
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  const lines: number[] = [];
  let line = 1;
  let newline = bytes.indexOf(LF);
  for (const { info } of parsed) {
    // Newlines before the record's last byte (its delimiter's \n, or the batch's end).
    while (newline !== -1 && newline < info.bytes - 1) {
      line++;
      newline = bytes.indexOf(LF, newline + 1);
    }
    lines.push(line);
  }
  return { records: parsed.map((row) => row.record), lines };
}

/** A batch's records and their lines in the file, or csv-parse's error (its lines counted from the batch's start). */
export function readCsvBatch(batch: CsvBatch): CsvRecords | { error: string } {
  const text = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength).toString('utf8');
  const read = readCsvRecords(text, batch.layout.columns, batch.layout.crlf) ?? csvParseRecords(text, batch.bytes, batch.layout);
  if ('error' in read) return read;
  return { records: read.records, lines: read.lines.map((line) => batch.firstLine - 1 + line) };
}

/** Parses and validates every record of a batch, staged at `place`; see CheckedBatch. */
export function checkCsvBatch(batch: CsvBatch, place: BatchPlace, timestamps: TimestampReader): CheckedBatch {
  const checks = new BatchChecks(place, timestamps);
  const read = readCsvBatch(batch);
  if ('error' in read) return { ...checks.finish(), formatError: read.error };
  // A batch has a seq for each of its lines; records are fewer, so the i-th takes the i-th seq.
  for (let i = 0; i < read.records.length; i++) checks.row(batch.type, read.records[i]!, read.lines[i]!, i);
  return checks.finish();
}
