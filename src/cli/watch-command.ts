import { parseArgs } from 'node:util';
import { choice, connectionFlags, connectionFrom, connectionHelp, globalId, runCommand } from './cli-args.js';
import { CliError } from './cli-error.js';
import { print } from './output.js';
import { SseHttpError, subscribeOverSse } from './sse-client.js';
import { UsageError, exitCodes } from './usage-error.js';

const statuses = ['on-track', 'at-risk', 'off-track', 'achieved', 'missed', 'not-started', 'no-data'] as const;

export const watchUsage = `Usage: kpigraph watch [--status S[,S…]] [--kpi KEY] [--owner ID] [--team ID] [--until S]
                     [--after EVENT_ID] [--json] [--url URL] [--api-key KEY]

Streams goal events as they happen (a GraphQL subscription over Server-Sent
Events): status changes and thresholds reached (50 %, 100 %, 150 = stretch).
A dropped connection is retried, resuming after the last event received, so
none is lost; the first connection failing exits at once.

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

Exit status: 0 the server ended the stream, 1 failure, 2 bad command line, 3 server unreachable,
4 API key refused, 5 --until matched.`;

const subscription = /* GraphQL */ `
  subscription CliWatch($filter: GoalEventFilter, $after: ID) {
    goalEvents(filter: $filter, after: $after) {
      id kind goalId kpiKey oldStatus newStatus threshold attainment actual expected projected target numerator denominator occurredAt ownerId teamId
    }
  }
`;

interface WatchedEvent {
  id: string;
  kind: string;
  goalId: string;
  kpiKey: string;
  oldStatus: string | null;
  newStatus: string;
  threshold: number | null;
  attainment: number | null;
  actual: number | null;
  target: number;
  occurredAt: string;
}

const list = (items: readonly string[]): string[] => items.flatMap((item) => item.split(',')).map((s) => s.trim()).filter(Boolean);
const rowId = (id: string): string => Buffer.from(id, 'base64').toString().split(':')[1] ?? id;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** undici hides the socket error in `cause`. */
function networkReason(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = cause instanceof Error && 'code' in cause ? String(cause.code) : undefined;
  return code ?? (cause instanceof Error ? cause.message : String(cause));
}

/** One event as a line of the table. */
function line(event: WatchedEvent): string {
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
    let after = values.after ?? null;
    let connected = false;
    for (let retry = 0; ; retry++) {
      try {
        const stream = subscribeOverSse<{ goalEvents: WatchedEvent }>({ url, query: subscription, variables: { filter, after }, headers: { authorization: `Bearer ${apiKey}` } });
        for await (const result of stream) {
          connected = true;
          retry = 0;
          if (result.errors?.length) {
            const code = result.errors[0]?.extensions?.code;
            throw new CliError(result.errors.map((e) => e.message).join('\n'), code === 'UNAUTHENTICATED' ? exitCodes.unauthorized : exitCodes.failure);
          }
          const event = result.data?.goalEvents;
          if (!event) continue;
          after = event.id;
          if (values.json) print(JSON.stringify(event));
          else {
            print(line(event));
          }
          if (until && event.newStatus === until) return exitCodes.goalsFailing;
        }
        return exitCodes.ok;
      } catch (error) {
        if (error instanceof CliError) throw error;
        if (error instanceof SseHttpError) throw new CliError(`${url} answered ${error.message}`, error.status === 401 || error.status === 403 ? exitCodes.unauthorized : exitCodes.failure);
        if (!connected) throw new CliError(`cannot reach ${url}: ${networkReason(error)}`, exitCodes.unreachable);
        const delay = Math.min(10_000, 500 * 2 ** retry);
        console.error(`kpigraph: connection lost (${networkReason(error)}); reconnecting in ${delay} ms after event ${after ?? '(none yet)'}`);
        await sleep(delay);
      }
    }
  });
}
