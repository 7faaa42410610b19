import { describe, expect, it } from 'vitest';
import type { Measure } from '../../src/kpi/measures.js';
import { customers } from '../../src/kpi/sdk.js';
import type { GroupSpec } from '../../src/kpi/sql/compile.js';
import { chooseRollup } from '../../src/kpi/sql/rollup-compile.js';

/** January 2025 in UTC: whole days of the zone, so only the measures decide. */
const january = [{ start: new Date('2025-01-01T00:00:00Z'), end: new Date('2025-02-01T00:00:00Z') }];
const created: GroupSpec = { source: 'customers', timing: { kind: 'range', field: 'createdAt' }, filter: {}, groupBy: null };
const choose = (measures: Measure[], spec: GroupSpec = created) => chooseRollup(7, spec, measures, january, 'UTC');

describe('the customer rollup choice', () => {
  it('sums the count of converted customers for "convertedAt is set", and of campaign customers for "campaign is set"', () => {
    const choice = choose([customers.count({ time: 'createdAt' }), customers.count({ time: 'createdAt', where: { convertedAt: { set: true } } })]);
    expect(choice.path).toBe('rollup');
    if (choice.path !== 'rollup') return;
    expect(choice.statement.sql).toContain('sum(r."customers") AS m0');
    expect(choice.statement.sql).toContain('sum(r."converted") AS m1');
    const campaign = choose([customers.count({ time: 'createdAt', where: { campaign: 'set' } })]);
    expect(campaign.path === 'rollup' && campaign.statement.sql).toContain('sum(r."fromCampaign") AS m0');
  });

  it('reads the active customers at the period’s end as converted minus no-longer-active rows', () => {
    const spec: GroupSpec = { ...created, timing: { kind: 'snapshot', from: 'convertedAt', until: 'churnedAt' }, groupBy: 'team' };
    const choice = choose([customers.snapshotCount({ at: 'end', from: 'convertedAt', until: 'churnedAt' })], spec);
    expect(choice.path).toBe('rollup');
    expect(choice.path === 'rollup' && choice.statement.sql).toContain('r."kind" IN (2, 4)');
  });

  it('reads the rows, and says why, for what the counts beside the total cannot give', () => {
    const reasons = [
      choose([customers.count({ time: 'createdAt', where: { convertedAt: { set: false } } })]),
      choose([customers.count({ time: 'createdAt', where: { convertedAt: { set: true }, campaign: 'set' } })]),
      choose([customers.count({ time: 'createdAt', where: { convertedAt: { before: 'end' } } })]),
      choose([customers.count({ time: 'createdAt', where: { channel: 'referral' } })]),
      choose([customers.distinctCount({ field: 'ownerId', time: 'createdAt' })]),
      choose([customers.count({ time: 'createdAt' })], { ...created, groupBy: 'owner' }),
    ].map((choice) => choice.reason);
    expect(reasons).toEqual([
      'the rollup keeps convertedAt only as the count of rows where it is set',
      'the rollup counts the rows with convertedAt or campaign set, not with both',
      'the rollup keeps convertedAt only as the count of rows where it is set',
      'the rollup does not keep the condition field channel',
      'a distinct count cannot be summed from daily rows',
      'the rollup does not keep the dimension owner',
    ]);
  });
});
