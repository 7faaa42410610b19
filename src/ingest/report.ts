import type { RecordType } from './record-types.js';
import { recordSpecs, recordTypes } from './record-types.js';

/** What happened to the rows of one type. */
export interface TypeSummary {
  type: RecordType;
  /** Rows read (valid or not). */
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** One problem with one row: where it came from, which field and why. */
export interface Rejection {
  /** Null for a line that is no record at all (bad JSON, unknown type). */
  type: RecordType | null;
  /** A file name, or `batch N` for the API. */
  source: string;
  /** The file's line (CSV: the record's last line; NDJSON: its line), or the row's index in its batch. */
  line: number;
  field: string;
  reason: string;
}

export interface ImportReport {
  /** True when the rows were written (false: dry run, or rejected as a whole). */
  committed: boolean;
  dryRun: boolean;
  skipInvalid: boolean;
  /** The zone that timestamps without an offset were read in. */
  timeZone: string;
  types: TypeSummary[];
  /** Stage events derived for deals imported without a history. */
  derivedStageEvents: { inserted: number; updated: number; deleted: number };
  /** Problems found (up to the limit; `rejectionCount` counts them all). */
  rejections: Rejection[];
  rejectionCount: number;
  elapsedMs: number;
}

export function emptySummaries(): Record<RecordType, TypeSummary> {
  return Object.fromEntries(
    recordTypes.map((type) => [type, { type, rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 }]),
  ) as Record<RecordType, TypeSummary>;
}

/** The report as the command line prints it. */
export function formatReport(report: ImportReport): string {
  const lines: string[] = [];
  const types = report.types.filter((summary) => summary.rows > 0);
  const width = Math.max(8, ...types.map((summary) => recordSpecs[summary.type].plural.length));
  lines.push(`${'type'.padEnd(width)}  ${['rows', 'inserted', 'updated', 'unchanged', 'rejected'].map((h) => h.padStart(9)).join(' ')}`);
  for (const s of types) {
    lines.push(`${recordSpecs[s.type].plural.padEnd(width)}  ${[s.rows, s.inserted, s.updated, s.unchanged, s.rejected].map((n) => n.toLocaleString('en').padStart(9)).join(' ')}`);
  }
  const derived = report.derivedStageEvents;
  if (derived.inserted + derived.updated + derived.deleted > 0) {
    lines.push(`Derived stage events (deals without a history): ${derived.inserted} inserted, ${derived.updated} updated, ${derived.deleted} deleted.`);
  }
  lines.push(`Timestamps without an offset were read in the workspace's time zone, ${report.timeZone}.`);
  for (const r of report.rejections) lines.push(`  ${r.source}:${r.line}: ${r.field}: ${r.reason}`);
  if (report.rejectionCount > report.rejections.length) lines.push(`  … and ${report.rejectionCount - report.rejections.length} more problems.`);
  const rejected = report.types.reduce((n, s) => n + s.rejected, 0);
  if (report.dryRun) lines.push(`Dry run: nothing was written${rejected > 0 ? `; ${rejected} row(s) would be rejected` : ''}.`);
  else if (!report.committed) lines.push(`Nothing was written: ${rejected} row(s) were rejected (use --skip-invalid to write the valid rows).`);
  else lines.push(`Done in ${(report.elapsedMs / 1000).toFixed(1)} s${rejected > 0 ? `; ${rejected} invalid row(s) skipped` : ''}.`);
  return lines.join('\n');
}
