import type { CellValues, KpiResult } from '../src/kpi/sdk.js';
import { KpiInputError, batchCells, defineKpi, missingGroupKey, ratio, z } from '../src/kpi/sdk.js';

const stages = ['LEAD', 'QUALIFIED', 'NEEDS_ANALYSIS', 'PROPOSAL', 'NEGOTIATION', 'WON', 'LOST'] as const;
/** The stages an open deal normally sits in, always reported when grouping by stage. */
const openStages = stages.slice(0, 5);

interface Row {
  pi: number;
  gk: string | null;
  st: string;
  n: number;
}

export default defineKpi({
  key: 'stage_share',
  name: 'Stage share (bottleneck)',
  description:
    "Of the deals open at the end of the period (created before it, not closed before it), the share in a stage; a deal's stage at a time is the stage its last move before that time entered. Group by stage for one value per stage, or pass the stage.",
  unit: 'percent',
  direction: 'none',
  stages: ['growth'],
  dimensions: ['stage', 'team', 'owner', 'channel', 'region', 'industry', 'productLine', 'dealType', 'campaign'],
  params: z.object({
    stage: z.enum(stages).optional().describe('The stage whose share is asked for; not needed when grouping by stage'),
  }),
  compute: async (cells, ctx) => {
    const out: (CellValues | Error)[] = new Array<CellValues | Error>(cells.length);
    for (const batch of batchCells(cells)) {
      const params: unknown[] = [batch.cells.map((cell) => cell.period.end.toISOString())];
      const scope = ctx.scope('deals', 'd', batch, params, { skip: ['stage'] });
      const stageFilter = batch.filter.stage;
      const stageCondition = stageFilter ? `WHERE st = ANY($${params.push([...stageFilter])}::text[])` : '';
      // Without a move before t, the stage left by the first move after t;
      // without any moves, the deal's current stage.
      const rows = await ctx.query<Row>(
        `WITH open AS (
  SELECT e.i, ${scope.groupExpression} AS gk, coalesce(
    (SELECT ev."toStage"::text FROM {{stageEvents}} ev WHERE ev."dealId" = d.id AND ev.at < e.at ORDER BY ev.at DESC, ev.id DESC LIMIT 1),
    (SELECT ev."fromStage"::text FROM {{stageEvents}} ev WHERE ev."dealId" = d.id AND ev.at >= e.at ORDER BY ev.at, ev.id LIMIT 1),
    d.stage::text) AS st
  FROM unnest($1::timestamptz[]) WITH ORDINALITY AS e(at, i)
  JOIN {{deals}} d ON d."createdAt" < e.at AND (d."closedAt" IS NULL OR d."closedAt" >= e.at)
  ${scope.joins}
  WHERE ${scope.where}
)
SELECT (i - 1)::int AS pi, gk, st, count(*)::int AS n FROM open ${stageCondition} GROUP BY 1, 2, 3`,
        params,
      );
      batch.cells.forEach((cell, i) => {
        const mine = rows.filter((r) => r.pi === i);
        const what = 'the number of open deals';
        if (cell.groupBy === 'stage') {
          const total = mine.reduce((n, r) => n + r.n, 0);
          const present = new Set([...openStages, ...mine.map((r) => r.st)]);
          const values = new Map<string, KpiResult>();
          for (const stage of stages.filter((s) => present.has(s))) {
            values.set(stage, ratio(mine.filter((r) => r.st === stage).reduce((n, r) => n + r.n, 0), total, what));
          }
          out[batch.indices[i]!] = values;
          return;
        }
        const stage = cell.params.stage;
        if (!stage) {
          out[batch.indices[i]!] = new KpiInputError('params.stage', 'stage_share needs params.stage unless grouped by stage.');
          return;
        }
        const groups = new Map<string, { total: number; inStage: number }>();
        if (cell.groupBy === null) groups.set('*', { total: 0, inStage: 0 });
        for (const row of mine) {
          const key = row.gk ?? missingGroupKey;
          const group = groups.get(key) ?? { total: 0, inStage: 0 };
          group.total += row.n;
          if (row.st === stage) group.inStage += row.n;
          groups.set(key, group);
        }
        out[batch.indices[i]!] = new Map([...groups].sort(([a], [b]) => a.localeCompare(b)).map(([key, g]) => [key, ratio(g.inStage, g.total, what)]));
      });
    }
    return out;
  },
});
