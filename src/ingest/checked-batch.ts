/**
 * A batch of file lines checked as a whole: every row validated on its own
 * and turned into its staging table's COPY text, counted per record type,
 * with every problem and its line. NDJSON and CSV batches (ndjson-batches.ts,
 * csv-batches.ts) are checked into the same shape, here or in a parse
 * worker, so the importing thread stages either kind the same way.
 */
import type { RecordType } from './record-types.js';
import { recordSpecs, recordTypes } from './record-types.js';
import { validateRow } from './row-validator.js';
import { stagedLine } from './staging.js';
import type { RawValue, TimestampReader } from './values.js';

/** Where a batch's rows go: its source, and the first of the seqs it holds, one a line (NDJSON line i, or CSV record i, gets firstSeq + i). */
export interface BatchPlace {
  source: number;
  firstSeq: number;
}

/**
 * A checked batch, summed per record type (arrays indexed like
 * `recordTypes`): its valid rows as ready COPY lines of their staging
 * table (`copies`, UTF-8, empty for none), the counts, and every problem
 * found, with its line (`type` -1: the line is no record at all).
 */
export interface CheckedBatch {
  /** Bytes of their own (never a pooled Buffer's), so that a worker can move them to the importing thread. */
  copies: Uint8Array<ArrayBuffer>[];
  staged: number[];
  /** The seq of each type's last valid row; 0 for none. */
  lastSeq: number[];
  rows: number[];
  rejected: number[];
  unreadable: number;
  problems: { line: number; type: number; field: string; reason: string }[];
  /** CSV only: the batch is not readable as CSV (the parser's message, its lines counted from the batch's start). */
  formatError?: string;
}

/** Collects the rows of one batch into a CheckedBatch. */
export class BatchChecks {
  // Each type's COPY lines, joined once at the end.
  private readonly copyLines: string[][] = recordTypes.map(() => []);
  private readonly checked: Omit<CheckedBatch, 'copies'> = {
    staged: recordTypes.map(() => 0),
    lastSeq: recordTypes.map(() => 0),
    rows: recordTypes.map(() => 0),
    rejected: recordTypes.map(() => 0),
    unreadable: 0,
    problems: [],
  };

  constructor(
    private readonly place: BatchPlace,
    private readonly timestamps: TimestampReader,
  ) {}

  /** A row of `type` at the file's `line`, the batch's line `index` (0-based; its seq is firstSeq + index). */
  row(type: RecordType, record: Readonly<Record<string, RawValue>>, line: number, index: number, ignore?: ReadonlySet<string>): void {
    const typeIndex = recordTypes.indexOf(type);
    this.checked.rows[typeIndex]!++;
    const result = validateRow(recordSpecs[type], record, this.timestamps, ignore);
    if (result.ok) {
      const seq = this.place.firstSeq + index;
      this.copyLines[typeIndex]!.push(`${stagedLine(seq, this.place.source, line, result.text)}\n`);
      this.checked.staged[typeIndex]!++;
      this.checked.lastSeq[typeIndex] = seq;
    } else {
      this.checked.rejected[typeIndex]!++;
      for (const problem of result.problems) this.checked.problems.push({ line, type: typeIndex, ...problem });
    }
  }

  /** A line that is no record at all. */
  unreadable(line: number, field: string, reason: string): void {
    this.checked.unreadable++;
    this.checked.problems.push({ line, type: -1, field, reason });
  }

  /** The batch, its COPY text encoded here: in a worker, that is work the importing thread need not do. */
  finish(): CheckedBatch {
    return { ...this.checked, copies: this.copyLines.map((rows) => (rows.length === 0 ? noBytes : encoder.encode(rows.join('')))) };
  }
}

const encoder = new TextEncoder();
const noBytes = new Uint8Array(new ArrayBuffer(0));

/** The buffers a checked batch can move to another thread. */
export function transferables(checked: CheckedBatch): ArrayBuffer[] {
  return checked.copies.filter((bytes) => bytes.byteLength > 0).map((bytes) => bytes.buffer);
}
