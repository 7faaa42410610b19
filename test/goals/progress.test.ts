import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { ProgressInput } from '../../src/goals/progress.js';
import { computeProgress, elapsedFraction, isAdditive, measuredAt, targetAlreadyMet } from '../../src/goals/progress.js';
import { goalWarnings, targetProblems } from '../../src/goals/rules.js';
import { summarize } from '../../src/goals/scorecard.js';
import { seriesBuckets, seriesGrain } from '../../src/goals/series.js';

const d = (value: Decimal.Value) => new Decimal(value);
const year2025 = { start: new Date('2025-01-01T00:00:00Z'), end: new Date('2026-01-01T00:00:00Z') };
const run = (input: Partial<ProgressInput> & Pick<ProgressInput, 'target' | 'actual' | 'elapsed'>) =>
  computeProgress({ direction: 'higher', additive: true, atRiskMargin: 0.1, ...input });

describe('elapsed fraction and the measured instant', () => {
  it('is 90/365 on 1 April of a 365-day year (31 + 28 + 31 days)', () => {
    expect(elapsedFraction(year2025, new Date('2025-04-01T00:00:00Z')).toString()).toBe(d(90).div(365).toString());
  });
  it('is 0 before the start and 1 at or after the end; the instant never passes the end', () => {
    expect(elapsedFraction(year2025, new Date('2024-06-01T00:00:00Z')).toNumber()).toBe(0);
    expect(elapsedFraction(year2025, new Date('2027-01-01T00:00:00Z')).toNumber()).toBe(1);
    expect(measuredAt(year2025, new Date('2027-01-01T00:00:00Z'))).toEqual(year2025.end);
    expect(measuredAt(year2025, new Date('2025-03-01T00:00:00Z'))).toEqual(new Date('2025-03-01T00:00:00Z'));
  });
});

describe('additivity', () => {
  it('defaults from the unit: counts and money add up, rates and durations do not', () => {
    expect(isAdditive({ unit: 'count' })).toBe(true);
    expect(isAdditive({ unit: 'money' })).toBe(true);
    expect(isAdditive({ unit: 'percent' })).toBe(false);
    expect(isAdditive({ unit: 'days' })).toBe(false);
  });
  it('follows the definition when it says so (averages in money)', () => {
    expect(isAdditive({ unit: 'money', additive: false })).toBe(false);
  });
});

describe('additive, higher is better: revenue target 6000 for 2025', () => {
  it('on 1 April with 2000 earned: expected 6000 × 90/365 ≈ 1479.45, projected 2000 × 365/90 ≈ 8111.11 ≥ 6000 → ON_TRACK', () => {
    const p = run({ target: d(6000), actual: d(2000), elapsed: d(90).div(365) });
    expect(p.expected!.toFixed(2)).toBe('1479.45');
    expect(p.projected!.toFixed(2)).toBe('8111.11');
    expect(p.attainment!.toFixed(4)).toBe('0.3333');
    expect(p.status).toBe('ON_TRACK');
  });
  it('on 1 October with 3500: projected 3500 × 365/273 ≈ 4679.49 < 5400 (6000 − 10 %) → OFF_TRACK', () => {
    const p = run({ target: d(6000), actual: d(3500), elapsed: d(273).div(365) });
    expect(p.projected!.toFixed(2)).toBe('4679.49');
    expect(p.status).toBe('OFF_TRACK');
  });
  it('at half-time with 2800: projected 5600, between 5400 and 6000 → AT_RISK', () => {
    expect(run({ target: d(6000), actual: d(2800), elapsed: d(0.5) }).status).toBe('AT_RISK');
  });
  it('exactly at the edge 5400 is still AT_RISK; 5399.99 is OFF_TRACK', () => {
    expect(run({ target: d(6000), actual: d(2700), elapsed: d(0.5) }).status).toBe('AT_RISK');
    expect(run({ target: d(6000), actual: d('2699.995'), elapsed: d(0.5) }).status).toBe('OFF_TRACK');
  });
  it('reaching the target early is ACHIEVED (a total only grows)', () => {
    expect(run({ target: d(6000), actual: d(6000), elapsed: d(0.9) }).status).toBe('ACHIEVED');
  });
  it('after the end: ACHIEVED when met, MISSED otherwise, whatever the margin', () => {
    expect(run({ target: d(6000), actual: d(6000), elapsed: d(1) }).status).toBe('ACHIEVED');
    expect(run({ target: d(6000), actual: d(5999), elapsed: d(1) }).status).toBe('MISSED');
  });
  it('before the start: NOT_STARTED, expected 0, no projection', () => {
    const p = run({ target: d(6000), actual: null, elapsed: d(0) });
    expect(p.status).toBe('NOT_STARTED');
    expect(p.expected!.toNumber()).toBe(0);
    expect(p.projected).toBeNull();
  });
});

describe('rates and averages: the target holds all along, the projection is the current value', () => {
  it('churn 0.125 against a target of 0.15 (lower is better) → ON_TRACK, attainment 0.15 ÷ 0.125 = 1.2', () => {
    const p = run({ direction: 'lower', additive: false, target: d('0.15'), actual: d('0.125'), elapsed: d(0.66) });
    expect(p.expected!.toString()).toBe('0.15');
    expect(p.projected!.toString()).toBe('0.125');
    expect(p.attainment!.toString()).toBe('1.2');
    expect(p.status).toBe('ON_TRACK');
  });
  it('churn 0.1875: beyond 0.15 + 10 % × 0.15 = 0.165 → OFF_TRACK; 0.16 → AT_RISK', () => {
    expect(run({ direction: 'lower', additive: false, target: d('0.15'), actual: d('0.1875'), elapsed: d(0.9) }).status).toBe('OFF_TRACK');
    expect(run({ direction: 'lower', additive: false, target: d('0.15'), actual: d('0.16'), elapsed: d(0.9) }).status).toBe('AT_RISK');
  });
  it('a rate that meets its target mid-period is ON_TRACK, not ACHIEVED (it can fall again)', () => {
    expect(run({ additive: false, target: d('0.8'), actual: d('0.9'), elapsed: d(0.5) }).status).toBe('ON_TRACK');
  });
  it('retention 0.75 against 0.8: within 0.72 → AT_RISK, attainment 0.9375', () => {
    const p = run({ additive: false, target: d('0.8'), actual: d('0.75'), elapsed: d(0.5) });
    expect(p.status).toBe('AT_RISK');
    expect(p.attainment!.toString()).toBe('0.9375');
  });
  it('a negative target keeps the band on the worse side: NPS −10, margin 1 → −11 is AT_RISK', () => {
    expect(run({ additive: false, target: d(-10), actual: d(-11), elapsed: d(0.5) }).status).toBe('AT_RISK');
    expect(run({ additive: false, target: d(-10), actual: d(-12), elapsed: d(0.5) }).status).toBe('OFF_TRACK');
  });
  it('no value (zero denominator) is NO_DATA with no attainment', () => {
    const p = run({ additive: false, target: d('0.8'), actual: null, elapsed: d(0.5) });
    expect(p.status).toBe('NO_DATA');
    expect(p.attainment).toBeNull();
  });
  it('the margin is configurable: 0 leaves no at-risk band', () => {
    expect(run({ additive: false, target: d('0.8'), actual: d('0.79'), elapsed: d(0.5), atRiskMargin: 0 }).status).toBe('OFF_TRACK');
  });
});

describe('additive, lower is better', () => {
  it('projects by run-rate: 30 complaints at 40 % → 75 against a cap of 70 (band to 77) → AT_RISK; 80 → OFF_TRACK', () => {
    expect(run({ direction: 'lower', target: d(70), actual: d(30), elapsed: d(0.4) }).status).toBe('AT_RISK');
    expect(run({ direction: 'lower', target: d(70), actual: d(32), elapsed: d(0.4) }).status).toBe('OFF_TRACK');
  });
});

describe('rules and warnings', () => {
  const percent = { key: 'retention_rate', unit: 'percent', direction: 'higher' } as const;
  it('a percent target must be a fraction, and the message says how', () => {
    const [problem] = targetProblems(percent, d(80), null, null);
    expect(problem?.field).toBe('target');
    expect(problem?.message).toContain('0.8 means 80 %');
    expect(targetProblems(percent, d('0.8'), null, null)).toEqual([]);
  });
  it('a KPI’s own value range wins over the percent default: CRM ROI may aim at 200 % but not below −100 %', () => {
    const roi = { key: 'crm_roi', unit: 'percent', direction: 'higher', valueRange: { min: -1 } } as const;
    expect(targetProblems(roi, d(2), null, null)).toEqual([]);
    expect(targetProblems(roi, d('-1.5'), null, null)[0]?.message).toContain('-1 to ∞');
  });
  it('a stretch target lies beyond the target in the better direction', () => {
    expect(targetProblems(percent, d('0.8'), d('0.7'), null)[0]?.field).toBe('stretchTarget');
    expect(targetProblems({ key: 'cac', unit: 'money', direction: 'lower' }, d(80), d(90), null)[0]?.field).toBe('stretchTarget');
    expect(targetProblems({ key: 'cac', unit: 'money', direction: 'lower' }, d(80), d(70), null)).toEqual([]);
  });
  it('money must not be negative', () => {
    expect(targetProblems({ key: 'won_revenue', unit: 'money', direction: 'higher' }, d(-1), null, null)[0]?.field).toBe('target');
  });
  it('flags a target the baseline already meets, in the better direction only', () => {
    expect(targetAlreadyMet(d('0.2'), d('0.2'), 'lower')).toBe(true);
    expect(targetAlreadyMet(d('0.2'), d('0.15'), 'lower')).toBe(false);
    expect(goalWarnings(percent, d('0.8'), d('0.8'))[0]).toContain('already met');
    expect(goalWarnings(percent, d('0.8'), d('0.75'))).toEqual([]);
    expect(goalWarnings(percent, d('0.8'), null)[0]).toContain('No baseline');
  });
});

describe('scorecard summary', () => {
  it('averages attainments capped at 1.5, leaving out goals without one: (1.5 + 0.5) / 2 = 1', () => {
    const s = summarize([
      { status: 'ACHIEVED', attainment: d(3) },
      { status: 'OFF_TRACK', attainment: d('0.5') },
      { status: 'NO_DATA', attainment: null },
    ]);
    expect(s.attainment!.toString()).toBe('1');
    expect(s.scored).toBe(2);
    expect(s.total).toBe(3);
    expect(s.counts).toMatchObject({ ACHIEVED: 1, OFF_TRACK: 1, NO_DATA: 1, ON_TRACK: 0 });
  });
  it('has no attainment without goals', () => {
    expect(summarize([]).attainment).toBeNull();
  });
});

describe('series grain and buckets', () => {
  it('is day up to 31 days, week up to 120, month beyond', () => {
    const days = (n: number) => ({ start: year2025.start, end: new Date(year2025.start.getTime() + n * 86_400_000) });
    expect(seriesGrain(days(31))).toBe('day');
    expect(seriesGrain(days(32))).toBe('week');
    expect(seriesGrain(days(120))).toBe('week');
    expect(seriesGrain(days(121))).toBe('month');
  });
  it('stops at the measured instant, cutting its bucket', () => {
    const buckets = seriesBuckets(year2025, new Date('2025-03-15T00:00:00Z'), 'month', 'UTC', 400);
    expect(buckets).toHaveLength(3);
    expect(buckets[2]!.end.toISOString()).toBe('2025-03-15T00:00:00.000Z');
    expect(seriesBuckets(year2025, new Date('2024-03-15T00:00:00Z'), 'month', 'UTC', 400)).toEqual([]);
  });
});
