/**
 * A file read as batches of whole records, as bytes: cheap to read and to
 * hand to a worker thread (the buffer moves). What ends a record is the
 * format's business (a `RecordCutter`): a newline for NDJSON, a record
 * delimiter outside quotes for CSV. Lines are counted as an editor shows
 * them (newline bytes), so that a rejection's line can be found in the file.
 */
import { createReadStream } from 'node:fs';

/** A run of whole records of a file. */
export interface LineBatch {
  /** The file's line number of the first line. */
  firstLine: number;
  /** Lines in `bytes`: its newlines, plus a last line without one at the end of a file. */
  lineCount: number;
  /** UTF-8; cut only at newlines, which never fall inside a character. */
  bytes: Uint8Array;
}

/** Finds where whole records end in the bytes read so far. */
export interface RecordCutter {
  /**
   * `data` is the bytes not yet batched; `data[0, from)` was scanned before
   * (the cutter keeps what it needs of that, such as being inside quotes).
   * Returns the end (exclusive) of the last whole record in `data`, or 0.
   */
  scan(data: Uint8Array, from: number): number;
}

/** A record longer than the reader holds at once: the file is read some other way, or refused. */
export class RecordTooLongError extends Error {}

export interface BatchReading {
  /** Bytes a read (and so about a batch). */
  size: number;
  /** Where reading starts (after a CSV header) and the line number there. */
  start?: number;
  firstLine?: number;
  /** Most bytes held without a record's end before RecordTooLongError; default: no limit. */
  maxPending?: number;
}

/** Bytes with a buffer of their own (a read stream's chunks may share one), so that they can move to a worker. */
const ownCopy = (bytes: Uint8Array): Uint8Array => new Uint8Array(bytes);

export function countLines(bytes: Uint8Array): number {
  let count = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) count++;
  return count;
}

/** The records of a file in batches, about `size` bytes each; `onBytes` reports progress (bytes read, counted from `start`). */
export async function* recordBatches(file: string, cutter: RecordCutter, reading: BatchReading, onBytes: (bytes: number) => void): AsyncGenerator<LineBatch> {
  let rest: Uint8Array | null = null;
  let bytes = 0;
  let next = reading.firstLine ?? 1;
  const stream = createReadStream(file, { highWaterMark: reading.size, start: reading.start ?? 0 }) as AsyncIterable<Buffer>;
  for await (const chunk of stream) {
    bytes += chunk.length;
    const scanned = rest?.length ?? 0;
    const data: Uint8Array = rest ? Buffer.concat([rest, chunk]) : chunk;
    const end = cutter.scan(data, scanned);
    if (end === 0) {
      if (reading.maxPending !== undefined && data.length > reading.maxPending) {
        throw new RecordTooLongError(`a record at line ${next} runs past ${reading.maxPending} bytes`);
      }
      rest = data;
    } else {
      const batch = ownCopy(data.subarray(0, end));
      const lineCount = countLines(batch);
      yield { firstLine: next, lineCount, bytes: batch };
      next += lineCount;
      rest = end < data.length ? ownCopy(data.subarray(end)) : null;
    }
    onBytes(bytes);
  }
  if (rest && rest.length > 0) yield { firstLine: next, lineCount: countLines(rest) + 1, bytes: ownCopy(rest) };
}

/** NDJSON: every newline ends a record. */
export const newlineCutter: RecordCutter = { scan: (data) => data.lastIndexOf(10) + 1 };
