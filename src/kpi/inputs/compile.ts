/**
 * Compile: a plan's groups into ONE parameterised statement per source.
 * Within a source, the groups of each filter and group-by that can be
 * bucketed share one pass over the table (sql/bucketed.ts, or
 * sql/single-period.ts for one period); a percentile reads its own ordered
 * pass (sql/percentile.ts); any other group joins its periods
 * (sql/compile.ts). Each such unit becomes a branch of a UNION ALL, its
 * parameters renumbered, its rows folded into one text value by its
 * transport (sql/row-transport.ts), since the branches' columns differ.
 * Sums are text in it, so money stays exact.
 */
import type { GroupKey } from '../define.js';
import type { SourceName } from '../measures.js';
import type { GroupResult } from '../sql/bucket-expansion.js';
import { expandBucketed } from '../sql/bucket-expansion.js';
import type { BucketedGroup } from '../sql/bucketed.js';
import { compileBucketed, isBucketable } from '../sql/bucketed.js';
import type { CompiledMeasure, CompiledStatement, ResultRow } from '../sql/compile.js';
import { compileGroup, groupKeyOf } from '../sql/compile.js';
import { compilePercentile } from '../sql/percentile.js';
import type { RowTransport } from '../sql/row-transport.js';
import { jsonRows } from '../sql/row-transport.js';
import { chooseRollup } from '../sql/rollup-compile.js';
import { compileSinglePeriod, isSinglePeriod } from '../sql/single-period.js';
import type { Timing } from '../sql/compile.js';
import type { InputsPlan, PlannedGroup } from './plan.js';
import { groupsBySource } from './plan.js';

/** How a unit reads its table: the statement shapes of sql/. */
export type UnitKind = 'bucketed' | 'singlePeriod' | 'periodJoin' | 'percentile' | 'rollup';

/** Reading measure groups from the daily rollups: the workspace's zone, which cuts the rollups' days. */
export interface RollupOptions {
  timeZone: string;
}

/** Where a measure group is read from (the daily rollup or the rows) and why. */
export interface MeasureGroupPath {
  group: number;
  source: SourceName;
  timing: Timing;
  path: 'rollup' | 'raw';
  reason: string;
}

/** One branch of a source's statement and how its rows become its groups' outcomes. */
export interface CompiledUnit {
  kind: UnitKind;
  /** The plan's groups it answers, by index. */
  groups: number[];
  /** Its own query, with placeholders numbered from $1 (as compiled, before the union renumbers them). */
  sql: string;
  params: unknown[];
  transport: RowTransport;
  /** Its decoded rows as the outcome of each of its groups, in the order of `groups`. */
  outcomes(rows: readonly ResultRow[]): GroupResult[];
}

/** The one statement of a source. */
export interface CompiledSource {
  source: SourceName;
  groups: number[];
  sql: string;
  params: unknown[];
  units: CompiledUnit[];
  /** Its groups' paths, in the order of `groups`. */
  paths: MeasureGroupPath[];
}

/** A source whose groups could not be compiled (a definition bug the registry missed): its cells fail. */
export interface FailedSource {
  source: SourceName;
  groups: number[];
  error: Error;
  paths: MeasureGroupPath[];
}

function outcomeOf(measures: CompiledMeasure[], rows: readonly ResultRow[]): GroupResult {
  const byPeriod = new Map<number, Map<GroupKey, ResultRow>>();
  for (const row of rows) {
    const period = Number(row.pi);
    let byKey = byPeriod.get(period);
    if (!byKey) byPeriod.set(period, (byKey = new Map()));
    byKey.set(groupKeyOf(row.gk), row);
  }
  return { measures, rows: byPeriod };
}

/** A unit of one group compiled by a statement whose rows carry their period index. */
function singleGroupUnit(kind: UnitKind, group: number, statement: CompiledStatement): CompiledUnit {
  return { kind, groups: [group], sql: statement.sql, params: statement.params, transport: jsonRows, outcomes: (rows) => [outcomeOf(statement.measures, rows)] };
}

/** A family of bucketable groups (same filter and group-by) as one pass over the table. */
function familyUnit(workspaceId: number, plan: InputsPlan, family: readonly number[]): CompiledUnit {
  const { source, filter, groupBy } = plan.groups[family[0]!]!;
  const bucketed = family.map((index): BucketedGroup => {
    const group = plan.groups[index]!;
    return { timing: group.timing, measures: group.measures, periods: group.periods };
  });
  if (isSinglePeriod(bucketed)) {
    const statement = compileSinglePeriod(workspaceId, source, filter, groupBy, bucketed);
    return { kind: 'singlePeriod', groups: [...family], sql: statement.sql, params: statement.params, transport: jsonRows, outcomes: statement.outcomes };
  }
  const statement = compileBucketed(workspaceId, source, filter, groupBy, bucketed);
  return {
    kind: 'bucketed',
    groups: [...family],
    sql: statement.sql,
    params: statement.params,
    transport: statement.transport,
    outcomes: (rows) => expandBucketed(statement, bucketed, rows),
  };
}

/**
 * A source's groups as units: percentiles alone, the bucketable groups of
 * each filter and group-by together, any other group (distinct counts,
 * conditions on the period's edges) alone with its period join.
 */
export function sourceUnits(workspaceId: number, plan: InputsPlan, groups: readonly number[], rollups: RollupOptions | null = null, paths: MeasureGroupPath[] = []): CompiledUnit[] {
  const units: CompiledUnit[] = [];
  const families = new Map<string, number[]>();
  for (const index of groups) {
    const group: PlannedGroup = plan.groups[index]!;
    const spec = { source: group.source, timing: group.timing, filter: group.filter, groupBy: group.groupBy };
    const choice = rollups ? chooseRollup(workspaceId, spec, group.measures, group.periods, rollups.timeZone) : { path: 'raw' as const, reason: 'rollups are off' };
    paths.push({ group: index, source: group.source, timing: group.timing, path: choice.path, reason: choice.reason });
    if (choice.path === 'rollup') {
      units.push(singleGroupUnit('rollup', index, choice.statement));
      continue;
    }
    const percentile = group.measures[0]?.kind === 'percentile' ? group.measures[0] : undefined;
    if (percentile) units.push(singleGroupUnit('percentile', index, compilePercentile(workspaceId, spec, percentile, group.periods)));
    else if (group.measures.every(isBucketable)) families.set(group.scopeKey, [...(families.get(group.scopeKey) ?? []), index]);
    else units.push(singleGroupUnit('periodJoin', index, compileGroup(workspaceId, spec, group.measures, group.periods)));
  }
  for (const family of families.values()) units.push(familyUnit(workspaceId, plan, family));
  return units;
}

/** The units of a source as one statement: a UNION ALL of the units, each tagged with its index. */
export function unionOf(units: readonly CompiledUnit[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const branches = units.map((unit, index) => {
    const offset = params.length;
    params.push(...unit.params);
    // Compiled SQL holds no literal "$": every placeholder is a parameter.
    const sql = unit.sql.replace(/\$(\d+)/g, (_match, n: string) => `$${Number(n) + offset}`);
    return `SELECT ${index} AS sg, ${unit.transport.aggregate} AS r FROM (\n${sql}\n) x`;
  });
  return { sql: branches.join('\nUNION ALL\n'), params };
}

/**
 * Compiles a plan: one statement per source, in the order the plan first
 * met the sources. With `rollups`, each measure group the daily rollups
 * hold is read from them instead of the rows.
 */
export function compileInputs(workspaceId: number, plan: InputsPlan, rollups: RollupOptions | null = null): (CompiledSource | FailedSource)[] {
  return [...groupsBySource(plan)].map(([source, groups]) => {
    const paths: MeasureGroupPath[] = [];
    try {
      const units = sourceUnits(workspaceId, plan, groups, rollups, paths);
      return { source, groups, units, paths, ...unionOf(units) };
    } catch (error) {
      return { source, groups, paths, error: error instanceof Error ? error : new Error(String(error)) };
    }
  });
}
