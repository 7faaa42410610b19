/**
 * The numbers a scenario yields, flattened to `cell → value`, so that the
 * server's answer and the floor's can be compared key by key.
 */

/** A cell's value: a number (money and ratios as numbers), text, or null for "no value". */
export type CellValue = number | string | null;
export type Values = Map<string, CellValue>;

export interface Comparison {
  cells: number;
  mismatches: string[];
}

const toNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** A numeric column from a driver row (numeric arrives as text). */
export const num = toNumber;

function same(a: CellValue | undefined, b: CellValue | undefined): boolean {
  // A group the server leaves out of a breakdown has nothing to count: the
  // same as the floor's 0 or null.
  const blank = (v: CellValue | undefined): boolean => v === undefined || v === null || v === 0;
  if (blank(a) && blank(b)) return true;
  if (typeof a === 'number' && typeof b === 'number') {
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  return a === b;
}

/** Compares two value maps over the union of their cells; lists the first mismatches. */
export function compareValues(server: Values, floor: Values, limit = 10): Comparison {
  const keys = new Set([...server.keys(), ...floor.keys()]);
  const mismatches: string[] = [];
  for (const key of [...keys].sort()) {
    const a = server.get(key);
    const b = floor.get(key);
    if (!same(a, b) && mismatches.length < limit) mismatches.push(`${key}: server ${String(a)} ≠ floor ${String(b)}`);
  }
  return { cells: keys.size, mismatches };
}

/** The row id inside a Relay global ID ("Team:3" in base64), or the text itself. */
export function rowIdOf(globalId: string | null): string {
  if (globalId === null) return 'none';
  const decoded = Buffer.from(globalId, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(colon + 1) : globalId;
}
