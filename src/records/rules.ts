/**
 * The rules a record's fields follow, whoever writes it: the GraphQL
 * mutations and the import both check with these, so a value refused by one
 * is refused by the other with the same message.
 */
import { z } from 'zod';

export const nameText = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
export const regionCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code in capitals, e.g. DE');
export const channelName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be a lower-case snake_case source such as referral or social_ads');
export const labelText = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
/** Money: a non-negative decimal with at most 2 places, given as a string. */
export const moneyAmount = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,2})?$/, 'must be a non-negative amount with at most 2 decimal places, e.g. "1234.50"');

/** An e-mail address, as user records (imported or created) carry it. */
export const emailAddress = z.string().trim().max(254, 'must be at most 254 characters').email('must be an e-mail address such as ada@example.com');

/** The score scale of each survey kind, both ends inclusive (NPS 0–10, CSAT 1–5). */
export const surveyScales = { NPS: { min: 0, max: 10 }, CSAT: { min: 1, max: 5 } } as const;

/*
 * Money arrives through the API's Decimal scalar already normalised
 * ("100.10" → "100.1"), so the money rules only check sign and scale.
 */
export const positiveMoney = moneyAmount.refine((value) => /[1-9]/.test(value), 'must be greater than 0');
export const noteText = z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters');
export const reasonText = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');
/** A calendar day; the day is cut in the workspace's time zone. */
export const calendarDay = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a calendar day written YYYY-MM-DD, e.g. 2026-03-01')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'is not a real calendar day');
