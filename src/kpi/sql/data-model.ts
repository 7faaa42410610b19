/**
 * The static map from measure sources to the data model: the only place SQL
 * identifiers come from. Nothing a caller or plugin passes ever becomes an
 * identifier; values are always parameters.
 */
import { ActivityType, CustomerStatus, DealStage, DealType, LedgerKind, SpendCategory, SurveyKind, TicketKind } from '../../generated/prisma/enums.js';
import type { SourceName } from '../measures.js';
import type { Dimension } from '../types.js';

/** A relation the engine or a compute plugin may read, always scoped to one workspace. */
export type Relation = SourceName | 'users' | 'teams';

export const relationTables: Readonly<Record<Relation, string>> = {
  customers: '"Customer"',
  deals: '"Deal"',
  stageEvents: '"DealStageEvent"',
  activities: '"Activity"',
  payments: '"Payment"',
  surveyResponses: '"SurveyResponse"',
  tickets: '"Ticket"',
  spend: '"Spend"',
  ledger: '"LedgerEntry"',
  users: '"User"',
  teams: '"Team"',
};

/** How a where-field of a measure compares. */
export type FieldKind = 'enum' | 'text' | 'integer' | 'time' | 'presence';

/** A many-to-one hop from the row (or an earlier hop) to a related row. */
export interface JoinStep {
  relation: Relation;
  /** `root` for the measured row, else the name of an earlier step. */
  from: string;
  /** The foreign key column on `from`. */
  column: string;
}

/** A dimension's value: a column of the row (`via` null) or of a joined row. */
export interface DimensionPath {
  via: string | null;
  column: string;
}

/** A database enum: its type name and labels, so that conditions compare enums as enums. */
export interface EnumType {
  name: string;
  labels: readonly string[];
}

export interface WhereField {
  kind: FieldKind;
  column: string;
  enumType?: EnumType;
}

export interface SourceModel {
  relation: SourceName;
  timeFields: readonly string[];
  numericFields: readonly string[];
  distinctFields: readonly string[];
  /** Measure `where` fields: their kind and column (presence fields name the id column). */
  whereFields: Readonly<Record<string, WhereField>>;
  joins: Readonly<Record<string, JoinStep>>;
  dimensions: Partial<Readonly<Record<Dimension, DimensionPath>>>;
}

const customerDimensions = (customer: string, owner: string): SourceModel['dimensions'] => ({
  team: { via: owner, column: 'teamId' },
  owner: { via: customer === 'root' ? null : customer, column: 'ownerId' },
  region: { via: customer === 'root' ? null : customer, column: 'region' },
  industry: { via: customer === 'root' ? null : customer, column: 'industry' },
  channel: { via: customer === 'root' ? null : customer, column: 'channel' },
});

const dealDimensions = (deal: string): SourceModel['dimensions'] => ({
  productLine: { via: deal, column: 'productLine' },
  dealType: { via: deal, column: 'type' },
  campaign: { via: deal, column: 'campaignId' },
});

const enumOf = (name: string, labels: Readonly<Record<string, string>>): EnumType => ({ name, labels: Object.values(labels) });
const enumField = (column: string, enumType: EnumType): WhereField => ({ kind: 'enum', column, enumType });
const dealStage = enumOf('DealStage', DealStage);
const textField = (column: string) => ({ kind: 'text' as const, column });
const timeField = (column: string) => ({ kind: 'time' as const, column });
const presence = (column: string) => ({ kind: 'presence' as const, column });

export const dataModel: Readonly<Record<SourceName, SourceModel>> = {
  customers: {
    relation: 'customers',
    timeFields: ['createdAt', 'qualifiedAt', 'convertedAt', 'churnedAt'],
    numericFields: [],
    distinctFields: ['id', 'ownerId'],
    whereFields: {
      status: enumField('status', enumOf('CustomerStatus', CustomerStatus)),
      channel: textField('channel'),
      region: textField('region'),
      industry: textField('industry'),
      campaign: presence('campaignId'),
      qualifiedAt: timeField('qualifiedAt'),
      convertedAt: timeField('convertedAt'),
      churnedAt: timeField('churnedAt'),
    },
    joins: { owner: { relation: 'users', from: 'root', column: 'ownerId' } },
    // A customer's campaign is the one that brought it (campaign_new_customers).
    dimensions: { ...customerDimensions('root', 'owner'), campaign: { via: null, column: 'campaignId' } },
  },
  deals: {
    relation: 'deals',
    timeFields: ['createdAt', 'closedAt', 'expectedCloseAt'],
    numericFields: ['amount'],
    distinctFields: ['id', 'customerId', 'ownerId'],
    whereFields: {
      stage: enumField('stage', dealStage),
      type: enumField('type', enumOf('DealType', DealType)),
      productLine: textField('productLine'),
      campaign: presence('campaignId'),
      closedAt: timeField('closedAt'),
    },
    joins: {
      customer: { relation: 'customers', from: 'root', column: 'customerId' },
      owner: { relation: 'users', from: 'root', column: 'ownerId' },
    },
    dimensions: {
      ...customerDimensions('customer', 'owner'),
      owner: { via: null, column: 'ownerId' },
      productLine: { via: null, column: 'productLine' },
      dealType: { via: null, column: 'type' },
      campaign: { via: null, column: 'campaignId' },
      // A deal's stage is its current stage.
      stage: { via: null, column: 'stage' },
    },
  },
  stageEvents: {
    relation: 'stageEvents',
    timeFields: ['at'],
    numericFields: [],
    distinctFields: ['id', 'dealId'],
    whereFields: { fromStage: enumField('fromStage', dealStage), toStage: enumField('toStage', dealStage) },
    joins: {
      deal: { relation: 'deals', from: 'root', column: 'dealId' },
      customer: { relation: 'customers', from: 'deal', column: 'customerId' },
      owner: { relation: 'users', from: 'deal', column: 'ownerId' },
    },
    dimensions: {
      ...customerDimensions('customer', 'owner'),
      owner: { via: 'deal', column: 'ownerId' },
      ...dealDimensions('deal'),
      // An event's stage is the stage it entered.
      stage: { via: null, column: 'toStage' },
    },
  },
  activities: {
    relation: 'activities',
    timeFields: ['at'],
    numericFields: [],
    distinctFields: ['id', 'customerId', 'dealId', 'userId'],
    whereFields: { type: enumField('type', enumOf('ActivityType', ActivityType)) },
    joins: {
      customer: { relation: 'customers', from: 'root', column: 'customerId' },
      actor: { relation: 'users', from: 'root', column: 'userId' },
      deal: { relation: 'deals', from: 'root', column: 'dealId' },
    },
    // An activity's team and owner are the acting user's.
    dimensions: { ...customerDimensions('customer', 'actor'), owner: { via: null, column: 'userId' }, ...dealDimensions('deal') },
  },
  payments: {
    relation: 'payments',
    timeFields: ['paidAt'],
    numericFields: ['amount'],
    distinctFields: ['id', 'customerId', 'dealId'],
    whereFields: {},
    joins: {
      customer: { relation: 'customers', from: 'root', column: 'customerId' },
      owner: { relation: 'users', from: 'customer', column: 'ownerId' },
      deal: { relation: 'deals', from: 'root', column: 'dealId' },
    },
    dimensions: { ...customerDimensions('customer', 'owner'), ...dealDimensions('deal') },
  },
  surveyResponses: {
    relation: 'surveyResponses',
    timeFields: ['answeredAt'],
    numericFields: ['score'],
    distinctFields: ['id', 'customerId'],
    whereFields: { kind: enumField('kind', enumOf('SurveyKind', SurveyKind)), score: { kind: 'integer', column: 'score' } },
    joins: {
      customer: { relation: 'customers', from: 'root', column: 'customerId' },
      owner: { relation: 'users', from: 'customer', column: 'ownerId' },
    },
    dimensions: customerDimensions('customer', 'owner'),
  },
  tickets: {
    relation: 'tickets',
    timeFields: ['openedAt', 'firstResponseAt', 'resolvedAt'],
    numericFields: [],
    distinctFields: ['id', 'customerId'],
    whereFields: { kind: enumField('kind', enumOf('TicketKind', TicketKind)), firstResponseAt: timeField('firstResponseAt'), resolvedAt: timeField('resolvedAt') },
    joins: {
      customer: { relation: 'customers', from: 'root', column: 'customerId' },
      owner: { relation: 'users', from: 'customer', column: 'ownerId' },
    },
    dimensions: customerDimensions('customer', 'owner'),
  },
  spend: {
    relation: 'spend',
    timeFields: ['date'],
    numericFields: ['amount'],
    distinctFields: ['id', 'campaignId'],
    whereFields: { category: enumField('category', enumOf('SpendCategory', SpendCategory)), channel: textField('channel'), campaign: presence('campaignId') },
    joins: {},
    dimensions: { channel: { via: null, column: 'channel' }, campaign: { via: null, column: 'campaignId' } },
  },
  ledger: {
    relation: 'ledger',
    timeFields: ['date'],
    numericFields: ['amount'],
    distinctFields: ['id'],
    whereFields: { kind: enumField('kind', enumOf('LedgerKind', LedgerKind)), category: textField('category') },
    joins: {},
    dimensions: {},
  },
};

/** The dimensions a source can filter and group by. */
export function sourceDimensions(source: SourceName): Dimension[] {
  return Object.keys(dataModel[source].dimensions) as Dimension[];
}

/**
 * The joins (in dependency order) and the expression for a dimension of a
 * row aliased `alias`. `table` renders a relation: the compiler gives the
 * table with a workspace predicate, compute plugins a scoped placeholder.
 */
export function dimensionSql(
  source: SourceName,
  alias: string,
  dimension: Dimension,
  renderJoin: (relation: Relation, joinAlias: string, on: string) => string,
): { joins: string[]; expression: string } | null {
  const model = dataModel[source];
  const path = model.dimensions[dimension];
  if (!path) return null;
  const joins: string[] = [];
  const aliasOf = (step: string): string => (step === 'root' ? alias : `${alias}_${step}`);
  const addStep = (name: string): void => {
    const step = model.joins[name];
    if (!step) throw new Error(`Data model: ${source} has no join ${name}`);
    if (step.from !== 'root') addStep(step.from);
    joins.push(renderJoin(step.relation, aliasOf(name), `${aliasOf(name)}.id = ${aliasOf(step.from)}."${step.column}"`));
  };
  if (path.via) addStep(path.via);
  return { joins, expression: `${aliasOf(path.via ?? 'root')}."${path.column}"` };
}
