import { parseArgs } from 'node:util';
import {
  choice,
  connectionFlags,
  connectionFrom,
  connectionHelp,
  exitHelp,
  formatFlags,
  globalId,
  inZone,
  outputFormat,
  parseFilters,
  parseInstant,
  runCommand,
} from './cli-args.js';
import type { GoalNode } from './goal-format.js';
import { failOnThreshold, goalCells, goalCsvHeader, goalCsvRow, goalJson, rowIdOf, statusSeverity } from './goal-format.js';
import type { GraphQLErrorBody } from './http-client.js';
import { KpigraphClient, describeError } from './http-client.js';
import type { Column } from './output.js';
import { formatCsv, formatTable, print } from './output.js';
import { UsageError, exitCodes } from './usage-error.js';

const statuses = ['on-track', 'at-risk', 'off-track', 'achieved', 'missed', 'not-started', 'no-data'] as const;

export const goalsUsage = `Usage: kpigraph goals [--status S[,S…]] [--kpi KEY] [--owner ID] [--team ID] [--active-at DATE]
                     [--scope DIM=VALUE…] [--at DATE] [--archived] [--json|--csv]
                     [--fail-on at-risk|off-track] [--url URL] [--api-key KEY]

The workspace's goals with their progress: actual, target, attainment, status.

  --status S      ${statuses.join(', ')} (comma-separated or repeated: any of them)
  --kpi KEY       goals on this KPI (comma-separated or repeated: any of them)
  --owner ID      goals owned by this user (numeric ID or global ID)
  --team ID       goals owned by this team or one of its members
  --active-at D   goals whose period contains D (a date, a date-time with offset, or now)
  --scope D=V     goals scoped to one of these values, e.g. region=DE (repeatable)
  --at D          judge progress as of D instead of now
  --archived      include archived goals
  --json, --csv   for scripts: a JSON array or CSV records (fields: see README)
  --fail-on S     exit status 5 when a listed goal is S or worse:
                  at-risk counts AT_RISK, OFF_TRACK and MISSED; off-track counts OFF_TRACK and MISSED

A date without a time is midnight in the workspace's time zone.

${connectionHelp}

${exitHelp}`;

const goalsFlags = {
  ...connectionFlags,
  ...formatFlags,
  status: { type: 'string', multiple: true, default: [] as string[] },
  kpi: { type: 'string', multiple: true, default: [] as string[] },
  owner: { type: 'string' },
  team: { type: 'string' },
  'active-at': { type: 'string' },
  scope: { type: 'string', multiple: true, default: [] as string[] },
  at: { type: 'string' },
  archived: { type: 'boolean', default: false },
  'fail-on': { type: 'string' },
} as const;

interface GoalsPage {
  workspace: { timeZone: string };
  goals: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: GoalNode }[] };
}

const list = (items: readonly string[]): string[] => items.flatMap((item) => item.split(',')).map((s) => s.trim()).filter(Boolean);

/** `now`, a date (midnight in the workspace's zone) or an instant with an offset. */
export async function instantArg(text: string | undefined, flag: string, client: KpigraphClient): Promise<string | undefined> {
  if (text === undefined) return undefined;
  if (text.trim().toLowerCase() === 'now') return new Date().toISOString();
  const value = parseInstant(text, flag);
  return value.includes('T') ? value : inZone(value, await client.timeZone());
}

export function goalsCommand(args: string[]): Promise<number> {
  return runCommand(goalsUsage, async () => {
    const { values, positionals } = parseArgs({ args, options: goalsFlags, allowPositionals: true, strict: true });
    if (values.help) {
      print(goalsUsage);
      return exitCodes.ok;
    }
    const format = outputFormat(values);
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}; for one goal use kpigraph goal ID.`);
    const wanted = list(values.status).map((s) => choice(s, '--status', statuses)!);
    const failOn = choice(values['fail-on'], '--fail-on', ['at-risk', 'off-track'] as const);
    const scope = parseFilters(values.scope, '--scope');
    const kpis = list(values.kpi);
    const client = new KpigraphClient(connectionFrom(values));
    const activeAt = await instantArg(values['active-at'], '--active-at', client);
    const at = await instantArg(values.at, '--at', client);
    const filter = {
      ...(wanted.length > 0 ? { status: wanted.map((s) => s.toUpperCase().replace(/-/g, '_')) } : {}),
      ...(kpis.length > 0 ? { kpiKey: kpis } : {}),
      ...(values.owner ? { ownerId: globalId('User', values.owner) } : {}),
      ...(values.team ? { teamId: globalId('Team', values.team) } : {}),
      ...(activeAt ? { activeAt } : {}),
      ...(Object.keys(scope).length > 0 ? { scope } : {}),
    };

    const goals: GoalNode[] = [];
    const errors: GraphQLErrorBody[] = [];
    let timeZone = 'UTC';
    let after: string | null = null;
    // The API pages at most 100 goals; a script wants all of them.
    for (let page = 0; page < 1000; page++) {
      const result: { data: GoalsPage; errors: GraphQLErrorBody[] } = await client.runPartial<GoalsPage>('cli-goals', {
        filter,
        ...(at ? { at } : {}),
        includeArchived: values.archived,
        first: 100,
        after,
      });
      timeZone = result.data.workspace.timeZone;
      goals.push(...result.data.goals.edges.map((edge) => edge.node));
      errors.push(...result.errors);
      if (!result.data.goals.pageInfo.hasNextPage) break;
      after = result.data.goals.pageInfo.endCursor;
    }

    print(renderGoals(goals, format, timeZone));
    for (const error of errors) console.error(`kpigraph: warning: ${describeError(error)}`);

    if (failOn) {
      const failing = goals.filter((goal) => (statusSeverity[goal.progress?.status ?? ''] ?? 0) >= failOnThreshold[failOn]);
      if (failing.length > 0) {
        const which = failing.map((goal) => `#${rowIdOf(goal.id)} ${goal.kpiKey} ${goal.progress?.status}`).join(', ');
        console.error(`kpigraph: ${failing.length} of ${goals.length} goal(s) ${failOn === 'at-risk' ? 'at risk' : 'off track'} or worse (--fail-on ${failOn}): ${which}`);
        return exitCodes.goalsFailing;
      }
    }
    // Some goals could not be judged: a script must not read the list as complete.
    return errors.length > 0 ? exitCodes.failure : exitCodes.ok;
  });
}

function renderGoals(goals: GoalNode[], format: 'table' | 'json' | 'csv', timeZone: string): string {
  if (format === 'json') return JSON.stringify(goals.map(goalJson), null, 2);
  if (format === 'csv') return formatCsv(goalCsvHeader, goals.map(goalCsvRow));
  if (goals.length === 0) return 'No goals match.';
  type Cells = ReturnType<typeof goalCells>;
  const columns: Column<Cells>[] = [
    { header: 'goal', value: (c) => c.number, align: 'right' },
    { header: 'description', value: (c) => c.description },
    { header: 'kpi', value: (c) => c.kpi },
    { header: 'owner/team', value: (c) => c.owner },
    { header: 'period', value: (c) => c.period },
    { header: 'actual', value: (c) => c.actual, align: 'right' },
    { header: 'target', value: (c) => c.target, align: 'right' },
    { header: 'attainment', value: (c) => c.attainment, align: 'right' },
    { header: 'status', value: (c) => c.status },
  ];
  return formatTable(goals.map((goal) => goalCells(goal, timeZone)), columns);
}
