import { fromCivil } from '../time/time-zone.js';
import { builder } from './builder.js';
import { SpendCategoryEnum } from './enums.js';
import { calendarDay, channelName, moneyAmount } from '../records/rules.js';
import { optionalCampaignId } from './lookups.js';

export const SpendRef = builder.prismaNode('Spend', {
  id: { field: 'id' },
  // Unknown and other workspaces' IDs resolve to null, not an error.
  nullable: true,
  description: 'Money spent on marketing or sales on one day.',
  fields: (t) => ({
    category: t.expose('category', { type: SpendCategoryEnum }),
    channel: t.exposeString('channel', { nullable: true }),
    date: t.expose('date', { type: 'DateTime', description: 'The start of the day, in the workspace’s time zone.' }),
    amount: t.expose('amount', { type: 'Decimal' }),
    campaign: t.relation('campaign', { nullable: true }),
  }),
});

const RecordSpendInput = builder.inputType('RecordSpendInput', {
  fields: (t) => ({
    category: t.field({ type: SpendCategoryEnum, required: true }),
    channel: t.string({ required: false, validate: channelName }),
    campaignId: t.globalID({ required: false }),
    // A calendar day rather than an instant: "2026-03-01" must mean that day
    // where the workspace is, which UTC midnight is not east of Greenwich.
    date: t.string({ required: true, validate: calendarDay, description: 'The day, YYYY-MM-DD, in the workspace’s time zone.' }),
    amount: t.field({ type: 'Decimal', required: true, validate: moneyAmount }),
  }),
});

builder.mutationField('recordSpend', (t) =>
  t.prismaField({
    type: 'Spend',
    description: 'Records a day’s marketing or sales spend, optionally for a channel or campaign.',
    args: { input: t.arg({ type: RecordSpendInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const campaignId = (await optionalCampaignId(ctx.prisma, input.campaignId, 'input.campaignId')) ?? null;
      const [year, month, day] = input.date.split('-').map(Number) as [number, number, number];
      return ctx.prisma.spend.create({
        ...query,
        data: {
          workspaceId: ctx.workspace.id,
          category: input.category,
          channel: input.channel ?? null,
          campaignId,
          date: fromCivil({ year, month, day }, ctx.workspace.timeZone),
          amount: input.amount,
        },
      });
    },
  }),
);
