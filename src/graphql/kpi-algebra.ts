import { z } from 'zod';
import type { KpiGroupPart } from '../kpi/kpi-value.js';
import { maxRollingBuckets } from '../kpi/windows.js';
import type { KpiResult } from '../kpi/types.js';
import { builder } from './builder.js';
import { DimensionEnum } from './kpi-inputs.js';
import { NullReasonRef } from './kpi-value.js';

export const SeriesWindowInputRef = builder.inputType('SeriesWindow', {
  description:
    'What each point of a series covers instead of its own bucket: the KPI over the window, from its measures (a moving sum for counts and money; for rates the ratio of the window’s numerators and denominators; means and percentiles over the window’s rows). Give one of rolling and cumulative.',
  fields: (t) => ({
    rolling: t.int({
      required: false,
      description: `The last N buckets, this one included (calendar units of the grain; the first points reach back before the range). 1–${maxRollingBuckets}.`,
      validate: z.number().int().min(1, 'must be at least 1').max(maxRollingBuckets, `must be at most ${maxRollingBuckets}`),
    }),
    cumulative: t.boolean({ required: false, description: 'From the range’s start to the end of this bucket: a running total, or the to-date value of a rate.' }),
  }),
});

export const compareToPeriodDescription =
  'Compare with this period instead of a relative one (give compareTo or this, not both); `previous` then covers it, with change and relative change.';

/** One dimension's part of a breakdown group's key; `key` is what clients filter by (see groupKeyArg in kpi.ts). */
export const makeGroupPartRef = (keyArg: (part: KpiGroupPart) => string | null) =>
  builder.objectRef<KpiGroupPart>('KpiGroupPart').implement({
    description: 'One dimension’s value of a breakdown group keyed by two dimensions.',
    fields: (t) => ({
      dimension: t.field({ type: DimensionEnum, description: 'The dimension.', resolve: (p) => p.dimension }),
      key: t.string({ nullable: true, description: 'The dimension’s value (a global ID for team, owner, campaign); null for records without one.', resolve: keyArg }),
      label: t.exposeString('label', { description: 'A readable label: a team’s, owner’s or campaign’s name, or the value itself.' }),
    }),
  });

/** A share of a total, or none with a reason. */
export const KpiShareRef = builder.objectRef<KpiResult>('KpiShare').implement({
  description: 'A part of a total, as a fraction (0.25 is a quarter).',
  fields: (t) => ({
    value: t.float({ nullable: true, description: 'The share as a fraction.', resolve: (s) => s.value?.toNumber() ?? null }),
    exact: t.string({ nullable: true, description: 'The exact decimal share.', resolve: (s) => s.value?.toFixed() ?? null }),
    total: t.string({ nullable: true, description: 'The exact total it is a share of.', resolve: (s) => s.denominator?.toFixed() ?? null }),
    reason: t.field({ type: NullReasonRef, nullable: true, description: 'Why value is null.', resolve: (s) => s.reason ?? null }),
  }),
});
