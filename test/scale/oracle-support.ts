/**
 * What the rollup oracles share: a seeded random sequence, the periods they
 * ask for (months, and a random day, week, quarter and year of the
 * workspace's zone), and the answers of a set of cells with rollups on or
 * off, as comparable values.
 */
import type { Database } from '../../src/db/client.js';
import type { KpiCellKey } from '../../src/kpi/cell.js';
import type { CellValues } from '../../src/kpi/define.js';
import type { KpiBatchStats } from '../../src/kpi/engine.js';
import { createKpiLoader } from '../../src/kpi/engine.js';
import { addUnits, startOf } from '../../src/kpi/periods.js';
import type { KpiRegistry } from '../../src/kpi/registry.js';

/** A random sequence (mulberry32): the same on every run. */
export interface Random {
  next(): number;
  pick<T>(items: readonly T[]): T;
  /** An instant of 2025, within an hour of local midnights often, so that the zone decides the day. */
  instant(): Date;
}

export function random(seed: number): Random {
  let a = seed;
  const next = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const yearStart = Date.UTC(2025, 0, 1);
  const instant = (): Date => new Date(yearStart + Math.floor(next() * 365) * 86_400_000 + pick([0, 3_600_000 * 4, 3_600_000 * 22.5, Math.floor(next() * 86_400_000)]));
  return { next, pick, instant };
}

/** The 12 months of 2025 in the zone, a random day, week and quarter, and the whole year. */
export function oraclePeriods(rand: Random, timeZone: string): { start: Date; end: Date }[] {
  const months = Array.from({ length: 12 }, (_, m) => {
    const start = addUnits(startOf(new Date(Date.UTC(2025, 0, 15)), 'month', timeZone), 'month', m, timeZone);
    return { start, end: addUnits(start, 'month', 1, timeZone) };
  });
  const day = startOf(rand.instant(), 'day', timeZone);
  const week = startOf(rand.instant(), 'week', timeZone);
  const quarter = startOf(rand.instant(), 'quarter', timeZone);
  return [
    ...months,
    { start: day, end: addUnits(day, 'day', 1, timeZone) },
    { start: week, end: addUnits(week, 'week', 1, timeZone) },
    { start: quarter, end: addUnits(quarter, 'quarter', 1, timeZone) },
    { start: months[0]!.start, end: months[11]!.end },
  ];
}

const shown = (values: CellValues | Error): unknown =>
  values instanceof Error ? values.message : [...values].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, result]) => [key, result.value?.toString() ?? null, result.reason?.code ?? null]);

export interface OracleContext {
  db: Database;
  workspaceId: number;
  timeZone: string;
  registry: KpiRegistry;
}

/** The cells' values (as comparable JSON-able values) and the batches' stats, with rollups on or off. */
export async function answers(ctx: OracleContext, keys: readonly KpiCellKey[], rollups: boolean): Promise<{ values: unknown[]; stats: KpiBatchStats[] }> {
  const stats: KpiBatchStats[] = [];
  const loader = createKpiLoader({ db: ctx.db, workspaceId: ctx.workspaceId, timeZone: ctx.timeZone, registry: ctx.registry, options: { rollups, onBatch: (batch) => stats.push(batch) } });
  const values = await Promise.all(keys.map((key) => loader.load(key).then(shown, shown)));
  return { values, stats };
}

/** Cells whose values differ between the rows and the rollup, and how many measure groups of each source read the rollup. */
export async function compareRollup(ctx: OracleContext, keys: readonly KpiCellKey[]): Promise<{ differences: unknown[]; rawOnly: boolean; fromRollup: Record<string, number> }> {
  const raw = await answers(ctx, keys, false);
  const rollup = await answers(ctx, keys, true);
  const differences = keys.flatMap((key, i) => (JSON.stringify(raw.values[i]) === JSON.stringify(rollup.values[i]) ? [] : [{ key, raw: raw.values[i], rollup: rollup.values[i] }]));
  const fromRollup: Record<string, number> = {};
  for (const path of rollup.stats.flatMap((s) => s.measureGroupPaths)) if (path.path === 'rollup') fromRollup[path.source] = (fromRollup[path.source] ?? 0) + 1;
  return { differences, rawOnly: raw.stats.flatMap((s) => s.measureGroupPaths).every((p) => p.path === 'raw'), fromRollup };
}
