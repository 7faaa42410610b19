import type { CellValues, KpiResult } from '../src/kpi/sdk.js';
import { batchCells, defineKpi, missingGroupKey, periodArrays, ratio, z } from '../src/kpi/sdk.js';

interface Row {
  pi: number;
  gk: string | null;
  payers: number;
  repeaters: number;
}

export default defineKpi({
  key: 'repurchase_rate',
  name: 'Repurchase rate',
  description: 'Of the customers with at least one payment in the period, the share with two or more.',
  unit: 'percent',
  direction: 'higher',
  stages: ['mature'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry'],
  params: z.object({}),
  compute: async (cells, ctx) => {
    const out: CellValues[] = new Array<CellValues>(cells.length);
    for (const batch of batchCells(cells)) {
      const { starts, ends } = periodArrays(batch.cells);
      const params: unknown[] = [starts, ends];
      const scope = ctx.scope('payments', 'p', batch, params);
      const rows = await ctx.query<Row>(
        `WITH per AS (
  SELECT e.i, ${scope.groupExpression} AS gk, p."customerId", count(*) AS n
  FROM unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY AS e(s, en, i)
  JOIN {{payments}} p ON p."paidAt" >= e.s AND p."paidAt" < e.en
  ${scope.joins}
  WHERE ${scope.where}
  GROUP BY 1, 2, 3
)
SELECT (i - 1)::int AS pi, gk, count(*)::int AS payers, (count(*) FILTER (WHERE n >= 2))::int AS repeaters
FROM per GROUP BY 1, 2`,
        params,
      );
      batch.cells.forEach((cell, i) => {
        const values = new Map<string, KpiResult>();
        for (const row of rows.filter((r) => r.pi === i)) {
          values.set(row.gk ?? missingGroupKey, ratio(row.repeaters, row.payers, 'the number of paying customers'));
        }
        if (cell.groupBy === null && values.size === 0) values.set('*', ratio(0, 0, 'the number of paying customers'));
        out[batch.indices[i]!] = values;
      });
    }
    return out;
  },
});
