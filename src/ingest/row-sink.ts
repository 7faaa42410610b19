/**
 * How a feed (files, API batches) hands rows to an import: row by row, or a
 * batch at a time when the rows were checked elsewhere (parse workers).
 */
import type { CheckedBatch } from './checked-batch.js';
import type { RecordType } from './record-types.js';
import type { RawValue } from './values.js';

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
