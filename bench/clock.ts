/**
 * The end of the demo history. Fixed, so that a cached dataset stays valid
 * and every period the scenarios ask for lies in the past whatever the date.
 */
export const benchNow = new Date('2026-11-01T00:00:00Z');
export const benchTimeZone = 'Europe/Berlin';
