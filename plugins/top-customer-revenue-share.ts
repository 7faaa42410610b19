import type { CellValues, KpiResult } from '../src/kpi/sdk.js';
import { Decimal, batchCells, defineKpi, missingGroupKey, periodArrays, ratio, z } from '../src/kpi/sdk.js';

interface Row {
  pi: number;
  gk: string | null;
  m: string;
}

export default defineKpi({
  key: 'top_customer_revenue_share',
  name: 'Revenue share of top customers',
  description:
    'Payments in the period from the top N % of paying customers (by their payments in the period, rounded up to whole customers) divided by all payments in the period.',
  unit: 'percent',
  direction: 'none',
  stages: ['mature'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry'],
  params: z.object({
    percent: z.number().gt(0).lte(100).default(20).describe('N: the share of paying customers counted as top, in percent'),
  }),
  compute: async (cells, ctx) => {
    const out: CellValues[] = new Array<CellValues>(cells.length);
    for (const batch of batchCells(cells)) {
      const { starts, ends } = periodArrays(batch.cells);
      const params: unknown[] = [starts, ends];
      const scope = ctx.scope('payments', 'p', batch, params);
      // One row per period, group and paying customer; the top-N cut depends
      // on each cell's percent, so it is made here rather than in SQL.
      const rows = await ctx.query<Row>(
        `SELECT (e.i - 1)::int AS pi, ${scope.groupExpression} AS gk, p."customerId" AS id, sum(p.amount)::text AS m
FROM unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY AS e(s, en, i)
JOIN {{payments}} p ON p."paidAt" >= e.s AND p."paidAt" < e.en
${scope.joins}
WHERE ${scope.where}
GROUP BY 1, 2, 3`,
        params,
      );
      const byPeriod = new Map<number, Map<string, Decimal[]>>();
      for (const row of rows) {
        const groups = byPeriod.get(row.pi) ?? new Map<string, Decimal[]>();
        byPeriod.set(row.pi, groups);
        const key = row.gk ?? missingGroupKey;
        groups.set(key, [...(groups.get(key) ?? []), new Decimal(row.m)]);
      }
      batch.cells.forEach((cell, i) => {
        const groups = byPeriod.get(i) ?? new Map<string, Decimal[]>();
        if (cell.groupBy === null && groups.size === 0) groups.set('*', []);
        const values = new Map<string, KpiResult>();
        for (const [key, amounts] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
          const sorted = [...amounts].sort((a, b) => b.comparedTo(a));
          const top = new Decimal(cell.params.percent).mul(sorted.length).div(100).ceil().toNumber();
          const topSum = sorted.slice(0, top).reduce((sum, amount) => sum.plus(amount), new Decimal(0));
          const total = sorted.reduce((sum, amount) => sum.plus(amount), new Decimal(0));
          values.set(key, { ...ratio(topSum, total, 'the sum of payments'), sampleSize: sorted.length });
        }
        out[batch.indices[i]!] = values;
      });
    }
    return out;
  },
});
