import { parseArgs } from 'node:util';
import { choice, connectionFlags, connectionFrom, connectionHelp, globalId, runCommand } from './cli-args.js';
import { CliError } from './cli-error.js';
import { print } from './output.js';
import type { StreamedGoalEvent } from './goal-event-stream.js';
import { GoalEventStreamRefused, GoalEventStreamUnreachable, streamGoalEvents } from './goal-event-stream.js';
import { UsageError, exitCodes } from './usage-error.js';

const statuses = ['on-track', 'at-risk', 'off-track', 'achieved', 'missed', 'not-started', 'no-data'] as const;

export const watchUsage = `Usage: kpigraph watch [--status S[,S…]] [--kpi KEY] [--owner ID] [--team ID] [--until S]
                     [--after EVENT_ID] [--json] [--url URL] [--api-key KEY]

Streams goal events as they happen (a GraphQL subscription over Server-Sent
Events): status changes and thresholds reached (50 %, 100 %, 150 = stretch).
Runs until interrupted. A dropped connection or a server restart is retried
with back-off, resuming after the last event received (the server replays
the events stored since), so none is lost or repeated; a server unreachable
at the first connection exits at once.

  --status S      events whose new status is S: ${statuses.join(', ')} (comma-separated or repeated)
  --kpi KEY       goals on this KPI (comma-separated or repeated)
  --owner ID      goals owned by this user (numeric ID or global ID)
  --team ID       goals owned by this team or one of its members
  --until S       exit with status 5 at the first event whose new status is S
  --after ID      first replay the events after this event id
  --json          one JSON object per line (NDJSON), fields as GoalEvent in the schema

Examples:
  kpigraph watch --team 3
  kpigraph watch --kpi win_rate --until missed --json

${connectionHelp.replace(/\n {2}--timeout.*$/m, '')}

Exit status: 1 failure, 2 bad command line, 3 server unreachable,
4 API key refused, 5 --until matched.`;

const list = (items: readonly string[]): string[] => items.flatMap((item) => item.split(',')).map((s) => s.trim()).filter(Boolean);
const rowId = (id: string): string => Buffer.from(id, 'base64').toString().split(':')[1] ?? id;

/** One event as a line of the table. */
function line(event: StreamedGoalEvent): string {
  const change = event.kind === 'STATUS_CHANGED' ? `${event.oldStatus ?? '-'} -> ${event.newStatus}` : `reached ${event.threshold === 150 ? 'stretch' : `${event.threshold} %`} (${event.newStatus})`;
  const attainment = event.attainment === null ? '-' : `${(event.attainment * 100).toFixed(1)} %`;
  return [event.id.padStart(6), event.occurredAt, `goal ${rowId(event.goalId)}`.padEnd(10), event.kpiKey.padEnd(20), change.padEnd(34), attainment.padStart(8), `${event.actual ?? '-'} / ${event.target}`].join('  ');
}

export function watchCommand(args: string[]): Promise<number> {
  return runCommand(watchUsage, async () => {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        ...connectionFlags,
        json: { type: 'boolean', default: false },
        status: { type: 'string', multiple: true, default: [] as string[] },
        kpi: { type: 'string', multiple: true, default: [] as string[] },
        owner: { type: 'string' },
        team: { type: 'string' },
        until: { type: 'string' },
        after: { type: 'string' },
      },
    });
    if (values.help) {
      print(watchUsage);
      return exitCodes.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}.`);
    const enumOf = (s: string) => s.toUpperCase().replace(/-/g, '_');
    const wanted = list(values.status).map((s) => enumOf(choice(s, '--status', statuses)!));
    const until = values.until === undefined ? undefined : enumOf(choice(values.until, '--until', statuses)!);
    if (values.after !== undefined && !/^\d+$/.test(values.after)) throw new UsageError(`--after must be an event id (digits); got ${values.after}.`);
    const kpis = list(values.kpi);
    const filter = {
      ...(wanted.length > 0 ? { status: wanted } : {}),
      ...(kpis.length > 0 ? { kpi: kpis } : {}),
      ...(values.owner ? { ownerId: [globalId('User', values.owner)] } : {}),
      ...(values.team ? { teamId: [globalId('Team', values.team)] } : {}),
    };
    const { url, apiKey } = connectionFrom(values);
    if (!apiKey) throw new CliError(`${url} refused: no API key was given (--api-key or $KPIGRAPH_API_KEY).`, exitCodes.unauthorized);
    try {
      const events = streamGoalEvents({
        url,
        apiKey,
        filter,
        after: values.after ?? null,
        onReconnecting: ({ reason, delayMs, after }) => console.error(`kpigraph: connection lost (${reason}); reconnecting in ${delayMs} ms after event ${after ?? '(none yet)'}`),
      });
      for await (const event of events) {
        print(values.json ? JSON.stringify(event) : line(event));
        if (until && event.newStatus === until) return exitCodes.goalsFailing;
      }
      return exitCodes.ok;
    } catch (error) {
      if (error instanceof GoalEventStreamUnreachable) throw new CliError(`cannot reach ${url}: ${error.message}`, exitCodes.unreachable);
      if (error instanceof GoalEventStreamRefused) {
        const refused = error.code === 'UNAUTHENTICATED' || error.httpStatus === 401 || error.httpStatus === 403;
        throw new CliError(error.httpStatus === undefined ? error.message : `${url} answered ${error.message}`, refused ? exitCodes.unauthorized : exitCodes.failure);
      }
      throw error;
    }
  });
}
