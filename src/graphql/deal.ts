import type { Prisma } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { DateRangeInput, DealStageEnum, DealTypeEnum, SortDirectionEnum, dateRangeWhere } from './enums.js';
import { nodeConnection } from './connections.js';
import { optionalRowId } from './ids.js';
import { pageArgs } from './paging.js';

export const DealRef = builder.prismaNode('Deal', {
  id: { field: 'id' },
  // Unknown and other workspaces' IDs resolve to null, not an error.
  nullable: true,
  description: 'An opportunity to sell to a customer, moving through the funnel.',
  fields: (t) => ({
    title: t.exposeString('title'),
    externalId: t.exposeString('externalId', { nullable: true }),
    amount: t.expose('amount', { type: 'Decimal' }),
    stage: t.expose('stage', { type: DealStageEnum }),
    type: t.expose('type', { type: DealTypeEnum }),
    productLine: t.exposeString('productLine'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    closedAt: t.expose('closedAt', { type: 'DateTime', nullable: true }),
    expectedCloseAt: t.expose('expectedCloseAt', { type: 'DateTime', nullable: true }),
    lostReason: t.exposeString('lostReason', { nullable: true }),
    customer: t.relation('customer', { nullable: true, description: 'Null when the customer belongs to another team than the API key’s.' }),
    owner: t.relation('owner', { nullable: true }),
    campaign: t.relation('campaign', { nullable: true }),
    stageHistory: t.relation('stageEvents', {
      description: 'Every stage move, oldest first.',
      query: { orderBy: [{ at: 'asc' }, { id: 'asc' }] },
    }),
  }),
});

/** Every page of deals (Query.deals, Customer.deals) is a DealConnection. */
export const DealConnection = nodeConnection(DealRef, 'Deal', 'deals');

export const DealStageEventRef = builder.prismaObject('DealStageEvent', {
  description: 'One move of a deal from a stage to another.',
  fields: (t) => ({
    id: t.exposeID('id'),
    fromStage: t.expose('fromStage', { type: DealStageEnum, nullable: true, description: 'Null for the deal’s creation.' }),
    toStage: t.expose('toStage', { type: DealStageEnum }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

// A node, so that campaigns can be named by global ID in deal and spend inputs.
builder.prismaNode('Campaign', {
  id: { field: 'id' },
  // Unknown and other workspaces' IDs resolve to null, not an error.
  nullable: true,
  description: 'A marketing campaign.',
  fields: (t) => ({
    name: t.exposeString('name'),
    channel: t.exposeString('channel'),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime', nullable: true }),
  }),
});

const DealFilter = builder.inputType('DealFilter', {
  fields: (t) => ({
    stage: t.field({ type: [DealStageEnum], required: false }),
    type: t.field({ type: [DealTypeEnum], required: false }),
    ownerId: t.globalID({ required: false }),
    teamId: t.globalID({ required: false, description: 'Deals owned by members of this team.' }),
    customerId: t.globalID({ required: false }),
    productLine: t.stringList({ required: false }),
    region: t.stringList({ required: false, description: 'The customer’s region.' }),
    channel: t.stringList({ required: false, description: 'The customer’s acquisition channel.' }),
    createdAt: t.field({ type: DateRangeInput, required: false }),
    closedAt: t.field({ type: DateRangeInput, required: false }),
    open: t.boolean({ required: false, description: 'true: not closed yet; false: won or lost.' }),
  }),
});

const DealOrderField = builder.enumType('DealOrderField', {
  values: ['CREATED_AT', 'CLOSED_AT', 'AMOUNT', 'EXPECTED_CLOSE_AT'] as const,
});

const DealOrder = builder.inputType('DealOrder', {
  fields: (t) => ({
    field: t.field({ type: DealOrderField, required: true }),
    direction: t.field({ type: SortDirectionEnum, defaultValue: 'ASC' }),
  }),
});

const orderColumns = {
  CREATED_AT: 'createdAt',
  CLOSED_AT: 'closedAt',
  AMOUNT: 'amount',
  EXPECTED_CLOSE_AT: 'expectedCloseAt',
} as const;

type DealFilterArg = typeof DealFilter.$inferInput;

/** The rows a DealFilter selects: the same where for the page and its totalCount. */
function dealWhere(filter: DealFilterArg | null | undefined): Prisma.DealWhereInput {
  const ownerId = optionalRowId(filter?.ownerId, 'User', 'filter.ownerId');
  const teamId = optionalRowId(filter?.teamId, 'Team', 'filter.teamId');
  const customerId = optionalRowId(filter?.customerId, 'Customer', 'filter.customerId');
  const customer: Prisma.CustomerWhereInput = {
    ...(filter?.region ? { region: { in: filter.region } } : {}),
    ...(filter?.channel ? { channel: { in: filter.channel } } : {}),
  };
  const where: Prisma.DealWhereInput = {
    ...(filter?.stage ? { stage: { in: filter.stage } } : {}),
    ...(filter?.type ? { type: { in: filter.type } } : {}),
    ...(ownerId ? { ownerId } : {}),
    ...(teamId ? { owner: { teamId } } : {}),
    ...(customerId ? { customerId } : {}),
    ...(filter?.productLine ? { productLine: { in: filter.productLine } } : {}),
    ...(Object.keys(customer).length > 0 ? { customer } : {}),
    ...(filter?.createdAt ? { createdAt: dateRangeWhere(filter.createdAt) } : {}),
  };
  // `closedAt` and `open` both constrain closedAt: combined with AND so
  // that neither overwrites the other.
  const closed: Prisma.DealWhereInput[] = [
    ...(filter?.closedAt ? [{ closedAt: dateRangeWhere(filter.closedAt) }] : []),
    ...(filter?.open === true ? [{ closedAt: null }] : []),
    ...(filter?.open === false ? [{ closedAt: { not: null } }] : []),
  ];
  if (closed.length > 0) where.AND = closed;
  return where;
}

builder.queryField('deals', (t) =>
  t.prismaConnection({
    type: 'Deal',
    cursor: 'id',
    validate: pageArgs,
    description: 'Deals of the workspace, filtered and ordered (newest first by default).',
    args: {
      filter: t.arg({ type: DealFilter, required: false }),
      orderBy: t.arg({ type: DealOrder, required: false }),
    },
    totalCount: (_root, { filter }, ctx) => ctx.prisma.deal.count({ where: dealWhere(filter) }),
    resolve: (query, _root, { filter, orderBy }, ctx) => {
      const where = dealWhere(filter);
      const direction = orderBy?.direction === 'DESC' ? 'desc' : 'asc';
      const order: Prisma.DealOrderByWithRelationInput[] = orderBy
        ? [{ [orderColumns[orderBy.field]]: direction }, { id: direction }]
        : [{ createdAt: 'desc' }, { id: 'desc' }];
      return ctx.prisma.deal.findMany({ ...query, where, orderBy: order });
    },
  }, DealConnection),
);

builder.queryField('campaigns', (t) =>
  t.prismaField({
    type: ['Campaign'],
    description: 'Every campaign of the workspace, newest first.',
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.campaign.findMany({ ...query, orderBy: [{ startsAt: 'desc' }, { id: 'desc' }] }),
  }),
);
