import { parseArgs } from 'node:util';
import {
  choice,
  connectionFlags,
  connectionFrom,
  connectionHelp,
  dimensions,
  enumValue,
  exitHelp,
  formatFlags,
  inZone,
  isBareDate,
  outputFormat,
  parseFilters,
  parsePeriod,
  runCommand,
} from './cli-args.js';
import { KpigraphClient } from './http-client.js';
import { fetchExplanation, renderExplanation } from './kpi-explain.js';
import type { Column, CsvValue } from './output.js';
import { formatChange, formatCsv, formatPercent, formatPeriod, formatRecord, formatRelative, formatTable, formatValue, missing, print, unitAndDirection } from './output.js';
import { UsageError, exitCodes } from './usage-error.js';

export const kpiUsage = `Usage: kpigraph kpi KEY --period PERIOD [--by DIMENSION] [--filter DIM=VALUE…] [--params JSON]
                    [--compare previous|year-ago] [--explain [--grain GRAIN]] [--json|--csv]
                    [--url URL] [--api-key KEY]

One KPI over a period, against its target; with --by, one value per group.

  --period P      today, yesterday, this-week, last-week, this-month, last-month,
                  this-quarter, last-quarter, this-year, last-year, year-to-date (ytd),
                  quarter-to-date (qtd), month-to-date (mtd), in the workspace's time zone;
                  START..END such as 2025-01-01..2025-04-01 (end exclusive; a bare date
                  starts at midnight in the workspace's time zone); or 30d (the last 30
                  days, today included)
  --by DIM        ${dimensions.join(', ')}
  --filter D=V    keep only records with these values, e.g. region=DE,AT (repeatable;
                  team, owner and campaign take numeric IDs or global IDs)
  --params JSON   the KPI's extra inputs, e.g. '{"days":90}'
  --compare C     previous (the period before) or year-ago
  --explain       print what the server would do instead of the value: each cell's path
                  (raw, cache, plugin), the plan's measure groups and the SQL statements
                  with their parameters (admin keys only; --json for the whole plan)
  --grain G       with --explain: explain the series of --period by day, week, month,
                  quarter or year
  --json, --csv   for scripts: raw numbers (rates as fractions), see README

${connectionHelp}

${exitHelp}`;

interface Period {
  start: string;
  end: string;
}
interface Reason {
  code: string;
  message: string;
}
interface Previous {
  period?: Period;
  value: number | null;
  exact: string | null;
  change: number | null;
  relativeChange: number | null;
  reason?: Reason | null;
}
interface Value {
  period?: Period;
  value: number | null;
  exact: string | null;
  target: number | null;
  attainment: number | null;
  status: string;
  numerator?: string | null;
  denominator?: string | null;
  sampleSize: number | null;
  reason: Reason | null;
  previous?: Previous | null;
}
interface KpiHead {
  key: string;
  name: string;
  unit: string;
  direction: string;
}
interface WorkspaceData {
  workspace: { timeZone: string };
}
interface Group {
  key: string | null;
  label: string;
  value: Value;
}

const kpiFlags = {
  ...connectionFlags,
  ...formatFlags,
  period: { type: 'string' },
  by: { type: 'string' },
  filter: { type: 'string', multiple: true, default: [] as string[] },
  params: { type: 'string' },
  compare: { type: 'string' },
  explain: { type: 'boolean' },
  grain: { type: 'string' },
} as const;

export function kpiCommand(args: string[]): Promise<number> {
  return runCommand(kpiUsage, async () => {
    const { values, positionals } = parseArgs({ args, options: kpiFlags, allowPositionals: true, strict: true });
    if (values.help) {
      print(kpiUsage);
      return exitCodes.ok;
    }
    const format = outputFormat(values);
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'name the KPI, e.g. kpigraph kpi win_rate --period last-quarter.' : `one KPI at a time; got ${positionals.join(' ')}.`);
    if (!values.period) throw new UsageError('--period is required, e.g. --period last-quarter or --period 2025-01-01..2025-04-01.');
    const by = choice(values.by, '--by', dimensions);
    const compare = choice(values.compare, '--compare', ['previous', 'year-ago'] as const);
    let params: unknown;
    if (values.params !== undefined) {
      try {
        params = JSON.parse(values.params);
      } catch {
        throw new UsageError(`--params must be a JSON object such as '{"days":90}'; got ${values.params}.`);
      }
      if (!params || typeof params !== 'object' || Array.isArray(params)) throw new UsageError(`--params must be a JSON object; got ${values.params}.`);
    }
    const grain = choice(values.grain, '--grain', ['day', 'week', 'month', 'quarter', 'year'] as const);
    if (grain && !values.explain) throw new UsageError('--grain is for --explain (a series); the value of a period needs none.');
    if (values.explain && format === 'csv') throw new UsageError('--explain prints a plan and SQL: use --json for scripts, not --csv.');
    const filter = parseFilters(values.filter, '--filter');
    const client = new KpigraphClient(connectionFrom(values));
    let period = parsePeriod(values.period);
    if ('start' in period && (isBareDate(period.start) || isBareDate(period.end))) {
      const zone = await client.timeZone();
      period = { start: inZone(period.start, zone), end: inZone(period.end, zone) };
    }
    const variables = {
      key: positionals[0],
      period,
      ...(Object.keys(filter).length > 0 ? { filter } : {}),
      ...(params ? { params } : {}),
      ...(compare ? { compareTo: compare === 'previous' ? 'PREVIOUS_PERIOD' : 'YEAR_AGO' } : {}),
    };
    if (values.explain) {
      const explained = await fetchExplanation(client, { ...variables, ...(by ? { by: enumValue(by) } : {}), ...(grain ? { grain: enumValue(grain) } : {}) });
      print(renderExplanation(explained, format === 'json' ? 'json' : 'table'));
      return exitCodes.ok;
    }
    if (!by) {
      const { kpi, workspace } = await client.run<{ kpi: KpiHead & { value: Value } } & WorkspaceData>('cli-kpi-value', variables);
      print(renderValue(kpi, format, workspace.timeZone));
      return exitCodes.ok;
    }
    type BreakdownData = { kpi: KpiHead & { total: Value; breakdown: Group[] } } & WorkspaceData;
    const { kpi, workspace } = await client.run<BreakdownData>('cli-kpi-breakdown', { ...variables, by: enumValue(by) });
    let previous: Map<string | null, Value> | undefined;
    const previousPeriod = kpi.total.previous?.period;
    if (compare && previousPeriod) {
      // The same breakdown over the comparison period the server chose (it knows the workspace's calendar).
      const earlier = await client.run<BreakdownData>('cli-kpi-breakdown', { ...variables, compareTo: null, by: enumValue(by), period: previousPeriod });
      previous = new Map(earlier.kpi.breakdown.map((g) => [g.key, g.value]));
    }
    print(renderBreakdown(kpi, by, sortGroups(kpi.breakdown), previous, format, workspace.timeZone));
    return exitCodes.ok;
  });
}

/** By label, the "no value" group last: a stable order for people and diffs. */
function sortGroups(groups: Group[]): Group[] {
  return [...groups].sort((a, b) => (a.key === null ? 1 : b.key === null ? -1 : a.label.localeCompare(b.label, 'en')));
}

/** Rounds away float noise from client-side subtraction (0.3 − 0.1). */
const clean = (n: number): number => Number(n.toPrecision(12));

function compared(current: Value, earlier: Value | undefined): Previous | null {
  if (!earlier) return { value: null, exact: null, change: null, relativeChange: null };
  const change = current.value !== null && earlier.value !== null ? clean(current.value - earlier.value) : null;
  const relativeChange = change !== null && earlier.value ? clean(change / Math.abs(earlier.value)) : null;
  return { value: earlier.value, exact: earlier.exact, change, relativeChange };
}

function valueJson(v: Value) {
  return {
    value: v.value,
    exact: v.exact,
    target: v.target,
    attainment: v.attainment,
    status: v.status,
    sampleSize: v.sampleSize,
    reason: v.reason,
  };
}

function renderValue(kpi: KpiHead & { value: Value }, format: 'table' | 'json' | 'csv', tz: string): string {
  const v = kpi.value;
  const p = v.previous ?? null;
  if (format === 'json') {
    const { key, name, unit, direction } = kpi;
    return JSON.stringify(
      { key, name, unit, direction, period: v.period, ...valueJson(v), numerator: v.numerator ?? null, denominator: v.denominator ?? null, previous: p },
      null,
      2,
    );
  }
  if (format === 'csv') {
    const header = ['key', 'period_start', 'period_end', 'value', 'target', 'attainment', 'status', 'sample_size', 'previous_value', 'change', 'relative_change'];
    return formatCsv(header, [[kpi.key, v.period?.start, v.period?.end, v.value, v.target, v.attainment, v.status, v.sampleSize, p?.value, p?.change, p?.relativeChange]]);
  }
  const entries: [string, string][] = [
    ['period', formatPeriod(v.period, tz)],
    ['value', formatValue(v.value, kpi.unit) + (v.reason ? `  (${v.reason.message})` : '')],
    ['target', formatValue(v.target, kpi.unit)],
    ['attainment', formatPercent(v.attainment)],
    ['status', v.status],
  ];
  if (v.numerator != null || v.denominator != null) entries.push(['measures', `${v.numerator ?? missing} / ${v.denominator ?? missing}`]);
  if (v.sampleSize != null) entries.push(['records', String(v.sampleSize)]);
  if (p) {
    entries.push(['previous', `${formatValue(p.value, kpi.unit)} over ${formatPeriod(p.period, tz)}`]);
    entries.push(['change', `${formatChange(p.change, kpi.unit)} (${formatRelative(p.relativeChange)})`]);
  }
  return `${heading(kpi)}\n${formatRecord(entries)}`;
}

function heading(kpi: KpiHead): string {
  return `${kpi.key} — ${kpi.name} (${unitAndDirection(kpi.unit, kpi.direction)})`;
}

function renderBreakdown(
  kpi: KpiHead & { total: Value },
  by: string,
  groups: Group[],
  previous: Map<string | null, Value> | undefined,
  format: 'table' | 'json' | 'csv',
  tz: string,
): string {
  const rows = groups.map((g) => ({ ...g, previous: previous ? compared(g.value, previous.get(g.key)) : null }));
  if (format === 'json') {
    const { key, name, unit, direction } = kpi;
    return JSON.stringify(
      {
        key,
        name,
        unit,
        direction,
        by,
        period: kpi.total.period,
        total: { ...valueJson(kpi.total), previous: kpi.total.previous ?? null },
        groups: rows.map((r) => ({ key: r.key, label: r.label, ...valueJson(r.value), ...(previous ? { previous: r.previous } : {}) })),
      },
      null,
      2,
    );
  }
  if (format === 'csv') {
    const header = ['key', 'label', 'value', 'target', 'attainment', 'status', 'sample_size', ...(previous ? ['previous_value', 'change', 'relative_change'] : [])];
    return formatCsv(
      header,
      rows.map((r): CsvValue[] => [
        r.key, r.label, r.value.value, r.value.target, r.value.attainment, r.value.status, r.value.sampleSize,
        ...(previous ? [r.previous?.value, r.previous?.change, r.previous?.relativeChange] : []),
      ]),
    );
  }
  type Row = { label: string; value: Value; previous: Previous | null };
  const total: Row = { label: 'total', value: kpi.total, previous: kpi.total.previous ?? null };
  const columns: Column<Row>[] = [
    { header: by, value: (r) => r.label },
    { header: 'value', value: (r) => formatValue(r.value.value, kpi.unit), align: 'right' },
    { header: 'target', value: (r) => formatValue(r.value.target, kpi.unit), align: 'right' },
    { header: 'attainment', value: (r) => formatPercent(r.value.attainment), align: 'right' },
    { header: 'status', value: (r) => r.value.status },
    { header: 'records', value: (r) => (r.value.sampleSize == null ? missing : String(r.value.sampleSize)), align: 'right' },
  ];
  if (previous) {
    columns.push(
      { header: 'previous', value: (r) => formatValue(r.previous?.value, kpi.unit), align: 'right' },
      { header: 'change', value: (r) => formatChange(r.previous?.change, kpi.unit), align: 'right' },
    );
  }
  const previousPeriod = kpi.total.previous?.period;
  const title = `${heading(kpi)} by ${by}, ${formatPeriod(kpi.total.period, tz)}${previousPeriod ? ` vs ${formatPeriod(previousPeriod, tz)}` : ''}`;
  return `${title}\n${formatTable([...rows, total], columns)}`;
}
