/**
 * The KPI query service: what the API, the goal service, the CLI and tests
 * ask of KPIs — a value, a breakdown, a series — with targets, comparisons,
 * complete groups and the caller's team scope. One instance per request: its
 * engine loader batches and remembers the request's cells, its member view
 * reads each dimension once.
 */
import { Decimal } from 'decimal.js';
import { TeamScopeError } from '../errors.js';
import type { KpiCellKey } from './cell.js';
import { validateCell } from './cell.js';
import { isCacheable } from './cache/serialize.js';
import type { CellValues, GroupKey, KpiDefinition } from './define.js';
import { ungrouped } from './define.js';
import { isAdditive } from './additive.js';
import { emptyGroupResult } from './empty-group.js';
import type { KpiExplanation } from './explain.js';
import { KpiInputError } from './errors.js';
import type { KpiGroupValue, KpiValue } from './kpi-value.js';
import { defaultTarget, valueWithTarget } from './kpi-value.js';
import type { Grain, ResolvedPeriod } from './periods.js';
import { bucketize, comparisonPeriod } from './periods.js';
import type { KpiRegistry } from './registry.js';
import type { CustomerRfm } from './rfm.js';
import type { RecordPage } from './drill-through.js';
import { numeratorMeasure } from './drill-through.js';
import { sourceDimensions } from './sql/data-model.js';
import { splitGroupKey } from './grouping.js';
import type { ComparedWith } from './series-points.js';
import { comparisonOf, seriesPointPeriods } from './series-points.js';
import type { ShareOfTotal } from './share-of-total.js';
import { shareOfTotal } from './share-of-total.js';
import { combineGroups, topGroups } from './top-groups.js';
import { checkWindowReach } from './windows.js';
import type { Dimension, KpiResult, LifecycleStage, TimeRange } from './types.js';

export type { KpiGroupValue, KpiValue } from './kpi-value.js';
export type { ComparedWith } from './series-points.js';

export type { BreakdownQuery, KpiPoint, KpiQuery, KpiQueryServiceOptions, RecordsQuery, SeriesQuery, ValueQuery } from './query-types.js';
import type { BreakdownQuery, KpiPoint, KpiQuery, KpiQueryServiceOptions, RecordsQuery, SeriesQuery, ValueQuery } from './query-types.js';

/** The key of the group that holds the rest of a breakdown cut by `first`. */
export const otherGroupKey: GroupKey = '(other)';

const noRecords: KpiResult = { value: null, reason: { code: 'NO_DATA', message: 'No records in this scope and period.' } };
const noGroupRecords: KpiResult = { value: null, reason: { code: 'NO_DATA', message: 'No records in this group and period.' } };

export class KpiQueryService {
  private readonly bucketsMemo = new Map<string, readonly TimeRange[]>();
  private transient = false;

  constructor(private readonly options: KpiQueryServiceOptions) {}

  get registry(): KpiRegistry {
    return this.options.registry;
  }

  /** The cells' values in the keys' order, within the team scope; rejects with the first cell's domain error. */
  async cells(keys: readonly KpiCellKey[]): Promise<CellValues[]> {
    const values = await this.options.engine.loadMany(keys.map((key) => this.scoped(key)));
    return values.map((value) => {
      if (value instanceof Error) throw value;
      if (!this.transient && !isCacheable(value)) this.transient = true;
      return value;
    });
  }

  /** Whether an answer this service gave depended on more than the data (a plugin's failure or time-out, an explanation), so must not be kept. */
  get gaveTransientValues(): boolean {
    return this.transient;
  }

  /** The plan and statements the cells would run, within the team scope; nothing is computed. */
  async explain(keys: readonly KpiCellKey[]): Promise<KpiExplanation> {
    if (!this.options.explain) throw new Error('This KPI query service was built without an explainer.');
    // An explanation tells which cells the caches hold: it describes more than the data.
    this.transient = true;
    return this.options.explain(keys.map((key) => this.scoped(key)));
  }

  /** The KPI over a period, with its target and, when asked, the comparison period's value. */
  async value(query: ValueQuery): Promise<KpiValue> {
    const { definition, period } = query;
    const previousPeriod = this.comparedPeriod(period, query);
    const base = { kpiKey: definition.key, filter: query.filter ?? {}, params: query.params ?? {}, groupBy: null };
    const [current, previous] = await this.cells([{ ...base, period }, ...(previousPeriod ? [{ ...base, period: previousPeriod }] : [])]);
    const value = valueWithTarget(definition, period, current?.get(ungrouped), this.target(definition, period, query.stage));
    if (previousPeriod && previous) {
      value.previous = { period: previousPeriod, result: valueWithTarget(definition, previousPeriod, previous.get(ungrouped), this.target(definition, previousPeriod)).result };
    }
    return value;
  }

  /**
   * One value per group of `by`: every member of an enumerable dimension
   * (group-directory.ts) within the filter and team scope, those without
   * records at what the KPI gives over none (0 for counts and sums, null
   * with a reason for rates), in key order; then ordered and cut by
   * `order` and `first`, the rest folded into `(other)`. With `thenBy`, the
   * pairs that have records. Each group's share of the total counts every
   * group, those folded into `(other)` included.
   */
  async breakdown(query: BreakdownQuery): Promise<KpiGroupValue[]> {
    const { definition, period, by } = query;
    const thenBy = query.thenBy ?? null;
    const previousPeriod = this.comparedPeriod(period, query);
    const base = { kpiKey: definition.key, filter: query.filter ?? {}, params: query.params ?? {}, groupBy: by, ...(thenBy ? { thenBy } : {}) };
    const current = { ...base, period };
    const previous = previousPeriod ? { ...base, period: previousPeriod } : undefined;
    // Both periods in one tick: the loader batches them into the same statements.
    const [[groups, previousGroups], members] = await Promise.all([
      this.cells(previous ? [current, previous] : [current]),
      thenBy ? undefined : this.options.members.keys(by, this.scoped(current).filter ?? {}),
    ]);
    const complete = this.completed(current, groups!, members);
    const previousOf = previous && previousGroups ? this.groupReader(previous, previousGroups) : undefined;
    const additive = isAdditive(definition);
    let shares: ShareOfTotal | undefined;
    const share = (result: KpiResult) => () => (shares ??= shareOfTotal(complete.map(([, group]) => group), additive))(result);
    const { kept, rest } = topGroups(complete, { order: query.order ?? null, first: query.first ?? null, additive });
    const parts = new Map(kept.map(([key]) => [key, thenBy ? splitGroupKey(key) : ([key, null] as const)]));
    const [labels, secondLabels] = await Promise.all([
      this.options.members.labels(by, [...parts.values()].map(([first]) => first)),
      thenBy ? this.options.members.labels(thenBy, [...parts.values()].map(([, second]) => second!)) : undefined,
    ]);
    const target = this.target(definition, period);
    const shape = (result: KpiResult | undefined, before: KpiResult | undefined): KpiValue => {
      const value = valueWithTarget(definition, period, result, target);
      if (previousPeriod && previousOf) value.previous = { period: previousPeriod, result: valueWithTarget(definition, previousPeriod, before, target).result };
      return value;
    };
    const shaped: KpiGroupValue[] = kept.map(([key, result]) => {
      const [first, second] = parts.get(key)!;
      const secondPart = thenBy && second !== null ? { dimension: thenBy, key: second, label: secondLabels?.get(second) ?? second } : null;
      const value = shape(result, previousOf?.(key));
      return { dimension: by, key: first, label: labels.get(first) ?? first, value, shareOfTotal: share(value.result), second: secondPart };
    });
    if (rest.length > 0) {
      const byKey = new Map(complete);
      const other = combineGroups(rest.map((key) => byKey.get(key)!), additive);
      const before = previousOf ? combineGroups(rest.map((key) => previousOf(key)), additive) : undefined;
      const value = shape(other, before);
      shaped.push({ dimension: by, key: otherGroupKey, label: `Other (${rest.length} ${rest.length === 1 ? 'group' : 'groups'})`, value, shareOfTotal: share(value.result), second: null });
    }
    return shaped;
  }

  /**
   * The KPI per bucket of a grain over a range; with `by`, each point also
   * has a complete breakdown. With a window, each point covers its window
   * (series-points.ts): more periods, read by the same statements.
   */
  series(query: SeriesQuery): KpiPoint[] {
    const { definition, by, range, grain } = query;
    const { timeZone } = this.options;
    const buckets = this.buckets(range, grain);
    if (by && !definition.dimensions.includes(by)) {
      throw new KpiInputError('by', `KPI "${definition.key}" cannot be broken down by ${by}; it offers ${definition.dimensions.join(', ') || 'no dimensions'}.`);
    }
    const window = query.window ?? null;
    if (window) checkWindowReach(range, window, grain, timeZone, this.options.limits);
    const comparison = comparisonOf(query);
    const points = seriesPointPeriods(buckets, { range, grain, timeZone, window, comparison });
    const common = { definition, ...(query.filter ? { filter: query.filter } : {}), ...(query.params ? { params: query.params } : {}) };
    return points.map(({ bucket, period, previous }) => ({
      bucket,
      value: () => this.value({ ...common, period, compareToPeriod: previous }),
      breakdown: () => (by ? this.breakdown({ ...common, period, by, compareToPeriod: previous }) : Promise.resolve([])),
    }));
  }

  /** The buckets of a range; a dashboard asks every KPI for the same ones, so they are cut once per request. */
  buckets(range: TimeRange, grain: Grain): readonly TimeRange[] {
    const key = `${range.start.getTime()}|${range.end.getTime()}|${grain}`;
    let buckets = this.bucketsMemo.get(key);
    if (!buckets) this.bucketsMemo.set(key, (buckets = bucketize(range, grain, this.options.timeZone, { maxBuckets: this.options.limits?.maxBuckets })));
    return buckets;
  }

  /**
   * The KPI's result within a filter, for callers that ask many filters
   * (goals): an inputs KPI's first single-valued filter dimension is asked
   * as a group-by, so that filters differing only in it share one cell, and
   * the group is picked (a group without records gives what the filter
   * would). Compute plugins may treat groups differently: they get the filter.
   */
  async result(query: KpiQuery): Promise<KpiResult> {
    const filter = query.filter ?? {};
    const filtered: KpiCellKey = { kpiKey: query.definition.key, period: query.period, filter, params: query.params ?? {}, groupBy: null };
    const dimension = query.definition.kind === 'inputs' ? (Object.keys(filter) as Dimension[]).sort().find((d) => filter[d]?.length === 1) : undefined;
    if (!dimension) return (await this.cells([filtered]))[0]!.get(ungrouped) ?? noRecords;
    const { [dimension]: picked, ...rest } = filter;
    const grouped: KpiCellKey = { ...filtered, filter: rest, groupBy: dimension };
    const [values] = await this.cells([grouped]);
    const found = values!.get(picked![0]!);
    if (found) return found;
    return this.emptyResult(grouped) ?? (await this.cells([filtered]))[0]!.get(ungrouped) ?? noRecords;
  }

  /** The KPI split by `by`: the groups that have records, as the engine gives them (no completion). */
  async groups(query: KpiQuery & { by: Dimension }): Promise<CellValues> {
    const [values] = await this.cells([{ kpiKey: query.definition.key, period: query.period, filter: query.filter ?? {}, params: query.params ?? {}, groupBy: query.by }]);
    return values!;
  }

  /**
   * The records a count or money KPI counts or sums over a period within a
   * filter and the team scope, newest first, a page at a time. Any other KPI
   * is a KpiInputError naming why (see drill-through.ts).
   */
  async records(query: RecordsQuery): Promise<RecordPage> {
    const { definition } = query;
    if (!this.options.drill) throw new Error('This KPI query service was built without a record reader.');
    const measure = numeratorMeasure(definition, 'records');
    const { filter = {} } = this.scoped({ kpiKey: definition.key, period: query.period, filter: query.filter ?? {}, params: {}, groupBy: null });
    const offered = sourceDimensions(measure.source);
    const unlisted = (Object.keys(filter) as Dimension[]).find((dimension) => !offered.includes(dimension));
    if (unlisted) throw new KpiInputError('records', `The records of KPI "${definition.key}" cannot be kept to a ${unlisted} scope.`);
    if (query.period.end.getTime() <= query.period.start.getTime()) return { source: measure.source, rows: [], hasNextPage: false, totalCount: () => Promise.resolve(0) };
    return this.options.drill.page({ measure, filter, period: query.period, first: query.first, after: query.after ?? null });
  }

  /** A customer's RFM over payments before `at`; null for a customer who never paid. Batched per instant. */
  customerRfm(customerId: number, at: Date): Promise<CustomerRfm | null> {
    return this.options.rfm.load(customerId, at);
  }

  /** The period a value is compared with, if any. */
  private comparedPeriod(period: ResolvedPeriod, query: ComparedWith): TimeRange | undefined {
    const comparison = comparisonOf(query);
    if (!comparison) return undefined;
    return 'period' in comparison ? comparison.period : comparisonPeriod(period, comparison.kind, this.options.timeZone);
  }

  private target(definition: KpiDefinition, period: TimeRange, stage?: LifecycleStage) {
    return defaultTarget(definition, period, this.options.timeZone, stage);
  }

  /** The key kept to the caller's team; TeamScopeError for a KPI that cannot be cut by team. */
  private scoped(key: KpiCellKey): KpiCellKey {
    const { teamScope } = this.options;
    if (teamScope === undefined || teamScope === null) return key;
    const definition = this.options.registry.get(key.kpiKey);
    if (definition && !definition.dimensions.includes('team')) {
      throw new TeamScopeError(`This API key is limited to one team, and KPI "${key.kpiKey}" cannot be computed per team.`);
    }
    const team = String(teamScope);
    const asked = key.filter?.team;
    const teams = asked ? asked.filter((id) => id === team) : [team];
    // A filter on other teams only yields nothing rather than an error.
    return { ...key, filter: { ...key.filter, team: teams.length > 0 ? teams : ['-1'] } };
  }

  /** A grouped cell's value over no records, worked out from its formula; undefined when only the filtered cell can say. */
  private emptyResult(key: KpiCellKey): KpiResult | undefined {
    return emptyGroupResult(validateCell(this.scoped(key), this.options.registry, this.options.limits ?? {}));
  }

  /** A group's value, the empty-group value for a group without records. */
  private groupReader(key: KpiCellKey, values: CellValues): (group: GroupKey) => KpiResult {
    let empty: KpiResult | undefined;
    return (group) => values.get(group) ?? (empty ??= this.emptyResult(key) ?? fallbackEmpty(this.options.registry.get(key.kpiKey)));
  }

  /** The cell's groups and every listed member without records, in key order. */
  private completed(key: KpiCellKey, values: CellValues, members: readonly GroupKey[] | undefined): [GroupKey, KpiResult][] {
    const read = this.groupReader(key, values);
    const keys = new Set(values.keys());
    for (const member of members ?? []) keys.add(member);
    return [...keys].sort().map((group) => [group, read(group)]);
  }
}

/** A compute plugin's group without records: nothing for a total, no value (with the reason) for anything else. */
function fallbackEmpty(definition: KpiDefinition | undefined): KpiResult {
  return definition && isAdditive(definition) ? { value: new Decimal(0) } : noGroupRecords;
}
