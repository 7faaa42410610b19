import type { Org } from './generate-org.js';
import type { Prng } from './prng.js';
import type { RowBuffer } from './tables.js';
import { DAY, HISTORY_DAYS, zonedMidnightFactory } from './time.js';

export interface MoneyContext {
  rng: Prng;
  deals: number;
  startMs: number;
  nowMs: number;
  timeZone: string;
  org: Org;
}

/**
 * Marketing and sales spend, scaled so that acquisition cost lands near a
 * believable 1,500–2,500 per new customer whatever the size: daily always-on
 * search and social, weekly per running campaign, weekly sales costs.
 */
export function generateSpend(ctx: MoneyContext, spend: RowBuffer): void {
  const { rng, startMs, nowMs } = ctx;
  const midnight = zonedMidnightFactory(ctx.timeZone);
  const dayCents = (ctx.deals * 14_000) / HISTORY_DAYS;
  const growth = (at: number): number => 0.7 + 0.6 * ((at - startMs) / (nowMs - startMs));
  const cents = (mean: number): number => Math.max(1, Math.round(rng.logNormal(mean, 0.25)));
  const dayOf = (ms: number): number => {
    const date = new Date(ms);
    return midnight(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  };

  for (let day = 0; day <= HISTORY_DAYS; day++) {
    const date = dayOf(startMs + day * DAY + 12 * 3_600_000);
    if (date >= nowMs) break;
    spend.push(['MARKETING', 'search', null, date, cents(0.18 * dayCents * growth(date))]);
    spend.push(['MARKETING', 'social_ads', null, date, cents(0.15 * dayCents * growth(date))]);
    if (new Date(date + 12 * 3_600_000).getUTCDay() === 1) {
      spend.push(['SALES', 'outbound', null, date, cents(0.15 * 7 * dayCents * growth(date))]);
      spend.push(['SALES', 'partner', null, date, cents(0.1 * 7 * dayCents * growth(date))]);
      spend.push(['SALES', null, null, date, cents(0.15 * 7 * dayCents * growth(date))]);
    }
  }

  const weeks = ctx.org.campaigns.map((campaign) => Math.max(1, Math.ceil(((campaign.endsAt ?? nowMs) - campaign.startsAt) / (7 * DAY))));
  const totalWeeks = weeks.reduce((sum, n) => sum + n, 0);
  const weekCents = (0.27 * dayCents * HISTORY_DAYS) / Math.max(1, totalWeeks);
  ctx.org.campaigns.forEach((campaign, index) => {
    for (let week = 0; week < weeks[index]!; week++) {
      const date = dayOf(campaign.startsAt + week * 7 * DAY);
      if (date >= nowMs) break;
      spend.push(['MARKETING', campaign.channel, campaign.id, date, cents(weekCents)]);
    }
  });
}

/**
 * What the CRM itself cost and brought, month by month: licence, rollout,
 * training and running costs; benefits ramp up after the rollout, ending
 * near a 150–200 % return.
 */
export function generateLedger(ctx: MoneyContext, ledger: RowBuffer): void {
  const { rng, nowMs } = ctx;
  const midnight = zonedMidnightFactory(ctx.timeZone);
  const unit = ctx.deals * 100;
  const first = new Date(ctx.startMs);
  const add = (kind: 'COST' | 'BENEFIT', category: string, date: number, units: number, note: string | null): void => {
    ledger.push([kind, category, date, Math.max(1, Math.round(rng.logNormal(units * unit, 0.1))), note]);
  };
  for (let month = 0; ; month++) {
    const date = midnight(first.getUTCFullYear(), first.getUTCMonth() + month, 1);
    if (date >= nowMs) break;
    if (month % 12 === 0) add('COST', 'purchase', date, 8, 'Annual licence');
    if (month < 3) add('COST', 'implementation', date, 6, 'Rollout and data migration');
    if (month < 6) add('COST', 'training', date, 1.5, 'Onboarding training');
    else if (month % 3 === 0) add('COST', 'training', date, 0.8, 'Refresher training');
    add('COST', 'operations', date, 1.2, null);
    if (month >= 3) {
      const ramp = Math.min(1, (month - 2) / 9);
      add('BENEFIT', 'sales_uplift', date, 3.5 * ramp, null);
      add('BENEFIT', 'satisfaction', date, 0.8 * ramp, null);
      add('BENEFIT', 'cost_savings', date, 1.2 * ramp, null);
      add('BENEFIT', 'better_decisions', date, 0.6 * ramp, null);
    }
  }
}
