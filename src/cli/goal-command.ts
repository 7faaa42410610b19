import { parseArgs } from 'node:util';
import { choice, connectionFlags, connectionFrom, connectionHelp, exitHelp, globalId, runCommand } from './cli-args.js';
import { CliError } from './cli-error.js';
import type { GoalNode } from './goal-format.js';
import { goalCells, goalJson, rowIdOf } from './goal-format.js';
import { instantArg } from './goals-command.js';
import { KpigraphClient } from './http-client.js';
import { formatInstant, formatPercent, formatRecord, formatTable, formatValue, print, sparkline, unitAndDirection } from './output.js';
import { UsageError, exitCodes } from './usage-error.js';

export const goalUsage = `Usage: kpigraph goal ID [--at DATE] [--grain day|week|month|quarter|year] [--json]
                    [--url URL] [--api-key KEY]

One goal with its progress: actual, expected by now, projected at the end,
target, attainment, status, and the KPI per bucket of the period.

  ID             the goal's number (as \`kpigraph goals\` lists it) or its global ID
  --at D         judge progress as of D instead of now (a date is midnight in the
                 workspace's time zone)
  --grain G      the buckets of the series (default: day up to 31 days, week up to
                 120, month beyond)
  --json         for scripts: the fields of \`goals --json\` plus rationale,
                 warnings, additive and series

${connectionHelp}

${exitHelp}`;

const goalFlags = {
  ...connectionFlags,
  json: { type: 'boolean', default: false },
  at: { type: 'string' },
  grain: { type: 'string' },
} as const;

export function goalCommand(args: string[]): Promise<number> {
  return runCommand(goalUsage, async () => {
    const { values, positionals } = parseArgs({ args, options: goalFlags, allowPositionals: true, strict: true });
    if (values.help) {
      print(goalUsage);
      return exitCodes.ok;
    }
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'name the goal, e.g. kpigraph goal 12.' : `one goal at a time; got ${positionals.join(' ')}.`);
    const grain = choice(values.grain, '--grain', ['day', 'week', 'month', 'quarter', 'year'] as const);
    const client = new KpigraphClient(connectionFrom(values));
    const at = await instantArg(values.at, '--at', client);
    const id = globalId('Goal', positionals[0]!);
    const { node, workspace } = await client.run<{ node: GoalNode | null; workspace: { timeZone: string } }>('cli-goal', {
      id,
      ...(at ? { at } : {}),
      ...(grain ? { grain: grain.toUpperCase() } : {}),
    });
    if (!node || !('kpiKey' in node)) throw new CliError(`goal ${positionals[0]} was not found in this workspace.`, exitCodes.failure);
    if (values.json) {
      const p = node.progress;
      print(JSON.stringify({ ...goalJson(node), rationale: node.rationale ?? null, warnings: node.warnings ?? [], additive: p?.additive ?? null, series: p?.series ?? [] }, null, 2));
    } else {
      print(renderGoal(node, workspace.timeZone));
    }
    return exitCodes.ok;
  });
}

function renderGoal(goal: GoalNode, timeZone: string): string {
  const cells = goalCells(goal, timeZone);
  const unit = goal.kpi?.unit ?? 'RATIO';
  const p = goal.progress;
  const kpi = goal.kpi ? `${goal.kpiKey} (${goal.kpi.name}, ${unitAndDirection(goal.kpi.unit, goal.kpi.direction)})` : `${goal.kpiKey} (no longer registered)`;
  const entries: [string, string][] = [
    ['kpi', kpi],
    ['owner/team', cells.owner],
    ['scope', goal.scope.summary],
    ['period', `${cells.period}${p ? ` (${formatPercent(p.elapsedFraction)} elapsed at ${cells.at})` : ''}`],
    ['actual', `${cells.actual}${p?.reason ? `  (${p.reason.message})` : ''}`],
    ['expected', cells.expected],
    ['projected', cells.projected],
    ['target', `${cells.target}${goal.stretchTarget !== null ? `  (stretch ${formatValue(goal.stretchTarget, unit)})` : ''}`],
    ['baseline', formatValue(goal.baseline, unit)],
    ['attainment', cells.attainment],
    ['status', cells.status],
  ];
  if (goal.rationale) entries.push(['rationale', goal.rationale]);
  if (goal.archivedAt) entries.push(['archived', formatInstant(goal.archivedAt, timeZone)]);
  for (const warning of goal.warnings ?? []) entries.push(['warning', warning]);
  const series = p?.series ?? [];
  if (series.length > 0) entries.push(['series', sparkline(series.map((point) => point.value))]);
  const lines = [`Goal ${rowIdOf(goal.id)}: ${goal.description}`, formatRecord(entries)];
  if (series.length > 0) {
    lines.push(
      '',
      formatTable(series, [
        { header: 'from', value: (point) => formatInstant(point.start, timeZone) },
        { header: 'to', value: (point) => formatInstant(point.end, timeZone) },
        { header: 'value', value: (point) => formatValue(point.value, unit), align: 'right' },
      ]),
    );
  }
  return lines.join('\n');
}
