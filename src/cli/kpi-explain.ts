/**
 * `kpigraph kpi KEY … --explain`: what the engine would do for the cells
 * the same flags ask for (admin keys only): each cell's path, the plan's
 * groups of measures, and the SQL statements with their parameters.
 */
import type { KpigraphClient } from './http-client.js';

interface ExplainCell {
  kpi: string;
  start: string;
  end: string;
  groupBy: string | null;
  path: string;
  components: Record<string, string> | null;
  error: string | null;
}
interface ExplainGroup {
  index: number;
  source: string;
  timeField: string | null;
  snapshotFrom: string | null;
  snapshotUntil: string | null;
  filter: Record<string, string[]>;
  groupBy: string | null;
  measures: unknown[];
  periods: { start: string; end: string; edge: string | null }[];
}
interface ExplainStatement {
  source: string;
  sql: string;
  params: unknown[];
  units: { kind: string; groups: number[] }[];
  error: string | null;
  paths: { group: number; rollup: boolean; reason: string }[];
}
interface Explanation {
  path: string;
  cacheEnabled: boolean;
  cells: ExplainCell[];
  groups: ExplainGroup[];
  plan: unknown;
  statements: ExplainStatement[];
}

/** Asks the server for the explanation; the caller's variables are those of `kpigraph kpi`. */
export async function fetchExplanation(client: KpigraphClient, variables: Record<string, unknown>): Promise<{ key: string; name: string; explain: Explanation }> {
  const { kpi } = await client.run<{ kpi: { key: string; name: string; explain: Explanation } }>('cli-kpi-explain', variables);
  return kpi;
}

function timing(group: ExplainGroup): string {
  return group.timeField !== null ? `${group.timeField} in the period` : `alive at an edge: ${group.snapshotFrom ?? '?'} … ${group.snapshotUntil ?? '?'}`;
}

/** The explanation for people (the plan, then each statement with its parameters) or as JSON. */
export function renderExplanation(kpi: { key: string; name: string; explain: Explanation }, format: 'table' | 'json'): string {
  const { explain } = kpi;
  if (format === 'json') return JSON.stringify({ key: kpi.key, name: kpi.name, ...explain }, null, 2);
  const lines = [`${kpi.key} — ${kpi.name}: path ${explain.path}${explain.cacheEnabled ? '' : ' (no result cache)'}`, '', `cells (${explain.cells.length})`];
  for (const cell of explain.cells) {
    const extra = [cell.groupBy ? `by ${cell.groupBy}` : '', cell.components ? `from ${Object.values(cell.components).join(', ')}` : '', cell.error ?? ''].filter(Boolean).join('; ');
    lines.push(`  ${cell.start} .. ${cell.end}  ${cell.path}${extra ? `  ${extra}` : ''}`);
  }
  lines.push('', `plan: ${explain.groups.length} group${explain.groups.length === 1 ? '' : 's'}`);
  for (const group of explain.groups) {
    const filter = Object.keys(group.filter).length > 0 ? `, filter ${JSON.stringify(group.filter)}` : '';
    lines.push(`  #${group.index} ${group.source}: ${timing(group)}${filter}${group.groupBy ? `, by ${group.groupBy}` : ''}; ${group.measures.length} measure(s) over ${group.periods.length} period(s)`);
    for (const measure of group.measures) lines.push(`      ${JSON.stringify(measure)}`);
  }
  lines.push('', `statements: ${explain.statements.length} (one per source)`);
  for (const statement of explain.statements) {
    lines.push('', `-- ${statement.source}: ${statement.units.map((unit) => `${unit.kind} (groups ${unit.groups.join(', ')})`).join('; ')}`);
    for (const path of statement.paths) lines.push(`-- group ${path.group} from ${path.rollup ? 'the daily rollup' : 'the rows'}: ${path.reason}`);
    if (statement.error) lines.push(`-- cannot be compiled: ${statement.error}`);
    else lines.push(statement.sql, ...statement.params.map((value, index) => `-- $${index + 1} = ${JSON.stringify(value)}`));
  }
  return lines.join('\n');
}
