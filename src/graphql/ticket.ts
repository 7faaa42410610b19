import { builder } from './builder.js';
import { TicketKindEnum } from './enums.js';
import { badUserInput } from './errors.js';
import { rowId } from './ids.js';
import { lockRow, notFoundAt, requireCustomer } from './lookups.js';
import { labelText } from '../records/rules.js';

export const TicketRef = builder.prismaNode('Ticket', {
  id: { field: 'id' },
  // Unknown and other workspaces' IDs resolve to null, not an error.
  nullable: true,
  description: 'A complaint, request or incident raised by a customer.',
  fields: (t) => ({
    kind: t.expose('kind', { type: TicketKindEnum }),
    subject: t.exposeString('subject'),
    openedAt: t.expose('openedAt', { type: 'DateTime' }),
    firstResponseAt: t.expose('firstResponseAt', { type: 'DateTime', nullable: true }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true }),
    customer: t.relation('customer', { nullable: true, description: 'Null when the customer belongs to another team than the API key’s.' }),
  }),
});

const TicketEventEnum = builder.enumType('TicketEvent', {
  description: 'What happened to a ticket; each happens once.',
  values: ['FIRST_RESPONSE', 'RESOLVED'] as const,
});

const OpenTicketInput = builder.inputType('OpenTicketInput', {
  fields: (t) => ({
    customerId: t.globalID({ required: true }),
    kind: t.field({ type: TicketKindEnum, required: true }),
    subject: t.string({ required: true, validate: labelText }),
    openedAt: t.field({ type: 'DateTime', required: true }),
  }),
});

builder.mutationField('openTicket', (t) =>
  t.prismaField({
    type: 'Ticket',
    description: 'Opens a support ticket for a customer.',
    args: { input: t.arg({ type: OpenTicketInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const customer = await requireCustomer(ctx.prisma, input.customerId, 'input.customerId');
      return ctx.prisma.ticket.create({
        ...query,
        data: { workspaceId: ctx.workspace.id, customerId: customer.id, kind: input.kind, subject: input.subject, openedAt: input.openedAt },
      });
    },
  }),
);

builder.mutationField('recordTicketEvent', (t) =>
  t.prismaField({
    type: 'Ticket',
    description:
      'Records a ticket’s first response or its resolution. Each happens once and in order: first response not before opening and not after the resolution, resolution not before the first response. A ticket may be resolved with no first response (auto-closed, merged, solved without a reply): it is stored as it is and left out of first_response_hours.',
    args: {
      id: t.arg.globalID({ required: true }),
      event: t.arg({ type: TicketEventEnum, required: true }),
      at: t.arg({ type: 'DateTime', required: true }),
    },
    resolve: async (query, _root, { id, event, at }, ctx) => {
      const ticketId = rowId(id, 'Ticket', 'id');
      await ctx.prisma.$transaction(async (tx) => {
        // Locked, so two agents answering at once cannot both be "first".
        if (!(await lockRow(tx, 'Ticket', ctx.workspace.id, ticketId))) throw notFoundAt('id', 'Ticket', id);
        const ticket = await tx.ticket.findUnique({ where: { id: ticketId } });
        if (!ticket) throw notFoundAt('id', 'Ticket', id);
        const already = event === 'FIRST_RESPONSE' ? ticket.firstResponseAt : ticket.resolvedAt;
        if (already) {
          throw badUserInput({ field: 'event', message: `${event} was already recorded for this ticket (at ${already.toISOString()}).` });
        }
        const floor = event === 'RESOLVED' && ticket.firstResponseAt ? ticket.firstResponseAt : ticket.openedAt;
        if (at < floor) {
          const what = floor === ticket.openedAt ? 'the ticket was opened' : 'its first response';
          throw badUserInput({ field: 'at', message: `must not be before ${floor.toISOString()}, when ${what}.` });
        }
        if (event === 'FIRST_RESPONSE' && ticket.resolvedAt && at > ticket.resolvedAt) {
          throw badUserInput({ field: 'at', message: `must not be after ${ticket.resolvedAt.toISOString()}, when the ticket was resolved.` });
        }
        // A resolution is stored as it is: a ticket closed without a reply has no first response.
        const data = event === 'FIRST_RESPONSE' ? { firstResponseAt: at } : { resolvedAt: at };
        await tx.ticket.update({ where: { id: ticketId }, data });
      });
      return ctx.prisma.ticket.findUniqueOrThrow({ ...query, where: { id: ticketId } });
    },
  }),
);
