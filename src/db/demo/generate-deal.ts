import type { Prng } from './prng.js';
import { activityNotes, lostReasons, lostReasonWeights, segmentPace } from './reference.js';
import type { Segment } from './reference.js';
import type { RowBuffer } from './tables.js';
import { DAY, HOUR, isSummer, onWorkday, quarterEndPull } from './time.js';

export type DealType = 'NEW' | 'RENEWAL' | 'UPSELL' | 'CROSS_SELL';
const OPEN_STAGES = ['LEAD', 'QUALIFIED', 'NEEDS_ANALYSIS', 'PROPOSAL', 'NEGOTIATION'] as const;

/** Chance of moving on from each open stage; the rest is lost there (or still open). */
const advance: Record<DealType, readonly number[]> = {
  NEW: [0.66, 0.8, 0.74, 0.76, 0.7],
  UPSELL: [0.9, 0.88, 0.8, 0.84, 0.8],
  CROSS_SELL: [0.88, 0.86, 0.78, 0.82, 0.78],
  RENEWAL: [0.98, 0.97, 0.95, 0.92, 0.9],
};
/** Median days spent in each open stage by a mid-market first deal. */
const stageDays = [4, 9, 14, 12, 10];
const typePace: Record<DealType, number> = { NEW: 1, UPSELL: 0.55, CROSS_SELL: 0.6, RENEWAL: 0.35 };
const expectedDays = stageDays.reduce((sum, days) => sum + days, 0);

const activityTypes = ['CALL', 'EMAIL', 'MEETING', 'VISIT'] as const;
const activityWeights: Record<Segment, readonly number[]> = {
  enterprise: [30, 30, 26, 14],
  mid: [40, 34, 20, 6],
  smb: [46, 40, 12, 2],
};

export interface DealBuffers {
  deal: RowBuffer;
  stageEvent: RowBuffer;
  activity: RowBuffer;
}

export interface DealInput {
  customerIndex: number;
  ownerId: number;
  managerId: number;
  segment: Segment;
  /** Lead quality of the customer's channel (first deals only). */
  quality: number;
  type: DealType;
  title: string;
  amountCents: number;
  productLine: string;
  campaignId: number | null;
  createdAt: number;
}

export interface DealOutcome {
  index: number;
  stage: string;
  closedAt: number | null;
  qualifiedAt: number | null;
}

const cumulativeOf = (weights: readonly number[]): number[] => {
  let sum = 0;
  return weights.map((weight) => (sum += weight));
};
const activityCumulative: Record<Segment, number[]> = {
  enterprise: cumulativeOf(activityWeights.enterprise),
  mid: cumulativeOf(activityWeights.mid),
  smb: cumulativeOf(activityWeights.smb),
};

/**
 * Walks one deal through the funnel from its creation: at each stage it
 * moves on or is lost after a log-normal stay; a move that would happen after
 * `now` leaves the deal open at that stage. Writes the deal, one stage event
 * per move and the activities around it.
 */
export function simulateDeal(rng: Prng, nowMs: number, input: DealInput, out: DealBuffers): DealOutcome {
  const dealIndex = out.deal.length;
  const pace = segmentPace[input.segment] * typePace[input.type];
  const chances = advance[input.type];
  const quality = input.type === 'NEW' ? input.quality : 1;
  let at = input.createdAt;
  out.stageEvent.push([dealIndex, null, 'LEAD', at]);
  let events = 1;
  let stage: string = 'LEAD';
  let closedAt: number | null = null;
  let qualifiedAt: number | null = null;
  let lostReason: string | null = null;
  for (let s = 0; s < OPEN_STAGES.length; s++) {
    // The Q4 push: negotiations going on in the last quarter close more often.
    const push = s === OPEN_STAGES.length - 1 && new Date(at).getUTCMonth() >= 9 ? 1.12 : 1;
    const moves = rng.chance(Math.min(0.97, chances[s]! * quality * push));
    const stayMs = rng.logNormal(stageDays[s]! * pace * DAY * (moves ? 1 : 1.2), 0.7);
    let next = onWorkday(at + Math.max(HOUR, Math.round(stayMs)));
    // Summer holidays stall deals: the summer dip.
    if (isSummer(next) && rng.chance(0.35)) next = onWorkday(next + Math.round(rng.logNormal(10 * DAY, 0.5)));
    const to = !moves ? 'LOST' : s === OPEN_STAGES.length - 1 ? 'WON' : OPEN_STAGES[s + 1]!;
    if (to === 'WON') next = quarterEndPull(rng, next, at);
    if (next >= nowMs) break;
    out.stageEvent.push([dealIndex, stage, to, next]);
    events++;
    at = next;
    stage = to;
    if (to === 'QUALIFIED') qualifiedAt = next;
    if (to === 'LOST') lostReason = lostReasons[rng.weighted(lostReasonWeights)]!;
    if (to === 'WON' || to === 'LOST') {
      closedAt = next;
      break;
    }
  }
  const expectedCloseAt = input.createdAt + Math.round(expectedDays * pace * DAY * (0.7 + 0.6 * rng.next()));
  out.deal.push([
    input.customerIndex, input.ownerId, input.title, input.amountCents, stage, input.type, input.productLine,
    input.campaignId, input.createdAt, closedAt, expectedCloseAt, lostReason,
  ]);

  // Activities fall between creation and close (or the last weeks, if open).
  const end = closedAt ?? Math.min(nowMs - HOUR, at + 21 * DAY);
  const count = end > input.createdAt ? rng.poisson(0.15 + 0.18 * events) : 0;
  const weights = activityCumulative[input.segment];
  for (let i = 0; i < count; i++) {
    const type = activityTypes[rng.weighted(weights)]!;
    const userId = rng.chance(0.9) ? input.ownerId : input.managerId;
    const time = input.createdAt + Math.floor(rng.next() * (end - input.createdAt));
    const note = rng.chance(0.25) ? rng.pick(activityNotes) : null;
    out.activity.push([type, userId, input.customerIndex, dealIndex, time, note]);
  }
  return { index: dealIndex, stage, closedAt, qualifiedAt };
}
