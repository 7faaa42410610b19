import { fromCivil, normaliseDate, toCivil } from '../time/time-zone.js';

/** The same wall-clock instant one calendar year earlier in `timeZone` (29 February becomes 1 March). */
export function yearEarlier(instant: Date, timeZone: string): Date {
  const civil = toCivil(instant, timeZone);
  return fromCivil({ ...civil, ...normaliseDate(civil.year - 1, civil.month, civil.day) }, timeZone);
}
