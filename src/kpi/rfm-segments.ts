/**
 * RFM segments (KPI_CATALOGUE "Customer segments: RFM"): each of recency,
 * frequency and monetary value is high or low against the mean over the
 * paying customers; a value equal to the mean counts as high; recency is high
 * when it is shorter than the mean.
 */
import { Decimal } from 'decimal.js';

export type RfmSegment =
  | 'IMPORTANT_VALUE'
  | 'IMPORTANT_DEVELOP'
  | 'IMPORTANT_RETAIN'
  | 'IMPORTANT_WIN_BACK'
  | 'GENERAL_VALUE'
  | 'GENERAL_DEVELOP'
  | 'GENERAL_RETAIN'
  | 'GENERAL_WIN_BACK';

/** The eight segments, best first. */
export const rfmSegments: readonly RfmSegment[] = [
  'IMPORTANT_VALUE',
  'IMPORTANT_DEVELOP',
  'IMPORTANT_RETAIN',
  'IMPORTANT_WIN_BACK',
  'GENERAL_VALUE',
  'GENERAL_DEVELOP',
  'GENERAL_RETAIN',
  'GENERAL_WIN_BACK',
];

/** The segment of a customer whose recency, frequency and monetary value are high (true) or low. */
export function rfmSegmentOf(recencyHigh: boolean, frequencyHigh: boolean, monetaryHigh: boolean): RfmSegment {
  const importance = monetaryHigh ? 'IMPORTANT' : 'GENERAL';
  const kind = recencyHigh ? (frequencyHigh ? 'VALUE' : 'DEVELOP') : frequencyHigh ? 'RETAIN' : 'WIN_BACK';
  return `${importance}_${kind}`;
}

/** Sums over the paying customers, from which the means follow exactly. */
export interface RfmTotals {
  customers: number;
  recencySum: Decimal.Value;
  frequencySum: Decimal.Value;
  monetarySum: Decimal.Value;
}

/**
 * Classifies one customer against the totals, comparing `value × n` with the
 * sum so that no rounded mean decides a tie.
 */
export function classifyRfm(customer: { recency: Decimal.Value; frequency: Decimal.Value; monetary: Decimal.Value }, totals: RfmTotals): RfmSegment {
  const n = new Decimal(totals.customers);
  const recencyHigh = new Decimal(customer.recency).mul(n).lte(totals.recencySum);
  const frequencyHigh = new Decimal(customer.frequency).mul(n).gte(totals.frequencySum);
  const monetaryHigh = new Decimal(customer.monetary).mul(n).gte(totals.monetarySum);
  return rfmSegmentOf(recencyHigh, frequencyHigh, monetaryHigh);
}
