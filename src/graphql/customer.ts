import type { Prisma } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { CustomerStatusEnum, DateRangeInput, SortDirectionEnum, dateRangeWhere } from './enums.js';
import { badUserInput, notFound } from './errors.js';
import { optionalRowId, rowId } from './ids.js';
import { lockRow, notFoundAt, wonDealSpan } from './lookups.js';
import { pageArgs } from './paging.js';
import { channelName, labelText, nameText, regionCode } from '../records/rules.js';

builder.prismaNode('Customer', {
  id: { field: 'id' },
  // Unknown and other workspaces' IDs resolve to null, not an error.
  nullable: true,
  description: 'A lead, prospect, customer or churned customer.',
  fields: (t) => ({
    name: t.exposeString('name'),
    externalId: t.exposeString('externalId', { nullable: true }),
    industry: t.exposeString('industry'),
    region: t.exposeString('region', { description: 'ISO 3166-1 alpha-2 country code.' }),
    channel: t.exposeString('channel', { description: 'Acquisition source, e.g. referral or search.' }),
    status: t.expose('status', { type: CustomerStatusEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    qualifiedAt: t.expose('qualifiedAt', { type: 'DateTime', nullable: true }),
    convertedAt: t.expose('convertedAt', { type: 'DateTime', nullable: true }),
    churnedAt: t.expose('churnedAt', { type: 'DateTime', nullable: true }),
    owner: t.relation('owner', { nullable: true }),
    deals: t.relatedConnection('deals', {
      cursor: 'id',
      validate: pageArgs,
      query: () => ({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    }),
    payments: t.relatedConnection('payments', {
      cursor: 'id',
      validate: pageArgs,
      query: () => ({ orderBy: [{ paidAt: 'desc' }, { id: 'desc' }] }),
    }),
  }),
});

const CustomerFilter = builder.inputType('CustomerFilter', {
  fields: (t) => ({
    status: t.field({ type: [CustomerStatusEnum], required: false }),
    ownerId: t.globalID({ required: false }),
    teamId: t.globalID({ required: false, description: 'Customers owned by members of this team.' }),
    region: t.stringList({ required: false }),
    channel: t.stringList({ required: false }),
    industry: t.stringList({ required: false }),
    createdAt: t.field({ type: DateRangeInput, required: false }),
    convertedAt: t.field({ type: DateRangeInput, required: false }),
    search: t.string({ required: false, description: 'Part of the name, case-insensitive.' }),
  }),
});

const CustomerOrderField = builder.enumType('CustomerOrderField', {
  values: ['CREATED_AT', 'NAME', 'CONVERTED_AT'] as const,
});

const CustomerOrder = builder.inputType('CustomerOrder', {
  fields: (t) => ({
    field: t.field({ type: CustomerOrderField, required: true }),
    direction: t.field({ type: SortDirectionEnum, defaultValue: 'ASC' }),
  }),
});

const orderColumns = { CREATED_AT: 'createdAt', NAME: 'name', CONVERTED_AT: 'convertedAt' } as const;

builder.queryField('customers', (t) =>
  t.prismaConnection({
    type: 'Customer',
    cursor: 'id',
    validate: pageArgs,
    description: 'Customers of the workspace, filtered and ordered (newest first by default).',
    args: {
      filter: t.arg({ type: CustomerFilter, required: false }),
      orderBy: t.arg({ type: CustomerOrder, required: false }),
    },
    resolve: (query, _root, { filter, orderBy }, ctx) => {
      const ownerId = optionalRowId(filter?.ownerId, 'User', 'filter.ownerId');
      const teamId = optionalRowId(filter?.teamId, 'Team', 'filter.teamId');
      const where: Prisma.CustomerWhereInput = {
        ...(filter?.status ? { status: { in: filter.status } } : {}),
        ...(ownerId ? { ownerId } : {}),
        ...(teamId ? { owner: { teamId } } : {}),
        ...(filter?.region ? { region: { in: filter.region } } : {}),
        ...(filter?.channel ? { channel: { in: filter.channel } } : {}),
        ...(filter?.industry ? { industry: { in: filter.industry } } : {}),
        ...(filter?.createdAt ? { createdAt: dateRangeWhere(filter.createdAt) } : {}),
        ...(filter?.convertedAt ? { convertedAt: dateRangeWhere(filter.convertedAt) } : {}),
        ...(filter?.search ? { name: { contains: filter.search, mode: 'insensitive' } } : {}),
      };
      const direction = orderBy?.direction === 'DESC' ? 'desc' : 'asc';
      const order: Prisma.CustomerOrderByWithRelationInput[] = orderBy
        ? [{ [orderColumns[orderBy.field]]: direction }, { id: direction }]
        : [{ createdAt: 'desc' }, { id: 'desc' }];
      return ctx.prisma.customer.findMany({ ...query, where, orderBy: order });
    },
  }),
);

const CreateCustomerInput = builder.inputType('CreateCustomerInput', {
    fields: (t) => ({
      name: t.string({ required: true, validate: nameText }),
      industry: t.string({ required: true, validate: labelText }),
      region: t.string({ required: true, validate: regionCode }),
      channel: t.string({ required: true, validate: channelName }),
      ownerId: t.globalID({ required: false }),
      status: t.field({ type: CustomerStatusEnum, defaultValue: 'LEAD' }),
      externalId: t.string({ required: false, validate: labelText }),
      createdAt: t.field({ type: 'DateTime', required: false, description: 'Defaults to now.' }),
      qualifiedAt: t.field({ type: 'DateTime', required: false }),
    }),
});

const UpdateCustomerInput = builder.inputType('UpdateCustomerInput', {
  description: 'Fields to change; those left out stay as they are.',
  fields: (t) => ({
    name: t.string({ required: false, validate: nameText }),
    industry: t.string({ required: false, validate: labelText }),
    region: t.string({ required: false, validate: regionCode }),
    channel: t.string({ required: false, validate: channelName }),
    ownerId: t.globalID({ required: false }),
    qualifiedAt: t.field({ type: 'DateTime', required: false }),
  }),
});

builder.mutationField('createCustomer', (t) =>
  t.prismaField({
    type: 'Customer',
    description: 'Adds a lead or customer to the workspace.',
    args: { input: t.arg({ type: CreateCustomerInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const ownerId = optionalRowId(input.ownerId, 'User', 'input.ownerId');
      if (ownerId && !(await ctx.prisma.user.findUnique({ where: { id: ownerId }, select: { id: true } }))) {
        throw notFound('User', input.ownerId!.id);
      }
      const createdAt = input.createdAt ?? new Date();
      if (input.qualifiedAt && input.qualifiedAt < createdAt) {
        throw badUserInput({ field: 'input.qualifiedAt', message: 'must not be before createdAt.' });
      }
      if (input.status === 'CUSTOMER' || input.status === 'CHURNED') {
        throw badUserInput({ field: 'input.status', message: 'a customer becomes CUSTOMER by winning a deal (moveDealStage); create it as LEAD or PROSPECT.' });
      }
      return ctx.prisma.customer.create({
        ...query,
        data: {
          workspaceId: ctx.workspace.id,
          name: input.name,
          industry: input.industry,
          region: input.region,
          channel: input.channel,
          ownerId: ownerId ?? null,
          status: input.qualifiedAt ? 'PROSPECT' : (input.status ?? 'LEAD'),
          externalId: input.externalId ?? null,
          createdAt,
          qualifiedAt: input.qualifiedAt ?? null,
        },
      });
    },
  }),
);

builder.mutationField('updateCustomer', (t) =>
  t.prismaField({
    type: 'Customer',
    description: 'Changes a customer’s details. Status follows deals and churn, not this mutation.',
    args: {
      id: t.arg.globalID({ required: true }),
      input: t.arg({ type: UpdateCustomerInput, required: true }),
    },
    resolve: async (query, _root, { id, input }, ctx) => {
      const customerId = rowId(id, 'Customer', 'id');
      const existing = await ctx.prisma.customer.findUnique({ where: { id: customerId } });
      if (!existing) throw notFound('Customer', id.id);
      const ownerId = optionalRowId(input.ownerId, 'User', 'input.ownerId');
      if (ownerId && !(await ctx.prisma.user.findUnique({ where: { id: ownerId }, select: { id: true } }))) {
        throw notFound('User', input.ownerId!.id);
      }
      if (input.qualifiedAt && input.qualifiedAt < existing.createdAt) {
        throw badUserInput({ field: 'input.qualifiedAt', message: 'must not be before the customer’s createdAt.' });
      }
      return ctx.prisma.customer.update({
        ...query,
        where: { id: customerId },
        data: {
          ...(input.name ? { name: input.name } : {}),
          ...(input.industry ? { industry: input.industry } : {}),
          ...(input.region ? { region: input.region } : {}),
          ...(input.channel ? { channel: input.channel } : {}),
          ...(ownerId ? { ownerId } : {}),
          ...(input.qualifiedAt
            ? { qualifiedAt: input.qualifiedAt, ...(existing.status === 'LEAD' ? { status: 'PROSPECT' as const } : {}) }
            : {}),
        },
      });
    },
  }),
);

builder.mutationField('markCustomerChurned', (t) =>
  t.prismaField({
    type: 'Customer',
    description:
      'Records that a converted customer stopped buying: status CHURNED from `at`, which may not be before its last won deal. Winning a deal dated at or after the churn reactivates it (see moveDealStage).',
    args: {
      id: t.arg.globalID({ required: true }),
      at: t.arg({ type: 'DateTime', required: true }),
    },
    resolve: async (query, _root, { id, at }, ctx) => {
      const customerId = rowId(id, 'Customer', 'id');
      await ctx.prisma.$transaction(async (tx) => {
        // The same lock moveDealStage takes, so a win and a churn of one
        // customer never interleave.
        if (!(await lockRow(tx, 'Customer', ctx.workspace.id, customerId))) throw notFoundAt('id', 'Customer', id);
        const customer = await tx.customer.findUnique({ where: { id: customerId } });
        if (!customer) throw notFoundAt('id', 'Customer', id);
        if (customer.status === 'CHURNED') {
          throw badUserInput({ field: 'id', message: `the customer already churned${customer.churnedAt ? ` at ${customer.churnedAt.toISOString()}` : ''}.` });
        }
        if (!customer.convertedAt) {
          throw badUserInput({ field: 'id', message: 'only a converted customer (one with a won deal) can churn.' });
        }
        // Not before the last win either: a customer who won a deal after
        // the churn date was still buying (and that win would reactivate it).
        const lastWin = (await wonDealSpan(tx, ctx.workspace.id, customerId)).last;
        const floor = lastWin && lastWin > customer.convertedAt ? lastWin : customer.convertedAt;
        if (at < floor) {
          const what = floor === customer.convertedAt ? 'its convertedAt' : 'its last won deal closed';
          throw badUserInput({ field: 'at', message: `must not be before ${floor.toISOString()}, when ${what}.` });
        }
        await tx.customer.update({ where: { id: customerId }, data: { status: 'CHURNED', churnedAt: at } });
      });
      return ctx.prisma.customer.findUniqueOrThrow({ ...query, where: { id: customerId } });
    },
  }),
);
