import type {
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLSchema,
  SelectionSetNode,
} from 'graphql';
import { Kind, getArgumentValues, getNamedType, getNullableType, getOperationAST, getVariableValues, isCompositeType, isListType, isObjectType, isInterfaceType } from 'graphql';
import type { FieldCost } from '../../graphql/field-cost.js';
import { fieldCost } from '../../graphql/field-cost.js';
import type { Grain, NamedPeriod, PeriodInput } from '../../kpi/periods.js';
import { bucketize, resolvePeriod } from '../../kpi/periods.js';

/**
 * Groups a breakdown by each dimension is assumed to have. Rough orders of
 * magnitude of a CRM workspace: the point is to tell a dashboard from a
 * cross product, not to predict the answer.
 */
export const groupEstimates: Readonly<Record<string, number>> = {
  team: 10,
  owner: 50,
  channel: 10,
  region: 10,
  productLine: 10,
  industry: 20,
  dealType: 5,
  campaign: 50,
  stage: 8,
  rfmSegment: 11,
};
const unknownDimensionGroups = 50;

export interface KpiCostOptions {
  /** KPIs a `kpis` list without `keys` (or `recommendedKpis`) may return. */
  kpiCount: number;
  /** Buckets assumed for a series whose range or grain is unknown or invalid. */
  maxBuckets: number;
  maxRangeDays: number;
  /** Items assumed for a paginated field without `first`/`last`, and for other lists. */
  maxPageSize: number;
  now?: Date;
  /** Gives up (and answers Infinity) after visiting this many fields: fragments can multiply. */
  maxVisits?: number;
}

type Args = Record<string, unknown> | null;

/** A `first`/`last` outside 0…maxPageSize, found before execution for every connection alike. */
export interface PageSizeProblem {
  /** `Type.field`, e.g. `Query.customers`. */
  field: string;
  argument: 'first' | 'last';
  asked: number;
}

export interface OperationEstimate {
  cells: number;
  pageSizeProblems: PageSizeProblem[];
}

interface Walk {
  schema: GraphQLSchema;
  pageSizeProblems: PageSizeProblem[];
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  options: KpiCostOptions;
  visits: number;
}

/**
 * The KPI cells an operation would ask the engine for, estimated from the
 * document and its variables before anything runs, by the cost each field
 * declares (src/graphql/field-cost.ts): `value` is 1 cell (2 with
 * `compareTo`), `breakdown` is the dimension's group estimate, `series` is
 * its buckets × (1 for `value`, groups for `breakdown` when asked `by`), all
 * times the number of KPIs listed around it. Unknown inputs count as
 * their maximum. Aliased duplicates count twice: the loader would dedupe
 * them, but an estimate that can be gamed by aliasing is no limit.
 */
export function estimateOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  rawVariables: Record<string, unknown> | null | undefined,
  options: KpiCostOptions,
): OperationEstimate {
  const operation = getOperationAST(document, operationName ?? undefined);
  const root = !operation
    ? null
    : operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!operation || !root) return { cells: 0, pageSizeProblems: [] };
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {});
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const variables = 'coerced' in coerced && coerced.coerced ? coerced.coerced : {};
  const walk: Walk = { schema, fragments, variables, options, visits: 0, pageSizeProblems: [] };
  const cells = selectionCells(walk, root, operation.selectionSet, 1, null, []);
  return { cells, pageSizeProblems: walk.pageSizeProblems };
}

/** The estimated KPI cells alone. */
export function estimateKpiCells(...args: Parameters<typeof estimateOperation>): number {
  return estimateOperation(...args).cells;
}

/** Cells under a selection set reached `multiplicity` times; `seriesGroups` is set inside a series asked `by` a dimension. */
function selectionCells(
  walk: Walk,
  parent: GraphQLCompositeType,
  set: SelectionSetNode,
  multiplicity: number,
  seriesGroups: number | null,
  fragmentPath: readonly string[],
): number {
  let cells = 0;
  for (const selection of set.selections) {
    if (++walk.visits > (walk.options.maxVisits ?? 100_000)) return Number.POSITIVE_INFINITY;
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : parent;
      if (type && isCompositeType(type)) cells += selectionCells(walk, type, selection.selectionSet, multiplicity, seriesGroups, fragmentPath);
      continue;
    }
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const name = selection.name.value;
      const fragment = walk.fragments.get(name);
      // Validation has refused cycles already; the guard only keeps a bug from looping.
      if (!fragment || fragmentPath.includes(name)) continue;
      const type = walk.schema.getType(fragment.typeCondition.name.value);
      if (type && isCompositeType(type)) cells += selectionCells(walk, type, fragment.selectionSet, multiplicity, seriesGroups, [...fragmentPath, name]);
      continue;
    }
    if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
    const field = parent.getFields()[selection.name.value];
    if (!field) continue;
    const args = argumentsOf(walk, field, selection);
    const cost = fieldCost(field);
    cells += fieldCells(cost, args, multiplicity, seriesGroups);
    if (!selection.selectionSet) continue;
    const child = getNamedType(field.type);
    if (!isCompositeType(child)) continue;
    let inner = multiplicity * listSize(walk, parent.name, field, args, cost);
    let innerGroups = seriesGroups;
    if (cost?.buckets) {
      inner = multiplicity * bucketCount(walk.options, args, cost.buckets);
      innerGroups = args === null ? unknownDimensionGroups : args[cost.buckets.by] == null ? null : groups(args[cost.buckets.by]);
    }
    cells += selectionCells(walk, child, selection.selectionSet, inner, innerGroups, fragmentPath);
  }
  return cells;
}

/** The cells a field asks for itself, by the cost it declares. */
function fieldCells(cost: FieldCost | undefined, args: Args, multiplicity: number, seriesGroups: number | null): number {
  if (cost?.cells === undefined) return 0;
  const doubledBy = cost.doubledBy === undefined ? [] : typeof cost.doubledBy === 'string' ? [cost.doubledBy] : cost.doubledBy;
  const doubled = doubledBy.length > 0 && (args === null || doubledBy.some((name) => args[name] != null)) ? 2 : 1;
  if (cost.cells === 'byGroups') return multiplicity * doubled * byGroups(args);
  if (cost.cells === 'seriesGroups') return multiplicity * doubled * (seriesGroups ?? 0);
  return multiplicity * doubled * cost.cells;
}

/** How many times a field's selection runs for one parent. */
function listSize(walk: Walk, parent: string, field: GraphQLField<unknown, unknown>, args: Args, cost: FieldCost | undefined): number {
  const argNames = new Set(field.args.map((arg) => arg.name));
  if (argNames.has('first') || argNames.has('last')) {
    for (const argument of ['first', 'last'] as const) {
      const value = args?.[argument];
      if (typeof value === 'number' && (value < 0 || value > walk.options.maxPageSize)) {
        walk.pageSizeProblems.push({ field: `${parent}.${field.name}`, argument, asked: value });
      }
    }
    const asked = args === null ? null : (args['first'] ?? args['last']);
    return typeof asked === 'number' && asked >= 0 ? Math.min(asked, walk.options.maxPageSize) : walk.options.maxPageSize;
  }
  if (!isListType(getNullableType(field.type))) return 1;
  // A connection's page size was counted on the connection field.
  if (parent.endsWith('Connection') && (field.name === 'edges' || field.name === 'nodes')) return 1;
  if (cost?.perKpi) {
    const keys = cost.perKpi.keys === null ? undefined : args?.[cost.perKpi.keys];
    return Array.isArray(keys) ? keys.length : walk.options.kpiCount;
  }
  const ids = args?.['ids'];
  return Array.isArray(ids) ? ids.length : walk.options.maxPageSize;
}

/** The groups of `by`, times those of `thenBy` when given (one group per pair at most). */
function byGroups(args: Args): number {
  if (args === null) return unknownDimensionGroups;
  return groups(args['by']) * (args['thenBy'] == null ? 1 : groups(args['thenBy']));
}

function groups(by: unknown): number {
  return typeof by === 'string' ? (groupEstimates[by] ?? unknownDimensionGroups) : unknownDimensionGroups;
}

/** The field's arguments as the resolver would see them, or null when they cannot be coerced (then assume the worst). */
function argumentsOf(walk: Walk, field: GraphQLField<unknown, unknown>, node: Parameters<typeof getArgumentValues>[1]): Args {
  if (field.args.length === 0) return {};
  try {
    return getArgumentValues(field, node, walk.variables);
  } catch {
    return null;
  }
}

interface PeriodArgs {
  named?: NamedPeriod | null;
  start?: Date | null;
  end?: Date | null;
  trailingDays?: number | null;
}

/** Buckets of a series, computed in UTC (a workspace zone moves edges by hours, not buckets); the maximum when unknown or invalid. */
function bucketCount(options: KpiCostOptions, args: Args, names: NonNullable<FieldCost['buckets']>): number {
  const range = args?.[names.range] as PeriodArgs | undefined;
  const grain = args?.[names.grain] as Grain | undefined;
  if (!range || !grain) return options.maxBuckets;
  let input: PeriodInput;
  if (range.named != null) input = { named: range.named };
  else if (range.trailingDays != null) input = { trailingDays: range.trailingDays };
  else if (range.start instanceof Date && range.end instanceof Date) input = { range: { start: range.start, end: range.end } };
  else return options.maxBuckets;
  try {
    const limits = { maxRangeDays: options.maxRangeDays, maxBuckets: options.maxBuckets };
    const period = resolvePeriod(input, { timeZone: 'UTC', now: options.now ?? new Date(), ...limits });
    return bucketize(period, grain, 'UTC', limits).length;
  } catch {
    return options.maxBuckets;
  }
}
