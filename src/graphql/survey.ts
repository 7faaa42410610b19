import type { SurveyKind } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { SurveyKindEnum } from './enums.js';
import { badUserInput } from './errors.js';
import { noteText } from '../records/rules.js';
import { requireCustomer } from './lookups.js';

/** The score scale of each survey kind (both ends inclusive). */
const scales: Record<SurveyKind, { min: number; max: number }> = {
  NPS: { min: 0, max: 10 },
  CSAT: { min: 1, max: 5 },
};

export const SurveyResponseRef = builder.prismaNode('SurveyResponse', {
  id: { field: 'id' },
  // Unknown and other workspaces' IDs resolve to null, not an error.
  nullable: true,
  description: 'One answer to an NPS (0–10) or CSAT (1–5) survey.',
  fields: (t) => ({
    kind: t.expose('kind', { type: SurveyKindEnum }),
    score: t.exposeInt('score'),
    answeredAt: t.expose('answeredAt', { type: 'DateTime' }),
    comment: t.exposeString('comment', { nullable: true }),
    customer: t.relation('customer', { nullable: true, description: 'Null when the customer belongs to another team than the API key’s.' }),
  }),
});

const RecordSurveyResponseInput = builder.inputType('RecordSurveyResponseInput', {
  fields: (t) => ({
    customerId: t.globalID({ required: true }),
    kind: t.field({ type: SurveyKindEnum, required: true }),
    score: t.int({ required: true, description: 'NPS: 0–10; CSAT: 1–5.' }),
    answeredAt: t.field({ type: 'DateTime', required: true }),
    comment: t.string({ required: false, validate: noteText }),
  }),
});

builder.mutationField('recordSurveyResponse', (t) =>
  t.prismaField({
    type: 'SurveyResponse',
    description: 'Records a customer’s answer to an NPS or CSAT survey.',
    args: { input: t.arg({ type: RecordSurveyResponseInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const scale = scales[input.kind];
      if (input.score < scale.min || input.score > scale.max) {
        throw badUserInput({
          field: 'input.score',
          message: `must be between ${scale.min} and ${scale.max} for ${input.kind} (NPS scores run 0–10, CSAT scores 1–5); got ${input.score}.`,
        });
      }
      const customer = await requireCustomer(ctx.prisma, input.customerId, 'input.customerId');
      return ctx.prisma.surveyResponse.create({
        ...query,
        data: {
          workspaceId: ctx.workspace.id,
          customerId: customer.id,
          kind: input.kind,
          score: input.score,
          answeredAt: input.answeredAt,
          comment: input.comment ?? null,
        },
      });
    },
  }),
);
