import { builder } from './builder.js';
import { ActivityTypeEnum } from './enums.js';
import { noteText } from '../records/rules.js';
import { optionalDealOfCustomer, optionalUserId, requireCustomer } from './lookups.js';

export const ActivityRef = builder.prismaNode('Activity', {
  id: { field: 'id' },
  // Unknown and other workspaces' IDs resolve to null, not an error.
  nullable: true,
  description: 'A call, email, meeting or visit with a customer.',
  fields: (t) => ({
    type: t.expose('type', { type: ActivityTypeEnum }),
    at: t.expose('at', { type: 'DateTime' }),
    note: t.exposeString('note', { nullable: true }),
    user: t.relation('user', { nullable: true }),
    customer: t.relation('customer', { nullable: true, description: 'Null when the customer belongs to another team than the API key’s.' }),
    deal: t.relation('deal', { nullable: true }),
  }),
});

const RecordActivityInput = builder.inputType('RecordActivityInput', {
  fields: (t) => ({
    type: t.field({ type: ActivityTypeEnum, required: true }),
    userId: t.globalID({ required: false, description: 'Who did it.' }),
    customerId: t.globalID({ required: true }),
    dealId: t.globalID({ required: false, description: 'A deal of the same customer that the activity was about.' }),
    at: t.field({ type: 'DateTime', required: true }),
    note: t.string({ required: false, validate: noteText }),
  }),
});

builder.mutationField('recordActivity', (t) =>
  t.prismaField({
    type: 'Activity',
    description: 'Records a call, email, meeting or visit.',
    args: { input: t.arg({ type: RecordActivityInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const customer = await requireCustomer(ctx.prisma, input.customerId, 'input.customerId');
      const dealId = await optionalDealOfCustomer(ctx.prisma, input.dealId, customer.id, 'input.dealId');
      const userId = (await optionalUserId(ctx.prisma, input.userId, 'input.userId')) ?? null;
      return ctx.prisma.activity.create({
        ...query,
        data: {
          workspaceId: ctx.workspace.id,
          type: input.type,
          userId,
          customerId: customer.id,
          dealId,
          at: input.at,
          note: input.note ?? null,
        },
      });
    },
  }),
);
