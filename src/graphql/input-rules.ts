import { z } from 'zod';
import { moneyAmount } from './validation.js';

/**
 * Input rules of the record* mutations, next to the shared ones in
 * validation.ts. Money arrives through the Decimal scalar, which has already
 * normalised it ("100.10" → "100.1"), so these rules only check sign and scale.
 */
export const positiveMoney = moneyAmount.refine((value) => /[1-9]/.test(value), 'must be greater than 0');
export const noteText = z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters');
export const reasonText = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');
/** A calendar day; the day is cut in the workspace's time zone. */
export const calendarDay = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a calendar day written YYYY-MM-DD, e.g. 2026-03-01')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'is not a real calendar day');

