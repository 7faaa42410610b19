import type { Direction, Unit } from '../kpi/types.js';
import { builder } from './builder.js';

/**
 * KpiUnit and KpiDirection: upper case in the API, as every GraphQL enum is;
 * the KPI SDK keeps its lower-case values (plugins declare `unit: 'money'`),
 * and Pothos maps each API name to its internal value in both directions.
 */
const unitValues = {
  COUNT: 'count',
  MONEY: 'money',
  PERCENT: 'percent',
  RATIO: 'ratio',
  DAYS: 'days',
  HOURS: 'hours',
  SCORE: 'score',
} as const satisfies Record<string, Unit>;

const directionValues = { HIGHER: 'higher', LOWER: 'lower', NONE: 'none' } as const satisfies Record<string, Direction>;

type EnumValues<T extends Record<string, string>> = { [Name in keyof T]: { value: T[Name] } };

function mapped<T extends Record<string, string>>(values: T): EnumValues<T> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { value }])) as EnumValues<T>;
}

export const UnitEnum = builder.enumType('KpiUnit', { values: mapped(unitValues) });

export const DirectionEnum = builder.enumType('KpiDirection', {
  description: 'Which way is better; NONE for KPIs that only describe.',
  values: mapped(directionValues),
});

