import { GraphQLError } from 'graphql';
import type { DealStage, Prisma } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { DealStageEnum } from './enums.js';
import { badUserInput } from './errors.js';
import { rowId } from './ids.js';
import { reasonText } from '../records/rules.js';
import { lockRow, notFoundAt, wonDealSpan } from './lookups.js';

const closedStages: ReadonlySet<DealStage> = new Set(['WON', 'LOST']);

/**
 * Brings a customer in line with its won deals after a deal was won
 * (`winAt` set) or un-won (`winAt` null). The invariant kept: convertedAt is
 * the earliest closedAt of the customer's won deals, and a CHURNED
 * customer has no won deal closed after its churnedAt.
 */
async function syncCustomerWithWins(
  tx: Prisma.TransactionClient,
  workspaceId: number,
  customerId: number,
  winAt: Date | null,
): Promise<void> {
  // Deal first, then customer, in every writer: concurrent moves of two deals
  // of one customer cannot deadlock, and each sees the other's win.
  await lockRow(tx, 'Customer', workspaceId, customerId);
  const customer = await tx.customer.findUnique({ where: { id: customerId } });
  if (!customer) {
    // The deal is the key's team's, its customer another team's: winning
    // would change a record the key may not write, so nothing changes.
    throw new GraphQLError('This deal’s customer belongs to another team; a key limited to your team cannot win or un-win it.', {
      extensions: { code: 'FORBIDDEN' },
    });
  }
  const convertedAt = (await wonDealSpan(tx, workspaceId, customerId)).first;
  let data: Prisma.CustomerUncheckedUpdateInput;
  if (winAt) {
    // A churned customer who wins a deal dated at or after the churn bought
    // again: reactivated (CUSTOMER, churnedAt cleared). A back-dated win from
    // before the churn leaves the churn standing; it may only move
    // convertedAt earlier.
    const reactivates = customer.status !== 'CHURNED' || !customer.churnedAt || winAt >= customer.churnedAt;
    data = { convertedAt, ...(reactivates ? { status: 'CUSTOMER', churnedAt: null } : {}) };
  } else if (!convertedAt) {
    // Its only win was taken back: it never became a customer, so it cannot
    // have churned either.
    data = { convertedAt: null, churnedAt: null, status: customer.qualifiedAt ? 'PROSPECT' : 'LEAD' };
  } else {
    // Other wins remain: conversion moves to the earliest of them; a churn
    // stays valid because it already followed every remaining win.
    data = { convertedAt, ...(customer.status === 'CHURNED' ? {} : { status: 'CUSTOMER' }) };
  }
  await tx.customer.update({ where: { id: customerId }, data });
}

builder.mutationField('moveDealStage', (t) =>
  t.prismaField({
    type: 'Deal',
    description:
      'Moves a deal to another stage and records the stage event, in one transaction. WON and LOST set closedAt; moving a closed deal back to an open stage clears it. LOST needs a lostReason. Winning or un-winning a deal updates the customer’s convertedAt and status.',
    args: {
      id: t.arg.globalID({ required: true }),
      stage: t.arg({ type: DealStageEnum, required: true }),
      at: t.arg({ type: 'DateTime', required: false, description: 'When the move happened; defaults to now. Not before the deal’s last stage event.' }),
      lostReason: t.arg.string({ required: false, validate: reasonText, description: 'Required for LOST, refused otherwise.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const dealId = rowId(args.id, 'Deal', 'id');
      if (args.stage === 'LOST' && !args.lostReason) {
        throw badUserInput({ field: 'lostReason', message: 'is required when a deal moves to LOST.' });
      }
      if (args.stage !== 'LOST' && args.lostReason) {
        throw badUserInput({ field: 'lostReason', message: 'may only be given when a deal moves to LOST.' });
      }
      const workspaceId = ctx.workspace.id;
      await ctx.prisma.$transaction(
        async (tx) => {
          // The row lock serialises concurrent moves of one deal, so every
          // event's fromStage is the stage the previous event left it in.
          if (!(await lockRow(tx, 'Deal', workspaceId, dealId))) throw notFoundAt('id', 'Deal', args.id);
          // "Now" is taken once the lock is held, so moves queued behind
          // another one are never dated before it.
          const at = args.at ?? new Date();
          const deal = await tx.deal.findUnique({ where: { id: dealId } });
          if (!deal) throw notFoundAt('id', 'Deal', args.id);
          if (deal.stage === args.stage) {
            throw badUserInput({ field: 'stage', message: `the deal is already at ${deal.stage}; choose another stage.` });
          }
          const last = await tx.dealStageEvent.findFirst({ where: { dealId }, orderBy: [{ at: 'desc' }, { id: 'desc' }] });
          const floor = last && last.at > deal.createdAt ? last.at : deal.createdAt;
          if (at < floor) {
            throw badUserInput({
              field: 'at',
              message: `must not be before ${floor.toISOString()}, the deal’s last stage change (or its creation).`,
            });
          }
          const closing = closedStages.has(args.stage);
          await tx.deal.update({
            where: { id: dealId },
            data: {
              stage: args.stage,
              closedAt: closing ? at : null,
              lostReason: args.stage === 'LOST' ? (args.lostReason ?? null) : null,
            },
          });
          await tx.dealStageEvent.create({ data: { workspaceId, dealId, fromStage: deal.stage, toStage: args.stage, at } });
          if (args.stage === 'WON' || deal.stage === 'WON') {
            await syncCustomerWithWins(tx, workspaceId, deal.customerId, args.stage === 'WON' ? at : null);
          }
        },
        // Concurrent moves of one deal queue on its lock; let them wait.
        { maxWait: 10_000, timeout: 20_000 },
      );
      return ctx.prisma.deal.findUniqueOrThrow({ ...query, where: { id: dealId } });
    },
  }),
);
