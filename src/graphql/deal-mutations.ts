import type { Prisma } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { DealTypeEnum } from './enums.js';
import { badUserInput } from './errors.js';
import { rowId } from './ids.js';
import { notNull, optionalCampaignId, optionalUserId, requireCustomer, requireDeal, uniqueViolation } from './lookups.js';
import { labelText, moneyAmount, nameText } from '../records/rules.js';

const CreateDealInput = builder.inputType('CreateDealInput', {
  fields: (t) => ({
    customerId: t.globalID({ required: true }),
    ownerId: t.globalID({ required: false, description: 'Defaults to the customer’s owner.' }),
    title: t.string({ required: true, validate: nameText }),
    amount: t.field({ type: 'Decimal', required: true, validate: moneyAmount }),
    type: t.field({ type: DealTypeEnum, defaultValue: 'NEW' }),
    productLine: t.string({ required: true, validate: labelText }),
    campaignId: t.globalID({ required: false }),
    externalId: t.string({ required: false, validate: labelText }),
    createdAt: t.field({ type: 'DateTime', required: false, description: 'Defaults to now.' }),
    expectedCloseAt: t.field({ type: 'DateTime', required: false, description: 'Not before createdAt.' }),
  }),
});

const UpdateDealInput = builder.inputType('UpdateDealInput', {
  description:
    'Fields to change; those left out stay as they are. ownerId, campaignId and expectedCloseAt may be set to null to clear them. The stage changes only through moveDealStage.',
  fields: (t) => ({
    title: t.string({ required: false, validate: nameText }),
    amount: t.field({ type: 'Decimal', required: false, validate: moneyAmount }),
    type: t.field({ type: DealTypeEnum, required: false }),
    productLine: t.string({ required: false, validate: labelText }),
    ownerId: t.globalID({ required: false }),
    campaignId: t.globalID({ required: false }),
    expectedCloseAt: t.field({ type: 'DateTime', required: false }),
  }),
});

builder.mutationField('createDeal', (t) =>
  t.prismaField({
    type: 'Deal',
    description: 'Opens a deal at stage LEAD and records that first stage event, in one transaction.',
    args: { input: t.arg({ type: CreateDealInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const customer = await requireCustomer(ctx.prisma, input.customerId, 'input.customerId');
      // A deal without an owner would fall out of every per-rep and per-team
      // KPI, so it inherits the customer's owner unless one is named.
      const ownerId = (await optionalUserId(ctx.prisma, input.ownerId, 'input.ownerId')) ?? customer.ownerId;
      const campaignId = (await optionalCampaignId(ctx.prisma, input.campaignId, 'input.campaignId')) ?? null;
      const createdAt = input.createdAt ?? new Date();
      if (input.expectedCloseAt && input.expectedCloseAt < createdAt) {
        throw badUserInput({ field: 'input.expectedCloseAt', message: `must not be before createdAt (${createdAt.toISOString()}).` });
      }
      const workspaceId = ctx.workspace.id;
      const dealId = await ctx.prisma
        .$transaction(async (tx) => {
          const deal = await tx.deal.create({
            data: {
              workspaceId,
              customerId: customer.id,
              ownerId,
              title: input.title,
              amount: input.amount,
              type: input.type ?? 'NEW',
              productLine: input.productLine,
              campaignId,
              externalId: input.externalId ?? null,
              createdAt,
              expectedCloseAt: input.expectedCloseAt ?? null,
            },
            select: { id: true },
          });
          await tx.dealStageEvent.create({ data: { workspaceId, dealId: deal.id, fromStage: null, toStage: 'LEAD', at: createdAt } });
          return deal.id;
        })
        .catch(uniqueViolation('input.externalId', 'is already used by another deal of this workspace.'));
      // Read after commit, so that the selection (stage history included) sees both rows.
      return ctx.prisma.deal.findUniqueOrThrow({ ...query, where: { id: dealId } });
    },
  }),
);

builder.mutationField('updateDeal', (t) =>
  t.prismaField({
    type: 'Deal',
    description: 'Changes a deal’s details. To change its stage, use moveDealStage.',
    args: {
      id: t.arg.globalID({ required: true }),
      input: t.arg({ type: UpdateDealInput, required: true }),
    },
    resolve: async (query, _root, { id, input }, ctx) => {
      const dealId = rowId(id, 'Deal', 'id');
      const title = notNull(input.title, 'input.title');
      const amount = notNull(input.amount, 'input.amount');
      const type = notNull(input.type, 'input.type');
      const productLine = notNull(input.productLine, 'input.productLine');
      const deal = await requireDeal(ctx.prisma, id, 'id');
      const ownerId = await optionalUserId(ctx.prisma, input.ownerId, 'input.ownerId');
      const campaignId = await optionalCampaignId(ctx.prisma, input.campaignId, 'input.campaignId');
      if (input.expectedCloseAt && input.expectedCloseAt < deal.createdAt) {
        throw badUserInput({
          field: 'input.expectedCloseAt',
          message: `must not be before the deal’s createdAt (${deal.createdAt.toISOString()}).`,
        });
      }
      const data: Prisma.DealUncheckedUpdateInput = {
        ...(title !== undefined ? { title } : {}),
        ...(amount !== undefined ? { amount } : {}),
        ...(type !== undefined ? { type } : {}),
        ...(productLine !== undefined ? { productLine } : {}),
        ...(ownerId !== undefined ? { ownerId } : {}),
        ...(campaignId !== undefined ? { campaignId } : {}),
        ...(input.expectedCloseAt !== undefined ? { expectedCloseAt: input.expectedCloseAt } : {}),
      };
      return ctx.prisma.deal.update({ ...query, where: { id: dealId }, data });
    },
  }),
);
