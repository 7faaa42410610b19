import { simulateDeal } from './generate-deal.js';
import type { DealOutcome, DealType } from './generate-deal.js';
import { generateAftercare } from './generate-aftercare.js';
import type { CustomerBuffers, CustomerContext, WonDeal } from './customer-buffers.js';
import type { Prng } from './prng.js';
import {
  channelWeights, channels, companyStems, companyWords, ENTERPRISE_DE_TEAM, industries, industryWeights,
  productWeights, products, regionWeights, regions, segmentAmountFactor, segmentWeights, segments,
} from './reference.js';
import type { Segment } from './reference.js';
import { DAY, HOUR } from './time.js';

const typeSuffix: Record<DealType, string> = { NEW: '', RENEWAL: ' renewal', UPSELL: ' upsell', CROSS_SELL: ' add-on' };
/** Mean days between a customer's upsell or cross-sell deals. */
const repeatEveryDays: Record<Segment, number> = { enterprise: 45, mid: 70, smb: 110 };
/** Mean customer lifetime before churn. */
const lifetimeDays: Record<Segment, number> = { enterprise: 1_700, mid: 1_050, smb: 650 };

function amountFor(rng: Prng, productIndex: number, segment: Segment, factor: number): number {
  const median = products[productIndex]!.medianCents * segmentAmountFactor[segment] * factor;
  return Math.max(10_000, Math.round(rng.logNormal(median, 0.55)));
}

/**
 * One customer's whole story: the lead arrives, first deals are tried (a
 * lost one sometimes retried months later), a win converts it, repeat deals
 * follow until it churns or `now`; then payments, surveys and tickets.
 */
export function generateCustomer(ctx: CustomerContext, out: CustomerBuffers, createdAt: number): void {
  const { rng, nowMs } = ctx;
  const customerIndex = out.customer.length;
  const region = regions[rng.weighted(regionWeights)]!;
  const segment = segments[rng.weighted(segmentWeights)]!;
  const industry = industries[rng.weighted(industryWeights)]!;
  const channel = channels[rng.weighted(channelWeights)]!;
  const teamIndex = segment === 'enterprise' && region.dach ? ENTERPRISE_DE_TEAM : region.team;
  const teamReps = ctx.org.reps[teamIndex]!;
  const ownerId = teamReps[Math.floor(rng.next() ** 1.3 * teamReps.length)]!;
  const managerId = ctx.org.managerIds[teamIndex]!;
  const stem = rng.pick(companyStems);
  const shortName = `${stem} ${rng.pick(companyWords[industry])}`;
  const name = `${shortName} ${rng.pick(region.legalForms)}`;
  let campaignId: number | null = null;
  if (channel.campaigns) {
    const running = ctx.org.activeCampaigns.get(channel.key)?.[Math.floor((createdAt - ctx.startMs) / DAY)];
    if (running && rng.chance(0.6)) campaignId = rng.pick(running);
  }

  const deals: DealOutcome[] = [];
  const won: WonDeal[] = [];
  let hasOpen = false;
  const addDeal = (type: DealType, at: number, productIndex: number, amountCents: number, dealCampaign: number | null): DealOutcome | null => {
    if (ctx.budget.deals <= 0) return null;
    ctx.budget.deals--;
    const product = products[productIndex]!;
    const year = type === 'RENEWAL' ? ` ${new Date(at).getUTCFullYear()}` : '';
    const dealOwner = rng.chance(0.88) ? ownerId : rng.pick(teamReps);
    const outcome = simulateDeal(rng, nowMs, {
      customerIndex, ownerId: dealOwner, managerId, segment, quality: channel.quality, type,
      title: `${shortName} – ${product.label}${typeSuffix[type]}${year}`, amountCents,
      productLine: product.key, campaignId: dealCampaign, createdAt: at,
    }, out);
    deals.push(outcome);
    if (outcome.closedAt === null) hasOpen = true;
    if (outcome.stage === 'WON') won.push({ index: outcome.index, type, closedAt: outcome.closedAt!, amountCents });
    return outcome;
  };

  // Some leads never get a deal: unqualified contacts.
  const withDeal = rng.chance(0.85);
  let qualifiedAt: number | null = null;
  let firstWin: WonDeal | undefined;
  let mainProduct = rng.weighted(productWeights);
  let attemptAt = createdAt + Math.round(rng.exponential(3 * DAY)) + HOUR;
  for (let attempt = 0; withDeal && attempt < 3 && attemptAt < nowMs; attempt++) {
    const deal = addDeal('NEW', attemptAt, mainProduct, amountFor(rng, mainProduct, segment, 1), campaignId);
    if (!deal) break;
    qualifiedAt ??= deal.qualifiedAt;
    if (deal.stage === 'WON') {
      firstWin = won[0];
      break;
    }
    if (deal.closedAt === null || !rng.chance(0.3)) break;
    attemptAt = deal.closedAt + rng.int(60, 300) * DAY;
    if (rng.chance(0.3)) mainProduct = rng.weighted(productWeights);
  }

  // Repeat business: yearly renewals and upsells/cross-sells at random.
  let churnedAt: number | null = null;
  if (firstWin) {
    const churnCandidate = firstWin.closedAt + Math.round(rng.exponential(lifetimeDays[segment] * DAY));
    const horizon = Math.min(churnCandidate, nowMs);
    const repeats: { at: number; type: DealType }[] = [];
    for (let at = firstWin.closedAt + 320 * DAY + rng.int(0, 20) * DAY; at < horizon; at += 365 * DAY) {
      repeats.push({ at, type: 'RENEWAL' });
    }
    for (let at = firstWin.closedAt + rng.exponential(repeatEveryDays[segment] * DAY); at < horizon; at += rng.exponential(repeatEveryDays[segment] * DAY)) {
      repeats.push({ at: Math.round(at), type: rng.chance(0.55) ? 'UPSELL' : 'CROSS_SELL' });
    }
    repeats.sort((a, b) => a.at - b.at);
    for (const repeat of repeats) {
      let productIndex = mainProduct;
      let amount: number;
      if (repeat.type === 'RENEWAL') amount = Math.round(firstWin.amountCents * (0.9 + 0.25 * rng.next()));
      else if (repeat.type === 'UPSELL') amount = amountFor(rng, productIndex, segment, 0.4);
      else {
        productIndex = rng.weighted(productWeights);
        amount = amountFor(rng, productIndex, segment, 0.6);
      }
      if (!addDeal(repeat.type, repeat.at, productIndex, amount, null)) break;
    }
    const lastClose = deals.reduce((last, deal) => Math.max(last, deal.closedAt ?? 0), 0);
    if (churnCandidate < nowMs && !hasOpen) {
      const at = Math.max(churnCandidate, lastClose + 20 * DAY);
      if (at < nowMs) churnedAt = at;
    }
  }

  const convertedAt = firstWin?.closedAt ?? null;
  const status = churnedAt !== null ? 'CHURNED' : convertedAt !== null ? 'CUSTOMER' : qualifiedAt !== null ? 'PROSPECT' : 'LEAD';
  out.customer.push([
    name, industry, region.code, channel.key, ownerId, status, campaignId, createdAt, qualifiedAt, convertedAt, churnedAt,
  ]);

  if (!withDeal) {
    // Unqualified leads still got a call or two.
    const calls = rng.poisson(0.8);
    for (let i = 0; i < calls; i++) {
      const at = createdAt + Math.floor(rng.next() * Math.min(30 * DAY, nowMs - createdAt));
      out.activity.push(['CALL', ownerId, customerIndex, null, at, null]);
    }
  }
  if (convertedAt !== null) {
    generateAftercare(ctx, out, { customerIndex, ownerId, segment, convertedAt, churnedAt, won });
  }
}
