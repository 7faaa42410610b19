/**
 * What the generators of one customer's story share: the row buffers they
 * fill, the context they draw from, and the won deals that aftercare
 * (payments, surveys, tickets) follows.
 */
import type { DealBuffers, DealType } from './generate-deal.js';
import type { Org } from './generate-org.js';
import type { Prng } from './prng.js';
import { RowBuffer, tables } from './tables.js';

export interface CustomerBuffers extends DealBuffers {
  customer: RowBuffer;
  payment: RowBuffer;
  survey: RowBuffer;
  ticket: RowBuffer;
}

export const newCustomerBuffers = (): CustomerBuffers => ({
  customer: new RowBuffer(tables.customer),
  deal: new RowBuffer(tables.deal),
  stageEvent: new RowBuffer(tables.stageEvent),
  activity: new RowBuffer(tables.activity),
  payment: new RowBuffer(tables.payment),
  survey: new RowBuffer(tables.survey),
  ticket: new RowBuffer(tables.ticket),
});

export interface CustomerContext {
  rng: Prng;
  nowMs: number;
  startMs: number;
  org: Org;
  /** Deals still to create; the load stops at exactly the requested count. */
  budget: { deals: number };
}

export interface WonDeal {
  index: number;
  type: DealType;
  closedAt: number;
  amountCents: number;
}
