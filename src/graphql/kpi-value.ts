import type { Decimal } from 'decimal.js';
import type { KpiValue } from '../kpi/kpi-value.js';
import type { TargetStatus } from '../kpi/targets.js';
import { attainment, statusAgainstTarget } from '../kpi/targets.js';
import type { KpiResult, TimeRange } from '../kpi/types.js';
import { builder } from './builder.js';

/** A computed value with everything needed to show and explain it (the KPI query service's). */
export type KpiValueShape = KpiValue;

const toFloat = (value: Decimal | null | undefined): number | null => (value ? value.toNumber() : null);

const PeriodRef = builder.objectRef<TimeRange>('Period').implement({
  description: 'A half-open range of instants [start, end).',
  fields: (t) => ({
    start: t.field({ type: 'DateTime', resolve: (period) => period.start }),
    end: t.field({ type: 'DateTime', resolve: (period) => period.end, description: 'Exclusive.' }),
  }),
});

const NullReasonRef = builder.objectRef<NonNullable<KpiResult['reason']>>('NullReason').implement({
  description: 'Why a value is missing.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'ZERO_DENOMINATOR, NO_DATA, NOT_APPLICABLE, PLUGIN_ERROR or TIMEOUT.' }),
    message: t.exposeString('message'),
  }),
});

const TargetStatusEnum = builder.enumType('TargetStatus', {
  values: ['ON_TARGET', 'OFF_TARGET', 'NO_TARGET', 'NO_VALUE'] as const satisfies readonly TargetStatus[],
});

const ComparisonRef = builder.objectRef<{ current: KpiResult; period: TimeRange; result: KpiResult }>('KpiComparison').implement({
  description: 'The same KPI over the comparison period, and the change to the current value.',
  fields: (t) => ({
    period: t.field({ type: PeriodRef, resolve: (c) => c.period }),
    value: t.float({ nullable: true, resolve: (c) => toFloat(c.result.value) }),
    exact: t.string({ nullable: true, resolve: (c) => c.result.value?.toFixed() ?? null }),
    change: t.float({
      nullable: true,
      description: 'Current minus previous, in the KPI’s unit.',
      resolve: (c) => (c.current.value && c.result.value ? c.current.value.minus(c.result.value).toNumber() : null),
    }),
    relativeChange: t.float({
      nullable: true,
      description: '(current − previous) ÷ |previous|; null when previous is zero.',
      resolve: (c) =>
        c.current.value && c.result.value && !c.result.value.isZero()
          ? c.current.value.minus(c.result.value).div(c.result.value.abs()).toNumber()
          : null,
    }),
    reason: t.field({ type: NullReasonRef, nullable: true, resolve: (c) => c.result.reason ?? null }),
  }),
});

const KpiComponentRef = builder.objectRef<NonNullable<KpiResult['components']>[number]>('KpiComponentValue').implement({
  description: 'One KPI a derived KPI is computed from, and its value over the same period and group.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name the derived KPI’s formula gives this component.' }),
    kpiKey: t.exposeString('kpiKey', { description: 'The component’s KPI key.' }),
    value: t.float({ nullable: true, resolve: (c) => toFloat(c.result.value) }),
    exact: t.string({ nullable: true, description: 'The exact decimal value.', resolve: (c) => c.result.value?.toFixed() ?? null }),
    reason: t.field({ type: NullReasonRef, nullable: true, description: 'Why value is null.', resolve: (c) => c.result.reason ?? null }),
  }),
});

export const KpiValueRef = builder.objectRef<KpiValueShape>('KpiValue').implement({
  description: 'A KPI over a period: the value, its target, and the measures behind it.',
  fields: (t) => ({
    kpiKey: t.string({ resolve: (v) => v.definition.key }),
    unit: t.string({ resolve: (v) => v.definition.unit }),
    period: t.field({ type: PeriodRef, resolve: (v) => v.period }),
    value: t.float({ nullable: true, description: 'Rates as fractions (0.2 is 20 %); NPS −100…100.', resolve: (v) => toFloat(v.result.value) }),
    exact: t.string({ nullable: true, description: 'The exact decimal value, e.g. for money.', resolve: (v) => v.result.value?.toFixed() ?? null }),
    reason: t.field({ type: NullReasonRef, nullable: true, description: 'Why value is null.', resolve: (v) => v.result.reason ?? null }),
    target: t.float({ nullable: true, resolve: (v) => v.targetFloat }),
    attainment: t.float({
      nullable: true,
      description: 'Value against target, 1 = on target, above 1 = better (respects whether lower is better).',
      resolve: (v) => toFloat(attainment(v.result.value, v.target, v.definition.direction)),
    }),
    status: t.field({ type: TargetStatusEnum, resolve: (v) => statusAgainstTarget(v.result.value, v.target, v.definition.direction) }),
    numerator: t.string({ nullable: true, resolve: (v) => v.result.numerator?.toFixed() ?? null }),
    denominator: t.string({ nullable: true, resolve: (v) => v.result.denominator?.toFixed() ?? null }),
    sampleSize: t.int({ nullable: true, description: 'How many records the value stands on.', resolve: (v) => v.result.sampleSize ?? null }),
    components: t.field({
      type: [KpiComponentRef],
      nullable: true,
      description: 'For a KPI derived from other KPIs (by a plugin or a workspace formula): the value of each component; null for any other KPI.',
      resolve: (v) => (v.result.components ? [...v.result.components] : null),
    }),
    previous: t.field({
      type: ComparisonRef,
      nullable: true,
      description: 'Present when compareTo was given.',
      resolve: (v) => (v.previous ? { current: v.result, ...v.previous } : null),
    }),
  }),
});

export { NullReasonRef, PeriodRef };
