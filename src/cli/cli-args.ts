import { CliError } from './cli-error.js';
import type { ConnectionOptions } from './http-client.js';
import { UsageError, exitCodes } from './usage-error.js';

/** Flags every command that talks to a server accepts (node:util parseArgs options). */
export const connectionFlags = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  timeout: { type: 'string', default: '30s' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export const formatFlags = {
  json: { type: 'boolean', default: false },
  csv: { type: 'boolean', default: false },
} as const;

export const connectionHelp = `Connection:
  --url URL        the GraphQL endpoint (default: $KPIGRAPH_URL or http://localhost:4000/graphql)
  --api-key KEY    the API key, kpg_… (default: $KPIGRAPH_API_KEY)
  --timeout 30s    give up on a request after this long (ms, s or m)`;

export const exitHelp = `Exit status: 0 ok, 1 failure, 2 bad command line or input, 3 server unreachable,
4 API key refused, 5 --fail-on matched.`;

export const defaultUrl = 'http://localhost:4000/graphql';

export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  const amount = match ? Number(match[1]) : NaN;
  const ms = match ? amount * ({ ms: 1, s: 1000, m: 60_000 }[match[2] ?? 's'] ?? 1000) : NaN;
  if (!Number.isFinite(ms) || ms < 1 || ms > 3_600_000) throw new UsageError(`${flag} must be a duration such as 30s, 1500ms or 2m; got ${text}.`);
  return Math.round(ms);
}

export function connectionFrom(
  values: { url?: string | undefined; 'api-key'?: string | undefined; timeout?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): ConnectionOptions {
  const url = values.url ?? (env['KPIGRAPH_URL'] || defaultUrl);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url must be an http(s) URL such as ${defaultUrl}; got ${url}.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`--url must be an http(s) URL; got ${url}.`);
  const apiKey = values['api-key'] ?? (env['KPIGRAPH_API_KEY'] || undefined);
  return { url, apiKey, timeoutMs: parseDuration(values.timeout ?? '30s', '--timeout') };
}

export type OutputFormat = 'table' | 'json' | 'csv';

export function outputFormat(values: { json?: boolean | undefined; csv?: boolean | undefined }): OutputFormat {
  if (values.json && values.csv) throw new UsageError('--json and --csv cannot be used together; pick one.');
  return values.json ? 'json' : values.csv ? 'csv' : 'table';
}

/** `--flag a-b` or `--flag aB` as the GraphQL enum value `A_B`. */
export function enumValue(text: string): string {
  return text
    .trim()
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toUpperCase();
}

/** Picks an enum value from a fixed kebab-case list, or a usage error naming the flag and the choices. */
export function choice<const T extends string>(text: string | undefined, flag: string, choices: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  const found = choices.find((c) => c === text.trim().toLowerCase());
  if (!found) throw new UsageError(`${flag} must be one of ${choices.join(', ')}; got ${text}.`);
  return found;
}

const namedPeriods = [
  'today', 'yesterday', 'this-week', 'last-week', 'this-month', 'last-month', 'this-quarter', 'last-quarter',
  'this-year', 'last-year', 'year-to-date', 'quarter-to-date', 'month-to-date',
] as const;
const periodAliases: Record<string, (typeof namedPeriods)[number]> = { ytd: 'year-to-date', qtd: 'quarter-to-date', mtd: 'month-to-date' };

export type PeriodVariable = { named: string } | { start: string; end: string } | { trailingDays: number };

/**
 * An instant for the API: `YYYY-MM-DD` (midnight UTC) or an ISO date-time
 * with an offset. Checked here so a typo is a usage error, not a round trip.
 */
export function parseInstant(text: string, flag: string): string {
  const value = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const date = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)) return value;
  } else if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(value) && !Number.isNaN(new Date(value).getTime())) {
    return value;
  }
  throw new UsageError(`${flag} must be a date such as 2025-04-01 or 2025-04-01T09:00:00Z; got ${text}.`);
}

/** Milliseconds the zone is ahead of UTC at an instant. */
function zoneOffset(ms: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(new Date(ms))
      .map((part) => [part.type, Number(part.value)]),
  );
  return Date.UTC(parts['year']!, parts['month']! - 1, parts['day']!, parts['hour']!, parts['minute']!, parts['second']!) - Math.floor(ms / 1000) * 1000;
}

export const isBareDate = (text: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(text);

/**
 * A bare date as the instant its day starts in the workspace's zone, so
 * `2025-01-01..2025-04-01` is the same quarter `last-quarter` would be;
 * instants with an offset pass through.
 */
export function inZone(text: string, timeZone: string): string {
  if (!isBareDate(text)) return text;
  const utcMidnight = new Date(`${text}T00:00:00Z`).getTime();
  let instant = utcMidnight - zoneOffset(utcMidnight, timeZone);
  // Once more at the guess: the offset may differ across a DST change that day.
  instant = utcMidnight - zoneOffset(instant, timeZone);
  return new Date(instant).toISOString();
}

/** `last-quarter`, `2025-01-01..2025-04-01` (end exclusive), or `30d` (the last 30 days, today included). */
export function parsePeriod(text: string, flag = '--period'): PeriodVariable {
  const value = text.trim().toLowerCase();
  const named = namedPeriods.find((p) => p === (periodAliases[value] ?? value));
  if (named) return { named: enumValue(named) };
  const trailing = /^(?:last-)?(\d+)(?:d|-days?)$/.exec(value);
  if (trailing) {
    const days = Number(trailing[1]);
    if (days >= 1 && days <= 100_000) return { trailingDays: days };
  }
  const range = /^(.+)\.\.(.+)$/.exec(text.trim());
  if (range) {
    const start = parseInstant(range[1]!, `${flag} (start)`);
    const end = parseInstant(range[2]!, `${flag} (end)`);
    if (new Date(start).getTime() >= new Date(end).getTime()) throw new UsageError(`${flag}: the start must come before the end (the end is exclusive); got ${text}.`);
    return { start, end };
  }
  throw new UsageError(`${flag} must be one of ${namedPeriods.join(', ')}; START..END (e.g. 2025-01-01..2025-04-01, end exclusive); or Nd (the last N days); got ${text}.`);
}

export const dimensions = ['team', 'owner', 'channel', 'region', 'product-line', 'industry', 'deal-type', 'campaign', 'stage', 'rfm-segment'] as const;

const idDimensions: Record<string, string> = { team: 'Team', owner: 'User', campaign: 'Campaign' };
const filterFields: Record<string, string> = {
  team: 'team', owner: 'owner', campaign: 'campaign', channel: 'channel', region: 'region', industry: 'industry',
  'product-line': 'productLine', productline: 'productLine', 'deal-type': 'dealType', dealtype: 'dealType', stage: 'stage',
  'rfm-segment': 'rfmSegment', rfmsegment: 'rfmSegment',
};
const enumFilters = new Set(['dealType', 'stage']);

/** A numeric row ID as the API's global ID; anything else is taken as a global ID already. */
export function globalId(typename: string, id: string): string {
  return /^\d+$/.test(id) ? Buffer.from(`${typename}:${id}`).toString('base64') : id;
}

/** Repeated `--filter region=DE,AT --filter channel=search` as a KpiFilter. */
export function parseFilters(items: readonly string[], flag: string): Record<string, string[]> {
  const filter: Record<string, string[]> = {};
  for (const item of items) {
    const match = /^([A-Za-z-]+)=(.+)$/.exec(item.trim());
    const field = match ? filterFields[match[1]!.toLowerCase()] : undefined;
    if (!match || !field) {
      throw new UsageError(`${flag} must be DIMENSION=VALUE[,VALUE…] with a dimension among ${dimensions.join(', ')}; got ${item}.`);
    }
    const dimension = match[1]!.toLowerCase() in idDimensions ? match[1]!.toLowerCase() : undefined;
    const values = match[2]!.split(',').map((v) => v.trim()).filter(Boolean).map((v) => {
      if (dimension) return globalId(idDimensions[dimension]!, v);
      return enumFilters.has(field) ? enumValue(v) : v;
    });
    filter[field] = [...(filter[field] ?? []), ...values];
  }
  return filter;
}

/** How a command reports what went wrong: usage problems with the command's usage, the rest in one line. */
export async function runCommand(usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`kpigraph: ${error.message}\n\n${usage}`);
      return exitCodes.usage;
    }
    if (error instanceof CliError) {
      console.error(`kpigraph: ${error.message}`);
      return error.exitCode;
    }
    console.error(`kpigraph: ${error instanceof Error ? error.message : String(error)}`);
    return exitCodes.failure;
  }
}
