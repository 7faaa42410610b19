/**
 * Output of the scripting commands: aligned tables for people, CSV and JSON
 * for scripts. Values are formatted for people only in tables; CSV and JSON
 * carry the API's raw numbers (rates as fractions), so scripts never parse
 * "23.5 %".
 */

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  /** Numbers read best right-aligned. */
  align?: 'left' | 'right';
}

/** Display width, counting a code point as one column (enough for the dashes and blocks used here). */
const width = (text: string): number => [...text].length;

function pad(text: string, size: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return align === 'right' ? fill + text : text + fill;
}

/** A header line and one line per row, columns two spaces apart; no trailing blanks. */
export function formatTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const sizes = columns.map((column, i) => Math.max(width(column.header), ...cells.map((line) => width(line[i]!))));
  const line = (values: string[]) =>
    values
      .map((value, i) => pad(value, sizes[i]!, columns[i]!.align ?? 'left'))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n');
}

/** `label  value` lines, labels aligned: one record for people. */
export function formatRecord(entries: readonly (readonly [string, string])[]): string {
  const size = Math.max(...entries.map(([label]) => width(label)));
  return entries.map(([label, value]) => `${pad(label, size, 'left')}  ${value}`.trimEnd()).join('\n');
}

export type CsvValue = string | number | boolean | null | undefined;

/** RFC 4180: a field with a comma, quote, CR or LF is quoted, quotes doubled. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV: a header record, CRLF after every record. */
export function formatCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((record) => `${record.map(csvField).join(',')}\r\n`).join('');
}

export const missing = '—';

const grouped = (value: number, digits: number) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A KPI value in its unit (the API's KpiUnit), for people: rates as percentages, money with two decimals. */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return missing;
  switch (unit.toLowerCase()) {
    case 'percent':
      return `${(value * 100).toFixed(1)} %`;
    case 'money':
      return grouped(value, 2);
    case 'count':
      return grouped(value, Number.isInteger(value) ? 0 : 1);
    case 'days':
      return `${value.toFixed(1)} d`;
    case 'hours':
      return `${value.toFixed(1)} h`;
    default:
      return grouped(value, 2);
  }
}

/** A fraction as a whole percentage: attainment 0.934 → "93 %". */
export function formatPercent(fraction: number | null | undefined): string {
  return fraction === null || fraction === undefined ? missing : `${Math.round(fraction * 100)} %`;
}

/** A signed change in the KPI's unit; rates in percentage points. */
export function formatChange(change: number | null | undefined, unit: string): string {
  if (change === null || change === undefined) return missing;
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  const magnitude = Math.abs(change);
  return unit.toLowerCase() === 'percent' ? `${sign}${(magnitude * 100).toFixed(1)} pts` : `${sign}${formatValue(magnitude, unit)}`;
}

/** "(percent, higher is better)" from the API's KpiUnit and KpiDirection, in words. */
export function unitAndDirection(unit: string, direction: string): string {
  const better = direction === 'NONE' ? '' : `, ${direction.toLowerCase()} is better`;
  return `${unit.toLowerCase()}${better}`;
}

export function formatRelative(change: number | null | undefined): string {
  if (change === null || change === undefined) return missing;
  return `${change > 0 ? '+' : change < 0 ? '−' : '±'}${(Math.abs(change) * 100).toFixed(1)} %`;
}

const blocks = '▁▂▃▄▅▆▇█';

/** Values as block characters scaled between their min and max; a gap for a missing value. */
export function sparkline(values: readonly (number | null)[]): string {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return ' '.repeat(values.length);
  const min = Math.min(...present);
  const span = Math.max(...present) - min;
  return values
    .map((v) => (v === null ? ' ' : blocks[span === 0 ? 3 : Math.round(((v - min) / span) * (blocks.length - 1))]))
    .join('');
}

/** An instant in a time zone: `2025-04-01` at midnight, else `2025-04-01 09:30`. */
export function formatInstant(iso: string, timeZone = 'UTC'): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(iso))
      .map((part) => [part.type, part.value]),
  );
  const day = `${parts['year']}-${parts['month']}-${parts['day']}`;
  return parts['hour'] === '00' && parts['minute'] === '00' && parts['second'] === '00' ? day : `${day} ${parts['hour']}:${parts['minute']}`;
}

/** `2025-01-01..2025-04-01` (end exclusive) in the workspace's zone, where periods are cut. */
export function formatPeriod(period: { start: string; end: string } | null | undefined, timeZone = 'UTC'): string {
  if (!period) return missing;
  return `${formatInstant(period.start, timeZone)}..${formatInstant(period.end, timeZone)}`;
}

/** Writes one block of output and a final newline (CSV ends in CRLF already). */
export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
