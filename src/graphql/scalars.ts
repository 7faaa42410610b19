import { Decimal } from 'decimal.js';
import { GraphQLError, Kind } from 'graphql';
import { builder } from './builder.js';
import { CalendarDate } from './calendar-date.js';

const decimalPattern = /^-?\d{1,18}(\.\d{1,6})?$/;

function invalid(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

const instantPattern = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|([+-])(\d{2}):?(\d{2})))?$/;

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * An ISO 8601 instant, every part checked rather than left to Date to
 * roll over (2026-02-30 is refused, not read as 2 March); years 0001–9999.
 */
function parseInstant(value: unknown): Date {
  const example = 'an ISO 8601 string such as 2026-03-01T09:00:00Z';
  const match = typeof value === 'string' ? instantPattern.exec(value) : null;
  if (!match) throw invalid(`DateTime must be ${example}; got ${JSON.stringify(value)?.slice(0, 60)}.`);
  const [year, month, day, hour = 0, minute = 0, second = 0] = [1, 2, 3, 4, 5, 6].map((i) => Number(match[i] ?? 0)) as number[];
  const offsetHours = Number(match[9] ?? 0);
  const offsetMinutes = Number(match[10] ?? 0);
  const problem =
    year! < 1
      ? 'the year must be between 0001 and 9999'
      : month! < 1 || month! > 12
        ? 'the month must be 01–12'
        : day! < 1 || day! > daysIn(year!, month!)
          ? `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')} has ${daysIn(year!, month!)} days`
          : hour > 23 || minute > 59 || second > 59
            ? 'the time must be between 00:00:00 and 23:59:59'
            : offsetHours > 14 || offsetMinutes > 59
              ? 'the offset must be between -14:00 and +14:00'
              : null;
  if (problem) throw invalid(`DateTime ${String(value)} is not a real instant: ${problem}.`);
  // A date without a time is midnight in the workspace's zone, resolved where the zone is known.
  if (match![4] === undefined) return new CalendarDate(year!, month!, day!);
  return new Date(value as string);
}

builder.scalarType('DateTime', {
  description:
    'An instant as an ISO 8601 string with an offset, e.g. 2026-03-01T09:00:00Z, or a date without a time, e.g. 2026-03-01, which means midnight in the workspace’s time zone (as in the CLI). Years 0001–9999; impossible dates are refused, never shifted.',
  serialize: (value) => (value as Date).toISOString(),
  parseValue: parseInstant,
});

builder.scalarType('Decimal', {
  description: 'An exact decimal number as a string, e.g. "1234.50". Money is never a float.',
  serialize: (value) => (typeof value === 'string' ? value : value.toFixed()),
  parseValue: (value) => {
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string' || !decimalPattern.test(text)) {
      throw invalid(`Decimal must be a number written as a string such as "1234.50"; got ${JSON.stringify(value)}.`);
    }
    return new Decimal(text).toFixed();
  },
  parseLiteral: (node) => {
    if ((node.kind === Kind.STRING || node.kind === Kind.FLOAT || node.kind === Kind.INT) && decimalPattern.test(node.value)) {
      return new Decimal(node.value).toFixed();
    }
    throw invalid('Decimal must be a number written as a string such as "1234.50".');
  },
});

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
});
