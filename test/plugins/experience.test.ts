import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import complaintRate from '../../plugins/complaint-rate.js';
import complaintResolutionRate from '../../plugins/complaint-resolution-rate.js';
import csat from '../../plugins/csat.js';
import firstResponseHours from '../../plugins/first-response-hours.js';
import nps from '../../plugins/nps.js';
import { createTestDatabase } from '../support/database.js';
import { evaluator, expectNull, expectRounded, expectValue, month, single } from './helpers.js';

/*
 * March 2024 = [03-01, 04-01). Teams: North (Ann), South (Bob).
 *
 * customer owner region convertedAt   churnedAt   active at 04-01  at 05-01
 * e1       Ann   DE     2023-01-01    —           yes              yes
 * e2       Bob   FR     2023-01-01    —           yes              yes
 * e3       Bob   DE     03-31         —           yes              yes
 * e4       Ann   DE     2023-01-01    03-15       no               no
 * e5       Bob   FR     2023-01-01    —           yes              yes
 *
 * NPS answers in March: e1 10, e1 9, e2 9 (promoters 3); e2 8, e3 7 (passives);
 * e1 6 (a detractor), e2 0 at 03-01T00:00 (the start: in March) → detractors 2.
 * e4 3 at 04-01T00:00 (the end: April). 7 answers in March.
 *
 * CSAT answers in March: e1 5, e2 4 (satisfied), e3 3 (not), e1 1, e4 4 → 3 of 5.
 *
 * ticket kind       customer opened            first response      resolved
 * t1     COMPLAINT  e1       03-05T08:00       03-05T10:30 (2.5 h) 03-06
 * t2     COMPLAINT  e2       03-10T00:00       03-11T00:00 (24 h)  04-01T00:00 (at the end: not by it)
 * t3     REQUEST    e3       03-20T12:00       03-20T12:30 (0.5 h) —
 * t4     COMPLAINT  e1       03-31T22:00       —                   —
 * t5     COMPLAINT  e2       04-01T00:00       04-01T01:00 (1 h)   04-02
 * t6     INCIDENT   e4       03-01T00:00       03-01T03:00 (3 h)   03-02
 * t7     REQUEST    e1       03-15T00:00       —                   03-16 (closed with no reply)
 */
const at = (iso: string): string => (iso.startsWith('20') ? iso : `2024-${iso}${iso.includes('T') ? 'Z' : 'T12:00:00Z'}`);

let db: Database;
let fx: Fixture;
const evaluate = evaluator(() => db, () => fx);
const january = month(2024, 1);
const march = month(2024, 3);
const april = month(2024, 4);
const december2022 = month(2022, 12);

beforeAll(async () => {
  db = await createTestDatabase();
  const longCustomer = '2023-01-01T00:00:00Z';
  fx = await createFixture(db, {
    users: [
      { name: 'Ann', team: 'North' },
      { name: 'Bob', team: 'South' },
    ],
    customers: [
      { name: 'e1', owner: 'Ann', region: 'DE', convertedAt: longCustomer },
      { name: 'e2', owner: 'Bob', region: 'FR', convertedAt: longCustomer },
      { name: 'e3', owner: 'Bob', region: 'DE', convertedAt: at('03-31') },
      { name: 'e4', owner: 'Ann', region: 'DE', convertedAt: longCustomer, churnedAt: at('03-15') },
      { name: 'e5', owner: 'Bob', region: 'FR', convertedAt: longCustomer },
    ],
    surveyResponses: [
      { customer: 'e1', kind: 'NPS', score: 10, answeredAt: at('03-02') },
      { customer: 'e1', kind: 'NPS', score: 9, answeredAt: at('03-03') },
      { customer: 'e2', kind: 'NPS', score: 9, answeredAt: at('03-04') },
      { customer: 'e2', kind: 'NPS', score: 8, answeredAt: at('03-05') },
      { customer: 'e3', kind: 'NPS', score: 7, answeredAt: at('03-31T23:59:59.999') },
      { customer: 'e1', kind: 'NPS', score: 6, answeredAt: at('03-06') },
      { customer: 'e2', kind: 'NPS', score: 0, answeredAt: at('03-01T00:00:00') },
      { customer: 'e4', kind: 'NPS', score: 3, answeredAt: at('04-01T00:00:00') },
      { customer: 'e1', kind: 'CSAT', score: 5, answeredAt: at('03-07') },
      { customer: 'e2', kind: 'CSAT', score: 4, answeredAt: at('03-08') },
      { customer: 'e3', kind: 'CSAT', score: 3, answeredAt: at('03-31') },
      { customer: 'e1', kind: 'CSAT', score: 1, answeredAt: at('03-09') },
      { customer: 'e4', kind: 'CSAT', score: 4, answeredAt: at('03-10') },
    ],
    tickets: [
      { customer: 'e1', kind: 'COMPLAINT', openedAt: at('03-05T08:00:00'), firstResponseAt: at('03-05T10:30:00'), resolvedAt: at('03-06') },
      { customer: 'e2', kind: 'COMPLAINT', openedAt: at('03-10T00:00:00'), firstResponseAt: at('03-11T00:00:00'), resolvedAt: at('04-01T00:00:00') },
      { customer: 'e3', kind: 'REQUEST', openedAt: at('03-20T12:00:00'), firstResponseAt: at('03-20T12:30:00') },
      { customer: 'e1', kind: 'COMPLAINT', openedAt: at('03-31T22:00:00') },
      { customer: 'e2', kind: 'COMPLAINT', openedAt: at('04-01T00:00:00'), firstResponseAt: at('04-01T01:00:00'), resolvedAt: at('04-02') },
      { customer: 'e4', kind: 'INCIDENT', openedAt: at('03-01T00:00:00'), firstResponseAt: at('03-01T03:00:00'), resolvedAt: at('03-02') },
      { customer: 'e1', kind: 'REQUEST', openedAt: at('03-15T00:00:00'), resolvedAt: at('03-16') },
    ],
  });
});

afterAll(async () => {
  await db?.close();
});

const north = (): string => String(fx.ids.teams['North']);
const south = (): string => String(fx.ids.teams['South']);

describe('nps', () => {
  it('is % promoters minus % detractors, with 6 a detractor and 7–8 passive', async () => {
    // (3 − 2) / 7 × 100 = 14.285714…
    const result = single(await evaluate(nps, march));
    expectRounded(result, '14.2857142857');
    expect(result.sampleSize).toBe(7);
  });

  it('reaches −100 when every answer is a detractor', async () => {
    // April: e4's 3 only → (0 − 1) / 1 × 100.
    expectValue(single(await evaluate(nps, april)), -100);
  });

  it('has no value without answers', async () => {
    expectNull(single(await evaluate(nps, january)));
  });

  it('filters by region and breaks down by team', async () => {
    // DE (e1, e3, e4): 10, 9, 6, 7 → (2 − 1) / 4 × 100 = 25.
    expectValue(single(await evaluate(nps, march, { filter: { region: ['DE'] } })), 25);
    // North (e1, e4): 10, 9, 6 → (2 − 1) / 3 × 100 = 33.33…; South (e2, e3): 9, 8, 0, 7 → (1 − 1) / 4 = 0.
    const byTeam = await evaluate(nps, march, { groupBy: 'team' });
    expectRounded(byTeam.get(north()), '33.3333333333');
    expectValue(byTeam.get(south()), 0);
  });

  it('declares a target of 30 on its −100…100 scale', () => {
    expect(nps.unit).toBe('score');
    expect(nps.target).toEqual({ default: 30 });
  });
});

describe('csat', () => {
  it('is the share answering 4 or 5, with 3 not satisfied', async () => {
    // 5, 4, 4 satisfied of 5, 4, 3, 1, 4 → 3 / 5.
    expectValue(single(await evaluate(csat, march)), '0.6');
    // DE (e1, e3, e4): 5, 3, 1, 4 → 2 / 4.
    expectValue(single(await evaluate(csat, march, { filter: { region: ['DE'] } })), '0.5');
    expectNull(single(await evaluate(csat, april)));
  });
});

describe('complaint_rate', () => {
  it('divides complaints opened in the period by actives at its end', async () => {
    // March complaints: t1, t2, t4 = 3 (t5 is at the end; t3 a request, t6 an incident).
    // Active at 04-01: e1, e2, e3, e5 = 4. 3 / 4.
    expectValue(single(await evaluate(complaintRate, march)), '0.75');
    // April: t5 = 1 over the same 4.
    expectValue(single(await evaluate(complaintRate, april)), '0.25');
    // January: no complaints over 4 actives (e1, e2, e4, e5) is 0, a value.
    expectValue(single(await evaluate(complaintRate, january)), 0);
  });

  it('has no value without active customers', async () => {
    // At 2023-01-01 nobody has converted yet (they convert exactly then).
    expectNull(single(await evaluate(complaintRate, december2022)));
  });

  it('breaks down by team', async () => {
    // North: complaints t1, t4 (e1) = 2; active e1 = 1 → 2. South: t2 (e2) = 1; active e2, e3, e5 = 3 → 1/3.
    const byTeam = await evaluate(complaintRate, march, { groupBy: 'team' });
    expectValue(byTeam.get(north()), 2);
    expectRounded(byTeam.get(south()), '0.3333333333');
  });
});

describe('first_response_hours', () => {
  it('averages exact hours to first response over answered tickets of any kind', async () => {
    // t1 2.5, t2 24, t3 0.5, t6 3 (opened exactly at the start) → 30 / 4 = 7.5; t4 and t7 (resolved) have no response.
    expectValue(single(await evaluate(firstResponseHours, march)), '7.5');
    expectValue(single(await evaluate(firstResponseHours, april)), 1);
    // DE (e1, e3, e4): t1 2.5, t3 0.5, t6 3 → 6 / 3 = 2; t7 left out.
    expectValue(single(await evaluate(firstResponseHours, march, { filter: { region: ['DE'] } })), 2);
  });

  it('has no value without answered tickets', async () => {
    expectNull(single(await evaluate(firstResponseHours, january)));
  });
});

describe('complaint_resolution_rate', () => {
  it('is the share of complaints opened in the period resolved before its end', async () => {
    // t1, t2, t4 opened; only t1 resolved before 04-01 (t2 exactly at it). 1 / 3.
    expectRounded(single(await evaluate(complaintResolutionRate, march)), '0.3333333333');
    // April: t5, resolved 04-02 → 1.
    expectValue(single(await evaluate(complaintResolutionRate, april)), 1);
    // FR in March: t2 → 0 / 1.
    expectValue(single(await evaluate(complaintResolutionRate, march, { filter: { region: ['FR'] } })), 0);
  });

  it('has no value without complaints', async () => {
    expectNull(single(await evaluate(complaintResolutionRate, january)));
  });
});
