/**
 * Turns the rows of a bucketed statement (per grouping set, group key and
 * elementary interval) into each group's values per period and group key.
 * A range period [start, end) is the intervals start…end−1 of the edges:
 * prefix sums give its total in one subtraction. A snapshot at edge k counts
 * rows with bucket(from) < k ≤ bucket(until) (an absent until is after every
 * edge): a difference array over k gives every edge in one pass.
 */
import type { GroupKey } from '../define.js';
import { ungrouped } from '../define.js';
import type { BucketedGroup, BucketedStatement } from './bucketed.js';
import { timingKey } from './bucketed.js';
import type { CompiledMeasure, ResultRow } from './compile.js';
import { decodeMeasure, groupKeyOf } from './compile.js';
import { FixedPoint } from './fixed-point.js';

/** A group's values: period index → group key → its aggregate columns. */
export interface GroupResult {
  measures: CompiledMeasure[];
  rows: Map<number, Map<GroupKey, ResultRow>>;
}

type Accumulator = number | FixedPoint;
/** Per column, per position (bucket for a range, edge for a snapshot). */
type Series = Accumulator[][];

// Counts are numbers, sums exact fixed-point decimals; a column never mixes them.
const zero = FixedPoint.zero;
const add = (a: Accumulator, b: Accumulator): Accumulator =>
  typeof a === 'number' ? a + (b as number) : a.plus(b as FixedPoint);
const sub = (a: Accumulator, b: Accumulator): Accumulator =>
  typeof a === 'number' ? a - (b as number) : a.minus(b as FixedPoint);
const isZero = (value: Accumulator): boolean => (typeof value === 'number' ? value === 0 : value.isZero());

/** Row counts per period come from column 0 (`count(*)`), which compileBucketed always adds first. */
const rowsColumn = 0;

export function expandBucketed(
  statement: BucketedStatement,
  groups: readonly BucketedGroup[],
  rows: readonly Record<string, unknown>[],
): GroupResult[] {
  const n = statement.edges.length;
  const width = n + 2;
  const kinds = statement.columnKinds;
  const emptySeries = (): Series => kinds.map((kind) => new Array<Accumulator>(width).fill(kind === 'count' ? 0 : zero));
  // Two timings over the same time fields (a snapshot from a until b, and
  // one from b until a) share a grouping set, so its rows serve both.
  const entries = statement.sets.map((set) => ({ set, keys: new Map<GroupKey, Series>() }));
  const bySet = new Map<number, typeof entries>();
  for (const entry of entries) bySet.set(entry.set.mask, [...(bySet.get(entry.set.mask) ?? []), entry]);

  // Column names are built once: a dashboard's rows are read thousands of times.
  const countColumns = kinds.map((_kind, c) => `c${c}`);
  const bucketColumns = statement.bucketFields.map((_field, i) => `b${i}`);
  const bucketAt = (row: Readonly<Record<string, unknown>>, bucket: number): number | null => {
    const value = row[bucketColumns[bucket]!];
    return value === null || value === undefined ? null : Number(value);
  };
  const accumulate = ({ set, keys }: (typeof entries)[number], row: Readonly<Record<string, unknown>>): void => {
    let at: number;
    let until: number | null = null;
    if (set.timing.kind === 'range') {
      const b = bucketAt(row, set.buckets[0]!);
      if (b === null) return;
      at = b;
    } else {
      const from = bucketAt(row, set.buckets[0]!);
      if (from === null) return;
      // Alive at edges from+1 … min(until, n); an absent until never ends.
      at = from + 1;
      until = Math.min(bucketAt(row, set.buckets[1]!) ?? n + 1, n) + 1;
      if (until <= at) return;
    }
    const key: GroupKey = row['gk'] === undefined ? ungrouped : groupKeyOf(row['gk']);
    let series = keys.get(key);
    if (!series) keys.set(key, (series = emptySeries()));
    for (let c = 0; c < kinds.length; c++) {
      const raw = row[countColumns[c]!];
      if (raw === null || raw === undefined) continue;
      const value: Accumulator = kinds[c] === 'count' ? Number(raw) : FixedPoint.parse(String(raw));
      const line = series[c]!;
      line[at] = add(line[at]!, value);
      if (until !== null) line[until] = sub(line[until]!, value);
    }
  };
  for (const row of rows) for (const entry of bySet.get(Number(row['gs'])) ?? []) accumulate(entry, row);

  // Prefix sums: for a range, position i holds the total of buckets < i; for a snapshot, the value at edge i.
  for (const { set, keys } of entries) {
    for (const series of keys.values()) {
      for (const line of series) {
        if (set.timing.kind === 'range') {
          let total: Accumulator = line[0]!;
          line[0] = typeof total === 'number' ? 0 : zero;
          for (let i = 1; i < width; i++) {
            const here = line[i]!;
            line[i] = total;
            total = add(total, here);
          }
        } else {
          for (let i = 1; i < width; i++) line[i] = add(line[i - 1]!, line[i]!);
        }
      }
    }
  }

  const position = new Map(statement.edges.map((ms, index) => [ms, index + 1]));
  const positionOf = (date: Date): number => position.get(date.getTime()) ?? 0;
  return groups.map((group, g) => {
    const entry = entries.find(({ set }) => timingKey(set.timing) === timingKey(group.timing));
    const used = [...new Set([rowsColumn, ...statement.measures[g]!.flatMap((measure) => measure.columns.map((ref) => ref.column))])];
    const measures: CompiledMeasure[] = statement.measures[g]!.map((measure) => {
      const names = measure.columns.map((ref) => countColumns[ref.column]!);
      return { decode: (row) => decodeMeasure(measure.kind, measure.divisor, names.map((name) => row?.[name])) };
    });
    const byPeriod = new Map<number, Map<GroupKey, ResultRow>>();
    group.periods.forEach((period, p) => {
      // A range is the difference of two prefix sums; a snapshot one position.
      const [end, start] =
        group.timing.kind === 'range' ? [positionOf(period.end), positionOf(period.start)] : [positionOf(period.edge ?? period.end), null];
      const valueAt = (line: Accumulator[]): Accumulator => (start === null ? line[end]! : sub(line[end]!, line[start]!));
      const byKey = new Map<GroupKey, ResultRow>();
      for (const [key, series] of entry?.keys ?? []) {
        if (isZero(valueAt(series[rowsColumn]!))) continue;
        const row: ResultRow = { pi: p, gk: key };
        for (const c of used) row[countColumns[c]!] = valueAt(series[c]!);
        byKey.set(key, row);
      }
      if (byKey.size > 0) byPeriod.set(p, byKey);
    });
    return { measures, rows: byPeriod };
  });
}
