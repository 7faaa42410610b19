/**
 * createGoalsFromTemplate: the catalogue's default goals for a lifecycle
 * stage, for one owner, scope and period, created all or nothing.
 */
import type { Goal } from '../generated/prisma/client.js';
import type { SkippedKpi } from '../goals/templates.js';
import { templateGoals } from '../goals/templates.js';
import { builder } from './builder.js';
import { GoalOwnerInput } from './goal-owner.js';
import { badUserInput } from './errors.js';
import { checkScopeIds, ownerInput, periodInput, scopeInput, validateDraft } from './goal-inputs.js';
import { GoalRef } from './goal.js';
import type { PeriodArg } from './kpi-inputs.js';
import { KpiFilterInputRef, LifecycleStageEnum, PeriodInputRef } from './kpi-inputs.js';

const GoalTemplateInput = builder.inputType('GoalTemplateInput', {
  description: 'Give exactly one of ownerId and teamId.',
  fields: (t) => ({
    stage: t.field({ type: LifecycleStageEnum, required: true }),
    period: t.field({ type: PeriodInputRef, required: true }),
    scope: t.field({ type: KpiFilterInputRef, required: false, description: 'E.g. { region: ["DE"] }; KPIs that cannot be filtered so are skipped.' }),
    owner: t.field({ type: GoalOwnerInput, required: false, description: 'Who owns the goals.' }),
    ownerId: t.globalID({ required: false, deprecationReason: 'Use owner: { userId }.' }),
    teamId: t.globalID({ required: false, deprecationReason: 'Use owner: { teamId }.' }),
  }),
});

const SkippedKpiRef = builder.objectRef<SkippedKpi>('SkippedKpi').implement({
  description: 'A KPI of the template that got no goal, and why.',
  fields: (t) => ({ kpiKey: t.exposeString('kpiKey'), reason: t.exposeString('reason') }),
});

const GoalTemplatePayloadRef = builder.objectRef<{ goals: Goal[]; skipped: SkippedKpi[] }>('GoalTemplatePayload').implement({
  fields: (t) => ({
    goals: t.field({ type: [GoalRef], resolve: (p) => p.goals }),
    skipped: t.field({ type: [SkippedKpiRef], resolve: (p) => p.skipped }),
  }),
});

builder.mutationField('createGoalsFromTemplate', (t) =>
  t.field({
    type: GoalTemplatePayloadRef,
    description:
      'Creates, in one transaction, a goal for every KPI recommended for the stage that has a default target (the stage’s own when it has one), scaled to the period (100 valid leads a month is 300 a quarter). Baselines come from the previous period. KPIs that cannot take the scope are listed as skipped.',
    args: { input: t.arg({ type: GoalTemplateInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const period = periodInput(ctx, input.period as PeriodArg, 'input.period');
      const owner = await ownerInput(ctx, input, 'input');
      const scope = scopeInput(input.scope, 'input');
      await checkScopeIds(ctx, scope, 'input');
      const { drafts, skipped } = templateGoals(ctx.registry, input.stage, period, scope, ctx.workspace.timeZone);
      if (drafts.length === 0) {
        throw badUserInput({
          field: 'input.scope',
          message: `no KPI of the ${input.stage} stage with a default target can take this scope${skipped.length > 0 ? ` (${skipped.map((s) => `${s.kpiKey} ${s.reason}`).join('; ')})` : ''}.`,
        });
      }
      // Validation and baselines of all drafts at once: the engine batches the baselines.
      const rows = await Promise.all(
        drafts.map((draft) =>
          validateDraft(ctx, {
            kpiKey: draft.definition.key,
            target: draft.target.toDecimalPlaces(6),
            stretchTarget: null,
            period,
            owner,
            scope,
            pacing: null,
            parentId: null,
            params: {},
            description: draft.description,
            rationale: draft.rationale,
            baseline: undefined,
          }),
        ),
      );
      const goals = await ctx.prisma.$transaction((tx) =>
        tx.goal.createManyAndReturn({ data: rows.map(({ data }) => ({ ...data, workspaceId: ctx.workspace.id })) }),
      );
      return { goals, skipped };
    },
  }),
);
