import type { CellValues, KpiResult } from '../src/kpi/sdk.js';
import { batchCells, defineKpi, missingGroupKey, periodArrays, ratio, z } from '../src/kpi/sdk.js';

/** The funnel in order; LOST is not a later stage of anything. */
const funnel = ['LEAD', 'QUALIFIED', 'NEEDS_ANALYSIS', 'PROPOSAL', 'NEGOTIATION', 'WON'] as const;

interface Row {
  pi: number;
  gk: string | null;
  entered: number;
  advanced: number;
}

export default defineKpi({
  key: 'stage_conversion',
  name: 'Stage-to-stage conversion',
  description:
    'Of the deals that entered stage S in the period, the share that later (at any time since) entered a later stage of the funnel lead → qualified → needs analysis → proposal → negotiation → won.',
  unit: 'percent',
  direction: 'higher',
  stages: ['growth'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry', 'productLine', 'dealType', 'campaign'],
  params: z.object({
    stage: z.enum(['LEAD', 'QUALIFIED', 'NEEDS_ANALYSIS', 'PROPOSAL', 'NEGOTIATION']).describe('S: the stage whose entrants are followed'),
  }),
  compute: async (cells, ctx) => {
    const out: CellValues[] = new Array<CellValues>(cells.length);
    for (const batch of batchCells(cells, (cell) => cell.params.stage)) {
      const stage = batch.cells[0]!.params.stage;
      const later = funnel.slice(funnel.indexOf(stage) + 1);
      const { starts, ends } = periodArrays(batch.cells);
      const params: unknown[] = [starts, ends, stage, later];
      const scope = ctx.scope('stageEvents', 'ev', batch, params);
      // A deal entering S twice in a period counts once, from its first entry.
      const rows = await ctx.query<Row>(
        `WITH entered AS (
  SELECT e.i, ev."dealId" AS deal, ${scope.groupExpression} AS gk, min(ev.at) AS at
  FROM unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY AS e(s, en, i)
  JOIN {{stageEvents}} ev ON ev.at >= e.s AND ev.at < e.en AND ev."toStage"::text = $3::text
  ${scope.joins}
  WHERE ${scope.where}
  GROUP BY 1, 2, 3
)
SELECT (i - 1)::int AS pi, gk, count(*)::int AS entered,
  (count(*) FILTER (WHERE EXISTS (
    SELECT 1 FROM {{stageEvents}} nxt
    WHERE nxt."dealId" = entered.deal AND nxt."toStage"::text = ANY($4::text[]) AND nxt.at >= entered.at
  )))::int AS advanced
FROM entered GROUP BY 1, 2`,
        params,
      );
      batch.cells.forEach((cell, i) => {
        const values = new Map<string, KpiResult>();
        for (const row of rows.filter((r) => r.pi === i)) {
          values.set(row.gk ?? missingGroupKey, ratio(row.advanced, row.entered, `the number of deals entering ${stage}`));
        }
        if (cell.groupBy === null && values.size === 0) values.set('*', ratio(0, 0, `the number of deals entering ${stage}`));
        out[batch.indices[i]!] = values;
      });
    }
    return out;
  },
});
