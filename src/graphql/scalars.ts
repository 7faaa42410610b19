import { Decimal } from 'decimal.js';
import { GraphQLError, Kind } from 'graphql';
import { builder } from './builder.js';
import { CalendarDate } from './calendar-date.js';

const decimalPattern = /^-?\d{1,18}(\.\d{1,6})?$/;

function invalid(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

builder.scalarType('DateTime', {
  description:
    'An instant as an ISO 8601 string with an offset, e.g. 2026-03-01T09:00:00Z, or a date without a time, e.g. 2026-03-01, which means midnight in the workspace’s time zone (as in the CLI).',
  serialize: (value) => (value as Date).toISOString(),
  parseValue: (value) => {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2}))?$/.test(value)) {
      throw invalid(`DateTime must be an ISO 8601 string such as 2026-03-01T09:00:00Z; got ${JSON.stringify(value)}.`);
    }
    const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const date = dateOnly ? new CalendarDate(Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3])) : new Date(value);
    if (Number.isNaN(date.getTime()) || (dateOnly && date.getUTCDate() !== Number(dateOnly[3]))) throw invalid(`DateTime ${value} is not a real date.`);
    return date;
  },
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
