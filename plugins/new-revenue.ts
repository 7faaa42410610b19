import type { CellValues, KpiResult } from '../src/kpi/sdk.js';
import { Decimal, batchCells, defineKpi, missingGroupKey, periodArrays, z } from '../src/kpi/sdk.js';

interface Row {
  pi: number;
  gk: string | null;
  total: string;
  n: number;
}

export default defineKpi({
  key: 'new_revenue',
  name: 'New revenue',
  description:
    'Payments in the period from customers converted at most N calendar months before the payment (paidAt − N months ≤ convertedAt ≤ paidAt, months counted in the workspace time zone).',
  unit: 'money',
  direction: 'higher',
  stages: ['growth'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry', 'productLine', 'dealType', 'campaign'],
  params: z.object({
    months: z.number().int().min(0).max(120).default(6).describe('N: how many calendar months after conversion revenue counts as new'),
  }),
  compute: async (cells, ctx) => {
    const out: CellValues[] = new Array<CellValues>(cells.length);
    for (const batch of batchCells(cells, (cell) => cell.params.months)) {
      const { starts, ends } = periodArrays(batch.cells);
      const params: unknown[] = [starts, ends, ctx.timeZone, batch.cells[0]!.params.months];
      const scope = ctx.scope('payments', 'p', batch, params);
      // Calendar months on the local wall clock: 31 August − 6 months is 28/29 February.
      const rows = await ctx.query<Row>(
        `SELECT (e.i - 1)::int AS pi, ${scope.groupExpression} AS gk, coalesce(sum(p.amount), 0)::text AS total, count(*)::int AS n
FROM unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY AS e(s, en, i)
JOIN {{payments}} p ON p."paidAt" >= e.s AND p."paidAt" < e.en
JOIN {{customers}} conv ON conv.id = p."customerId"
${scope.joins}
WHERE ${scope.where}
  AND conv."convertedAt" <= p."paidAt"
  AND conv."convertedAt" >= ((p."paidAt" AT TIME ZONE $3::text) - make_interval(months => $4::int)) AT TIME ZONE $3::text
GROUP BY 1, 2`,
        params,
      );
      batch.cells.forEach((cell, i) => {
        const values = new Map<string, KpiResult>();
        for (const row of rows.filter((r) => r.pi === i)) {
          values.set(row.gk ?? missingGroupKey, { value: new Decimal(row.total), sampleSize: row.n });
        }
        if (cell.groupBy === null && values.size === 0) values.set('*', { value: new Decimal(0), sampleSize: 0 });
        out[batch.indices[i]!] = values;
      });
    }
    return out;
  },
});
