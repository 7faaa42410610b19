/**
 * How the dashboard writes numbers. Plain string arithmetic rather than
 * Intl, so that the browser and a test in Node print the same text; money
 * is formatted from the API's exact decimal, never through a float.
 */

const group = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** A decimal string ("-1234.5") with thousands separators and `decimals` places, rounded half away from zero. */
export function formatDecimal(text: string, decimals: number): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return text;
  const [, sign = '', whole = '0', fraction = ''] = match;
  const padded = (fraction + '0'.repeat(decimals + 1)).slice(0, decimals + 1);
  let digits = whole + padded.slice(0, decimals);
  if (Number(padded[decimals]) >= 5) digits = (BigInt(digits) + 1n).toString().padStart(digits.length, '0');
  const integer = digits.slice(0, digits.length - decimals) || '0';
  const rest = digits.slice(digits.length - decimals);
  const zero = /^0*$/.test(digits);
  return `${sign && !zero ? '-' : ''}${group(integer)}${decimals > 0 ? `.${rest}` : ''}`;
}

const fixed = (value: number, decimals: number): string => formatDecimal(value.toFixed(decimals + 2), decimals);

/** The unit names the API uses, compared without regard to case. */
export type UnitName = 'count' | 'money' | 'percent' | 'ratio' | 'days' | 'hours' | 'score';

export function unitOf(unit: string): UnitName | undefined {
  const lower = unit.toLowerCase();
  return (['count', 'money', 'percent', 'ratio', 'days', 'hours', 'score'] as const).find((name) => name === lower);
}

export interface Formattable {
  value: number | null | undefined;
  exact?: string | null | undefined;
}

/** A KPI value as the dashboard shows it: "EUR 12,345.00", "23.4 %", "41.2 days"; "–" for none. */
export function formatValue(cell: Formattable, unit: string, currency = ''): string {
  const { value, exact } = cell;
  if (value === null || value === undefined) return '–';
  switch (unitOf(unit)) {
    case 'money':
      return `${currency ? `${currency} ` : ''}${formatDecimal(exact ?? value.toFixed(2), 2)}`;
    case 'percent':
      return `${fixed(value * 100, 1)} %`;
    case 'count':
      return Number.isInteger(value) ? group(String(value)) : fixed(value, 1);
    case 'days':
      return `${fixed(value, 1)} days`;
    case 'hours':
      return `${fixed(value, 1)} h`;
    case 'ratio':
      return fixed(value, 2);
    default:
      return fixed(value, 1);
  }
}

/** The raw value a number element carries in data-value: the exact decimal when there is one. */
export function rawValue(cell: Formattable): string {
  if (cell.value === null || cell.value === undefined) return '';
  return cell.exact ?? String(cell.value);
}

/** A fraction as a percentage, "42.0 %". */
export function formatShare(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${fixed(value * 100, 1)} %`;
}

/** Upper-case API words as text: "NEEDS_ANALYSIS" → "Needs analysis". */
export function words(name: string): string {
  const lower = name.toLowerCase().replace(/_/g, ' ');
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

/** Short numbers for chart axes and tooltips: "12k", "40 %". */
export function axisFormat(unit: string): (value: number) => string {
  if (unitOf(unit) === 'percent') return (value) => `${fixed(value * 100, 0)} %`;
  return (value) => {
    const size = Math.abs(value);
    if (size >= 1e6) return `${fixed(value / 1e6, 1)}M`;
    if (size >= 1e4) return `${fixed(value / 1e3, 0)}k`;
    return Number.isInteger(value) ? group(String(value)) : fixed(value, 2);
  };
}
