import type { CustomerBuffers, CustomerContext, WonDeal } from './customer-buffers.js';
import type { Prng } from './prng.js';
import { cumulative } from './prng.js';
import { surveyComments, ticketSubjects } from './reference.js';
import type { Segment } from './reference.js';
import { DAY, HOUR, officeTime, onWorkday } from './time.js';

export interface AftercareInput {
  customerIndex: number;
  ownerId: number;
  segment: Segment;
  convertedAt: number;
  churnedAt: number | null;
  won: readonly WonDeal[];
}

const npsHappy = cumulative([1, 0.8, 1.2, 1.5, 2, 4.5, 6, 12, 21, 25, 25]);
const npsUnhappy = cumulative([6, 4, 5, 7, 8, 11, 12, 14, 13, 11, 9]);
const csatHappy = cumulative([3, 6, 13, 39, 39]);
const csatUnhappy = cumulative([14, 17, 24, 28, 17]);
const ticketKinds = ['REQUEST', 'INCIDENT', 'COMPLAINT'] as const;
const ticketKindWeights = cumulative([55, 30, 15]);
const ticketEveryDays: Record<Segment, number> = { enterprise: 80, mid: 140, smb: 230 };
/** Median hours from first response to resolution. */
const resolveHours = { REQUEST: 20, INCIDENT: 9, COMPLAINT: 40 } as const;

/**
 * What follows a win: payments (one sum, quarterly or monthly instalments),
 * tickets with response and resolution times, NPS and CSAT answers, account
 * check-ins. Nothing after churn or `now`; service improves over the years.
 */
export function generateAftercare(ctx: CustomerContext, out: CustomerBuffers, input: AftercareInput): void {
  const { rng, nowMs, startMs } = ctx;
  const end = Math.min(nowMs, input.churnedAt ?? nowMs);
  const progress = (at: number): number => (at - startMs) / (nowMs - startMs);
  const unhappyChance = (at: number): number => (input.churnedAt !== null ? 0.4 : 0.08) + 0.15 * (1 - progress(at));
  const { customerIndex } = input;

  for (const deal of input.won) {
    payments(rng, out, customerIndex, deal, end);
    if (rng.chance(0.3)) {
      const at = onWorkday(deal.closedAt + rng.int(3, 20) * DAY);
      if (at < end) survey(rng, out, customerIndex, 'CSAT', at, unhappyChance(at));
    }
  }

  for (let at = input.convertedAt + rng.int(45, 120) * DAY; at < end; at += rng.int(150, 210) * DAY) {
    if (rng.chance(0.45)) survey(rng, out, customerIndex, 'NPS', at, unhappyChance(at));
  }

  const every = ticketEveryDays[input.segment] * DAY;
  for (let at = input.convertedAt + rng.exponential(every); at < end; at += rng.exponential(every)) {
    const openedAt = Math.round(at);
    const kind = ticketKinds[rng.weighted(ticketKindWeights)]!;
    // First answers got faster as the team grew into the CRM.
    const firstResponse = openedAt + Math.max(5 * 60_000, Math.round(rng.logNormal((2 + 6 * (1 - progress(openedAt))) * HOUR, 0.9)));
    const resolved = rng.chance(0.04) ? null : firstResponse + Math.max(10 * 60_000, Math.round(rng.logNormal(resolveHours[kind] * HOUR, 1)));
    const firstResponseAt = firstResponse < nowMs ? firstResponse : null;
    const resolvedAt = firstResponseAt !== null && resolved !== null && resolved < nowMs ? resolved : null;
    out.ticket.push([customerIndex, kind, rng.pick(ticketSubjects[kind]), openedAt, firstResponseAt, resolvedAt]);
    if (resolvedAt !== null && rng.chance(0.35)) {
      const answeredAt = resolvedAt + Math.floor(rng.next() * 3 * DAY);
      if (answeredAt < end) survey(rng, out, customerIndex, 'CSAT', answeredAt, unhappyChance(answeredAt) + (kind === 'COMPLAINT' ? 0.2 : 0));
    }
  }

  // Account check-ins, roughly twice a year.
  const checkIns = rng.poisson((end - input.convertedAt) / (180 * DAY));
  for (let i = 0; i < checkIns; i++) {
    const at = input.convertedAt + Math.floor(rng.next() * (end - input.convertedAt));
    out.activity.push([rng.chance(0.6) ? 'CALL' : 'MEETING', input.ownerId, customerIndex, null, at, 'Check-in']);
  }
}

function payments(rng: Prng, out: CustomerBuffers, customerIndex: number, deal: WonDeal, end: number): void {
  const plan = rng.next();
  const instalments = deal.type === 'RENEWAL' ? (plan < 0.7 ? 1 : 4) : plan < 0.55 ? 1 : plan < 0.85 ? rng.int(2, 4) : rng.pick([6, 12]);
  const stepDays = instalments === 1 ? 0 : instalments <= 4 ? 91 : 30;
  // Whole cents: the first instalment takes the remainder, so the sum is exact.
  const share = Math.floor(deal.amountCents / instalments);
  const first = deal.amountCents - share * (instalments - 1);
  const firstAt = officeTime(rng, Math.floor((deal.closedAt + rng.int(7, 45) * DAY) / DAY) * DAY);
  for (let i = 0; i < instalments; i++) {
    const paidAt = Math.max(firstAt + i * stepDays * DAY, deal.closedAt + HOUR);
    if (paidAt >= end) break;
    out.payment.push([customerIndex, deal.index, i === 0 ? first : share, paidAt]);
  }
}

function survey(rng: Prng, out: CustomerBuffers, customerIndex: number, kind: 'NPS' | 'CSAT', at: number, unhappy: number): void {
  const sad = rng.chance(unhappy);
  const score = kind === 'NPS' ? rng.weighted(sad ? npsUnhappy : npsHappy) : 1 + rng.weighted(sad ? csatUnhappy : csatHappy);
  const good = kind === 'NPS' ? score >= 9 : score >= 4;
  const bad = kind === 'NPS' ? score <= 6 : score <= 2;
  const comment = (good || bad) && rng.chance(0.2) ? rng.pick(good ? surveyComments.good : surveyComments.bad) : null;
  out.survey.push([customerIndex, kind, score, at, comment]);
}
