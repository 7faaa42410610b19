import { z } from 'zod';

/** Shared input rules, so every mutation reports the same messages. */
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
