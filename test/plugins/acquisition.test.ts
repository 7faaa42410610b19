import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import cac from '../../plugins/cac.js';
import callsPerLead from '../../plugins/calls-per-lead.js';
import campaignNewCustomers from '../../plugins/campaign-new-customers.js';
import campaignRevenue from '../../plugins/campaign-revenue.js';
import leadConversionRate from '../../plugins/lead-conversion-rate.js';
import newCustomers from '../../plugins/new-customers.js';
import newLeads from '../../plugins/new-leads.js';
import referrals from '../../plugins/referrals.js';
import validLeads from '../../plugins/valid-leads.js';
import { createTestDatabase } from '../support/database.js';
import { evaluator, expectNull, expectValue, month, single } from './helpers.js';

/*
 * One small market, worked by hand. Periods are UTC months; March 2024 is
 * [2024-03-01, 2024-04-01).
 *
 * Teams: North (Ann), South (Bob). Campaign: Spring.
 *
 * customer  owner region channel     createdAt              qualifiedAt            convertedAt            campaign
 * c1        Ann   DE     search      03-05                  03-10                  03-20                  —
 * c2        Ann   FR     referral    03-01T00:00 (= start)  04-01T00:00 (= end)    04-15                  Spring
 * c3        Bob   DE     referral    03-31T23:59:59.999     —                      —                      —
 * c4        Bob   DE     social_ads  02-10                  03-02                  03-15                  Spring
 * c5        Bob   FR     search      04-01T00:00 (= end)    —                      04-01T00:00            —
 * c6        Ann   DE     search      03-12                  —                      —                      —
 *
 * spend     category  channel     campaign date               amount
 * s1        MARKETING search      —        03-01              1000.10
 * s2        SALES     social_ads  Spring   03-31              499.95
 * s3        MARKETING social_ads  —        04-01T00:00 (end)  300.00
 * s4        MARKETING search      —        02-10              250.00
 *
 * activities (all CALL unless said): a1 Ann→c1 03-02, a2 Ann→c1 03-03,
 * a3 Bob→c3 03-04, a4 EMAIL Ann→c6 03-05, a5 Bob→c6 04-01T00:00 (end),
 * a6 Ann→c3 03-31T23:00.
 *
 * deals     customer stage amount  closedAt           campaign
 * d1        c1       WON   0.10    03-20              Spring
 * d2        c4       WON   0.20    03-15              Spring
 * d3        c4       WON   500.00  03-16              —
 * d4        c2       WON   100.00  04-01T00:00 (end)  Spring
 * d5        c1       LOST  999.00  03-10              Spring
 */
const at = (iso: string): string => `2024-${iso}${iso.includes('T') ? 'Z' : 'T12:00:00Z'}`;

let db: Database;
let fx: Fixture;
const evaluate = evaluator(() => db, () => fx);
const march = month(2024, 3);
const april = month(2024, 4);
const february = month(2024, 2);
const january = month(2024, 1);

beforeAll(async () => {
  db = await createTestDatabase();
  fx = await createFixture(db, {
    users: [
      { name: 'Ann', team: 'North' },
      { name: 'Bob', team: 'South' },
    ],
    campaigns: [{ name: 'Spring' }],
    customers: [
      { name: 'c1', owner: 'Ann', region: 'DE', channel: 'search', createdAt: at('03-05'), qualifiedAt: at('03-10'), convertedAt: at('03-20') },
      { name: 'c2', owner: 'Ann', region: 'FR', channel: 'referral', createdAt: at('03-01T00:00:00'), qualifiedAt: at('04-01T00:00:00'), convertedAt: at('04-15'), campaign: 'Spring' },
      { name: 'c3', owner: 'Bob', region: 'DE', channel: 'referral', createdAt: at('03-31T23:59:59.999') },
      { name: 'c4', owner: 'Bob', region: 'DE', channel: 'social_ads', createdAt: at('02-10'), qualifiedAt: at('03-02'), convertedAt: at('03-15'), campaign: 'Spring' },
      { name: 'c5', owner: 'Bob', region: 'FR', channel: 'search', createdAt: at('04-01T00:00:00'), convertedAt: at('04-01T00:00:00') },
      { name: 'c6', owner: 'Ann', region: 'DE', channel: 'search', createdAt: at('03-12') },
    ],
    spend: [
      { category: 'MARKETING', channel: 'search', date: at('03-01T00:00:00'), amount: '1000.10' },
      { category: 'SALES', channel: 'social_ads', campaign: 'Spring', date: at('03-31T00:00:00'), amount: '499.95' },
      { category: 'MARKETING', channel: 'social_ads', date: at('04-01T00:00:00'), amount: '300.00' },
      { category: 'MARKETING', channel: 'search', date: at('02-10T00:00:00'), amount: '250.00' },
    ],
    activities: [
      { type: 'CALL', user: 'Ann', customer: 'c1', at: at('03-02') },
      { type: 'CALL', user: 'Ann', customer: 'c1', at: at('03-03') },
      { type: 'CALL', user: 'Bob', customer: 'c3', at: at('03-04') },
      { type: 'EMAIL', user: 'Ann', customer: 'c6', at: at('03-05') },
      { type: 'CALL', user: 'Bob', customer: 'c6', at: at('04-01T00:00:00') },
      { type: 'CALL', user: 'Ann', customer: 'c3', at: at('03-31T23:00:00') },
    ],
    deals: [
      { name: 'd1', customer: 'c1', stage: 'WON', amount: '0.10', closedAt: at('03-20'), campaign: 'Spring' },
      { name: 'd2', customer: 'c4', stage: 'WON', amount: '0.20', closedAt: at('03-15'), campaign: 'Spring' },
      { name: 'd3', customer: 'c4', stage: 'WON', amount: '500.00', closedAt: at('03-16') },
      { name: 'd4', customer: 'c2', stage: 'WON', amount: '100.00', closedAt: at('04-01T00:00:00'), campaign: 'Spring' },
      { name: 'd5', customer: 'c1', stage: 'LOST', amount: '999.00', closedAt: at('03-10'), campaign: 'Spring' },
    ],
  });
});

afterAll(async () => {
  await db?.close();
});

describe('new_leads', () => {
  it('counts customers created in the period, the start included and the end excluded', async () => {
    // March: c1, c2 (exactly at start), c3 (a millisecond before the end), c6 = 4;
    // c4 was created in February, c5 exactly at the end (April).
    expectValue(single(await evaluate(newLeads, march)), 4);
    // April: c5 only.
    expectValue(single(await evaluate(newLeads, april)), 1);
  });

  it('is 0, not null, in an empty period', async () => {
    expectValue(single(await evaluate(newLeads, january)), 0);
  });

  it('filters by region and breaks down by team', async () => {
    // DE created in March: c1, c3, c6 = 3 (c2 is FR).
    expectValue(single(await evaluate(newLeads, march, { filter: { region: ['DE'] } })), 3);
    // North (Ann): c1, c2, c6 = 3; South (Bob): c3 = 1.
    const byTeam = await evaluate(newLeads, march, { groupBy: 'team' });
    expectValue(byTeam.get(String(fx.ids.teams['North'])), 3);
    expectValue(byTeam.get(String(fx.ids.teams['South'])), 1);
  });
});

describe('valid_leads', () => {
  it('counts customers qualified in the period; qualified exactly at the end is next period', async () => {
    // March: c4 (03-02), c1 (03-10) = 2; c2 qualified at 04-01T00:00 counts in April.
    expectValue(single(await evaluate(validLeads, march)), 2);
    expectValue(single(await evaluate(validLeads, april)), 1);
    expectValue(single(await evaluate(validLeads, january)), 0);
  });

  it('declares a monthly target of 100', () => {
    expect(validLeads.target).toEqual({ default: 100, per: 'month' });
  });
});

describe('new_customers', () => {
  it('counts customers converted in the period', async () => {
    // March: c4 (03-15), c1 (03-20) = 2. April: c5 (04-01T00:00, exactly at the start), c2 (04-15) = 2.
    expectValue(single(await evaluate(newCustomers, march)), 2);
    expectValue(single(await evaluate(newCustomers, april)), 2);
    expectValue(single(await evaluate(newCustomers, february)), 0);
  });
});

describe('lead_conversion_rate', () => {
  it('is the share of the period\'s new leads that converted, whenever they did', async () => {
    // Created in March: c1, c2, c3, c6 = 4. Converted: c1 (March) and c2
    // (April: the cohort view counts it) = 2. 2 / 4 = 0.5.
    const result = single(await evaluate(leadConversionRate, march));
    expectValue(result, '0.5');
    expect(result.numerator?.toNumber()).toBe(2);
    expect(result.denominator?.toNumber()).toBe(4);
  });

  it('filters by channel', async () => {
    // referral created in March: c2, c3; converted: c2. 1 / 2.
    expectValue(single(await evaluate(leadConversionRate, march, { filter: { channel: ['referral'] } })), '0.5');
    // search created in March: c1, c6; converted: c1. 1 / 2 too.
    expectValue(single(await evaluate(leadConversionRate, march, { filter: { channel: ['search'] } })), '0.5');
    // social_ads: none created in March (c4 was created in February).
    expectNull(single(await evaluate(leadConversionRate, march, { filter: { channel: ['social_ads'] } })));
  });

  it('has no value when no lead was created', async () => {
    expectNull(single(await evaluate(leadConversionRate, january)));
  });

  it('declares a target of 20 %', () => {
    expect(leadConversionRate.target).toEqual({ default: 0.2 });
  });
});

describe('cac', () => {
  it('divides marketing and sales spend by new customers, in exact decimals', async () => {
    // March spend: s1 1000.10 + s2 499.95 = 1500.05 (s3 is at the end: April).
    // New customers: c4, c1 = 2. 1500.05 / 2 = 750.025.
    expectValue(single(await evaluate(cac, march)), '750.025');
    // April: s3 300.00 / (c5, c2) 2 = 150.
    expectValue(single(await evaluate(cac, april)), '150');
  });

  it('has no value when nobody converted, even with spend', async () => {
    // February: s4 250.00 spent, no conversion.
    const result = single(await evaluate(cac, february));
    expectNull(result);
    expect(result.numerator?.toString()).toBe('250');
    expectNull(single(await evaluate(cac, january)));
  });

  it('filters and groups spend and customers by channel alike', async () => {
    // search: spend s1 1000.10; new customers c1 → 1000.10.
    expectValue(single(await evaluate(cac, march, { filter: { channel: ['search'] } })), '1000.1');
    // social_ads: spend s2 499.95; new customers c4 → 499.95.
    const byChannel = await evaluate(cac, march, { groupBy: 'channel' });
    expectValue(byChannel.get('search'), '1000.1');
    expectValue(byChannel.get('social_ads'), '499.95');
  });

  it('filters by campaign', async () => {
    // Spring: spend s2 499.95; new customers with campaign Spring in March: c4 → 499.95.
    expectValue(single(await evaluate(cac, march, { filter: { campaign: [String(fx.ids.campaigns['Spring'])] } })), '499.95');
  });

  it('supports only the dimensions spend has', async () => {
    expect([...cac.dimensions].sort()).toEqual(['campaign', 'channel']);
    await expect(evaluate(cac, march, { filter: { team: [String(fx.ids.teams['North'])] } })).rejects.toThrow(/cannot be filtered by team/);
  });
});

describe('calls_per_lead', () => {
  it('divides calls by the distinct leads they reached', async () => {
    // March calls: a1, a2 (c1), a3 (c3), a6 (c3) = 4; a4 is an email, a5 is at
    // the end. Distinct leads: c1, c3 = 2. 4 / 2 = 2.
    expectValue(single(await evaluate(callsPerLead, march)), 2);
    // April: a5 → 1 / 1.
    expectValue(single(await evaluate(callsPerLead, april)), 1);
    expectNull(single(await evaluate(callsPerLead, january)));
  });

  it('groups by the acting user\'s team', async () => {
    // North (Ann): a1, a2, a6 = 3 calls over c1, c3 = 1.5. South (Bob): a3 = 1 over c3 = 1.
    const byTeam = await evaluate(callsPerLead, march, { groupBy: 'team' });
    expectValue(byTeam.get(String(fx.ids.teams['North'])), '1.5');
    expectValue(byTeam.get(String(fx.ids.teams['South'])), 1);
  });
});

describe('referrals', () => {
  it('counts leads created in the period with the referral channel', async () => {
    // March: c2, c3 = 2. April: c5 is search = 0.
    expectValue(single(await evaluate(referrals, march)), 2);
    expectValue(single(await evaluate(referrals, april)), 0);
    // DE: c3 only.
    expectValue(single(await evaluate(referrals, march, { filter: { region: ['DE'] } })), 1);
  });
});

describe('campaign_revenue', () => {
  it('sums won deals with a campaign, exactly: 0.10 + 0.20 = 0.30', async () => {
    // March won with a campaign: d1 0.10 + d2 0.20 = 0.30; d3 has no campaign,
    // d5 was lost, d4 closed at the end (April).
    expectValue(single(await evaluate(campaignRevenue, march)), '0.3');
    expectValue(single(await evaluate(campaignRevenue, april)), '100');
    expectValue(single(await evaluate(campaignRevenue, january)), 0);
  });

  it('filters by the customer\'s region and groups by campaign', async () => {
    // d1 (c1) and d2 (c4) are both DE: 0.30; FR in March: none.
    expectValue(single(await evaluate(campaignRevenue, march, { filter: { region: ['DE'] } })), '0.3');
    expectValue(single(await evaluate(campaignRevenue, march, { filter: { region: ['FR'] } })), 0);
    const byCampaign = await evaluate(campaignRevenue, march, { groupBy: 'campaign' });
    expectValue(byCampaign.get(String(fx.ids.campaigns['Spring'])), '0.3');
  });
});

describe('campaign_new_customers', () => {
  it('counts new customers that carry a campaign', async () => {
    // March converted: c1 (none), c4 (Spring) → 1. April: c2 (Spring), c5 (none) → 1.
    expectValue(single(await evaluate(campaignNewCustomers, march)), 1);
    expectValue(single(await evaluate(campaignNewCustomers, april)), 1);
    expectValue(single(await evaluate(campaignNewCustomers, february)), 0);
  });
});
