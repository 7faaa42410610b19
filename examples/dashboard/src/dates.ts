/**
 * The instant the dashboard reports on (`?at=` in the page address, or now)
 * and the periods it asks for around it. Dates without a time are read by
 * the server as midnight in the workspace's time zone.
 */

const day = 86_400_000;

export interface DashboardPeriods {
  /** The instant of every value: goal progress, the end of every period. */
  at: string;
  /** The cards', funnel's and RFM segments' period: the 90 days before `at`. */
  recent: { start: string; end: string };
  /** The sparklines' and trend's range: from the first of the month eleven months back to `at` (twelve monthly buckets). */
  year: { start: string; end: string };
}

const isoDate = (date: Date): string => date.toISOString().slice(0, 10);

export function periodsAt(at: string): DashboardPeriods {
  const instant = new Date(at);
  if (Number.isNaN(instant.getTime())) throw new Error(`?at= must be a date or an ISO 8601 instant; got ${at}`);
  const firstOfMonth = new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth() - 11, 1));
  return {
    at,
    recent: { start: isoDate(new Date(instant.getTime() - 90 * day)), end: at },
    year: { start: isoDate(firstOfMonth), end: at },
  };
}

/** `?at=` from the address, else now. */
export function instantFromLocation(search: string): string {
  return new URLSearchParams(search).get('at') ?? new Date().toISOString();
}

/** "2026-03" from an ISO instant: the month a bucket starts in (at noon UTC, so any time zone of Europe or the Americas agrees). */
export function monthLabel(start: string): string {
  const date = new Date(new Date(start).getTime() + day / 2);
  return date.toISOString().slice(0, 7);
}

/** "2026-03-14" from an ISO instant. */
export function dateLabel(instant: string): string {
  return new Date(instant).toISOString().slice(0, 10);
}
