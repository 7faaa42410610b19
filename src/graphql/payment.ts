import { builder } from './builder.js';
import { positiveMoney } from '../records/rules.js';
import { optionalDealOfCustomer, requireCustomer } from './lookups.js';

builder.prismaNode('Payment', {
  id: { field: 'id' },
  // Unknown and other workspaces' IDs resolve to null, not an error.
  nullable: true,
  description: 'Money received from a customer.',
  fields: (t) => ({
    amount: t.expose('amount', { type: 'Decimal' }),
    paidAt: t.expose('paidAt', { type: 'DateTime' }),
    customer: t.relation('customer', { nullable: true, description: 'Null when the customer belongs to another team than the API key’s.' }),
    deal: t.relation('deal', { nullable: true }),
  }),
});

const RecordPaymentInput = builder.inputType('RecordPaymentInput', {
  fields: (t) => ({
    customerId: t.globalID({ required: true }),
    dealId: t.globalID({ required: false, description: 'A deal of the same customer that the payment is for.' }),
    amount: t.field({ type: 'Decimal', required: true, validate: positiveMoney }),
    paidAt: t.field({ type: 'DateTime', required: true }),
  }),
});

builder.mutationField('recordPayment', (t) =>
  t.prismaField({
    type: 'Payment',
    description: 'Records money received from a customer, optionally for one of its deals.',
    args: { input: t.arg({ type: RecordPaymentInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const customer = await requireCustomer(ctx.prisma, input.customerId, 'input.customerId');
      const dealId = await optionalDealOfCustomer(ctx.prisma, input.dealId, customer.id, 'input.dealId');
      return ctx.prisma.payment.create({
        ...query,
        data: { workspaceId: ctx.workspace.id, customerId: customer.id, dealId, amount: input.amount, paidAt: input.paidAt },
      });
    },
  }),
);
