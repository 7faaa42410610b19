import type { CellValues, KpiResult, RfmSegment } from '../src/kpi/sdk.js';
import { KpiInputError, batchCells, defineKpi, missingGroupKey, ratio, rfmSegmentOf, rfmSegments, z } from '../src/kpi/sdk.js';

interface Row {
  pi: number;
  gk: string | null;
  rh: boolean;
  fh: boolean;
  mh: boolean;
  n: number;
}

export default defineKpi({
  key: 'rfm_segment_share',
  name: 'RFM segment share',
  description:
    "Share of paying customers in an RFM segment, over each customer's payments before the end of the period, against the means over all paying customers of the workspace. Group by rfmSegment for all eight, or pass the segment.",
  unit: 'percent',
  direction: 'none',
  stages: ['mature'],
  dimensions: ['rfmSegment', 'team', 'owner', 'channel', 'region', 'industry', 'campaign'],
  params: z.object({
    segment: z
      .enum(rfmSegments as [RfmSegment, ...RfmSegment[]])
      .optional()
      .describe('The segment whose share is asked for; not needed when grouping by rfmSegment'),
  }),
  compute: async (cells, ctx) => {
    const out: (CellValues | Error)[] = new Array<CellValues | Error>(cells.length);
    for (const batch of batchCells(cells)) {
      const params: unknown[] = [batch.cells.map((cell) => cell.period.end.toISOString())];
      const scope = ctx.scope('customers', 'c', batch, params, { skip: ['rfmSegment'] });
      // Means are over every paying customer; only the shares are filtered.
      // Ties are decided exactly: value × n against the sum, in numeric.
      const rows = await ctx.query<Row>(
        `WITH per AS (
  SELECT e.i, p."customerId" AS id, count(*) AS f, sum(p.amount) AS m, extract(epoch from (e.at - max(p."paidAt"))) AS r
  FROM unnest($1::timestamptz[]) WITH ORDINALITY AS e(at, i)
  JOIN {{payments}} p ON p."paidAt" < e.at
  GROUP BY e.i, e.at, p."customerId"
), seg AS (
  SELECT i, id,
    r * count(*) OVER w <= sum(r) OVER w AS rh,
    f * count(*) OVER w >= sum(f) OVER w AS fh,
    m * count(*) OVER w >= sum(m) OVER w AS mh
  FROM per WINDOW w AS (PARTITION BY i)
)
SELECT (seg.i - 1)::int AS pi, ${scope.groupExpression} AS gk, seg.rh, seg.fh, seg.mh, count(*)::int AS n
FROM seg JOIN {{customers}} c ON c.id = seg.id
${scope.joins}
WHERE ${scope.where}
GROUP BY 1, 2, 3, 4, 5`,
        params,
      );
      batch.cells.forEach((cell, i) => {
        const allowed = batch.filter.rfmSegment;
        const mine = rows
          .filter((r) => r.pi === i)
          .map((r) => ({ ...r, segment: rfmSegmentOf(r.rh, r.fh, r.mh) }))
          .filter((r) => !allowed || allowed.includes(r.segment));
        const what = 'the number of paying customers';
        if (cell.groupBy === 'rfmSegment') {
          const total = mine.reduce((n, r) => n + r.n, 0);
          const segments = rfmSegments.filter((s) => !allowed || allowed.includes(s));
          out[batch.indices[i]!] = new Map(
            segments.map((s): [string, KpiResult] => [s, ratio(mine.filter((r) => r.segment === s).reduce((n, r) => n + r.n, 0), total, what)]),
          );
          return;
        }
        const segment = cell.params.segment;
        if (!segment) {
          out[batch.indices[i]!] = new KpiInputError('params.segment', 'rfm_segment_share needs params.segment unless grouped by rfmSegment.');
          return;
        }
        const groups = new Map<string, { total: number; inSegment: number }>();
        if (cell.groupBy === null) groups.set('*', { total: 0, inSegment: 0 });
        for (const row of mine) {
          const key = row.gk ?? missingGroupKey;
          const group = groups.get(key) ?? { total: 0, inSegment: 0 };
          group.total += row.n;
          if (row.segment === segment) group.inSegment += row.n;
          groups.set(key, group);
        }
        out[batch.indices[i]!] = new Map([...groups].sort(([a], [b]) => a.localeCompare(b)).map(([key, g]) => [key, ratio(g.inSegment, g.total, what)]));
      });
    }
    return out;
  },
});
