import { z } from 'zod';
import type { KpiCellKey } from '../kpi/cell.js';
import type { ComparisonKind, Grain, NamedPeriod, PeriodInput, ResolvedPeriod } from '../kpi/periods.js';
import { resolvePeriod } from '../kpi/periods.js';
import type { Dimension, DimensionFilter } from '../kpi/types.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { DealStageEnum, DealTypeEnum } from './enums.js';
import { inZone } from './calendar-date.js';
import { badUserInput } from './errors.js';
import type { GlobalId } from './ids.js';
import { rowId } from './ids.js';

export const NamedPeriodEnum = builder.enumType('NamedPeriod', {
  description: 'A period relative to now, in the workspace’s time zone.',
  values: {
    TODAY: { value: 'today' },
    YESTERDAY: { value: 'yesterday' },
    THIS_WEEK: { value: 'thisWeek', description: 'The ISO week (Monday to Sunday) so far and to come.' },
    LAST_WEEK: { value: 'lastWeek' },
    THIS_MONTH: { value: 'thisMonth' },
    LAST_MONTH: { value: 'lastMonth' },
    THIS_QUARTER: { value: 'thisQuarter' },
    LAST_QUARTER: { value: 'lastQuarter' },
    THIS_YEAR: { value: 'thisYear' },
    LAST_YEAR: { value: 'lastYear' },
    YEAR_TO_DATE: { value: 'yearToDate' },
    QUARTER_TO_DATE: { value: 'quarterToDate' },
    MONTH_TO_DATE: { value: 'monthToDate' },
  } as const,
});

export const GrainEnum = builder.enumType('Grain', {
  values: { DAY: { value: 'day' }, WEEK: { value: 'week' }, MONTH: { value: 'month' }, QUARTER: { value: 'quarter' }, YEAR: { value: 'year' } } as const,
});

export const ComparisonEnum = builder.enumType('Comparison', {
  values: {
    PREVIOUS_PERIOD: { value: 'previousPeriod', description: 'The period just before (the previous calendar unit for whole months, quarters, years).' },
    YEAR_AGO: { value: 'yearAgo', description: 'The same period a year earlier.' },
  } as const,
});

export const LifecycleStageEnum = builder.enumType('LifecycleStage', {
  description: 'The stage of a business in a market: launch weighs acquisition, growth conversion, mature loyalty and value.',
  values: { LAUNCH: { value: 'launch' }, GROWTH: { value: 'growth' }, MATURE: { value: 'mature' } } as const,
});

const dimensionValues = {
  TEAM: { value: 'team' },
  OWNER: { value: 'owner' },
  CHANNEL: { value: 'channel' },
  REGION: { value: 'region' },
  PRODUCT_LINE: { value: 'productLine' },
  INDUSTRY: { value: 'industry' },
  DEAL_TYPE: { value: 'dealType' },
  CAMPAIGN: { value: 'campaign' },
  STAGE: { value: 'stage' },
  RFM_SEGMENT: { value: 'rfmSegment' },
} as const;

export const DimensionEnum = builder.enumType('KpiDimension', { values: dimensionValues });

export const PeriodInputRef = builder.inputType('PeriodInput', {
  description: 'Exactly one of: named; start and end (end exclusive); trailingDays.',
  fields: (t) => ({
    named: t.field({ type: NamedPeriodEnum, required: false }),
    start: t.field({ type: 'DateTime', required: false }),
    end: t.field({ type: 'DateTime', required: false, description: 'Exclusive.' }),
    trailingDays: t.int({
      required: false,
      description: 'The last N days, today included (1–36600; the maximum range applies too).',
      validate: z.number().int().min(1, 'must be at least 1').max(36_600, 'must be at most 36600 (100 years)'),
    }),
  }),
});

export const KpiFilterInputRef = builder.inputType('KpiFilter', {
  description: 'Keeps only records matching every listed dimension (any of its values).',
  fields: (t) => ({
    team: t.globalIDList({ required: false }),
    owner: t.globalIDList({ required: false }),
    campaign: t.globalIDList({ required: false }),
    channel: t.stringList({ required: false }),
    region: t.stringList({ required: false }),
    productLine: t.stringList({ required: false }),
    industry: t.stringList({ required: false }),
    dealType: t.field({ type: [DealTypeEnum], required: false }),
    stage: t.field({ type: [DealStageEnum], required: false }),
    rfmSegment: t.stringList({ required: false }),
  }),
});

export interface PeriodArg {
  named?: NamedPeriod | null;
  start?: Date | null;
  end?: Date | null;
  trailingDays?: number | null;
}

export interface FilterArg {
  team?: GlobalId[] | null;
  owner?: GlobalId[] | null;
  campaign?: GlobalId[] | null;
  channel?: string[] | null;
  region?: string[] | null;
  productLine?: string[] | null;
  industry?: string[] | null;
  dealType?: string[] | null;
  stage?: string[] | null;
  rfmSegment?: string[] | null;
}

/** The period asked for, resolved in the workspace's zone; BAD_USER_INPUT unless exactly one form is given (KpiInputError for an impossible one). */
export function periodFromArg(arg: PeriodArg, ctx: GraphQLContext, field = 'period'): ResolvedPeriod {
  const forms = [arg.named != null, arg.start != null || arg.end != null, arg.trailingDays != null].filter(Boolean).length;
  if (forms !== 1) throw badUserInput({ field, message: 'give exactly one of named, start and end, or trailingDays.' });
  let input: PeriodInput;
  if (arg.named != null) input = { named: arg.named };
  else if (arg.trailingDays != null) input = { trailingDays: arg.trailingDays };
  else {
    if (!arg.start || !arg.end) throw badUserInput({ field, message: 'give both start and end (end is exclusive).' });
    input = { range: { start: inZone(arg.start, ctx.workspace.timeZone), end: inZone(arg.end, ctx.workspace.timeZone) } };
  }
  return resolvePeriod(input, {
    timeZone: ctx.workspace.timeZone,
    // A range is absolute: reading the clock for it would keep its answer out of the response cache.
    ...('range' in input ? {} : { now: ctx.clock.now() }),
    maxRangeDays: ctx.config.KPI_MAX_RANGE_DAYS,
    maxBuckets: ctx.config.KPI_MAX_BUCKETS,
  });
}

const idTypes = { team: 'Team', owner: 'User', campaign: 'Campaign' } as const;

/** The engine's filter: row IDs as strings for team, owner and campaign. */
export function filterFromArg(arg: FilterArg | null | undefined): DimensionFilter {
  const filter: DimensionFilter = {};
  if (!arg) return filter;
  for (const [dimension, values] of Object.entries(arg) as [Dimension, unknown[] | null | undefined][]) {
    if (!values) continue;
    if (dimension in idTypes) {
      const typename = idTypes[dimension as keyof typeof idTypes];
      filter[dimension] = (values as GlobalId[]).map((id, index) => String(rowId(id, typename, `filter.${dimension}[${index}]`)));
    } else {
      filter[dimension] = values as string[];
    }
  }
  return filter;
}

export type { ComparisonKind, Grain, KpiCellKey };
