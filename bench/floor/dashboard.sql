-- The dashboard floor: 12 KPIs × 12 months × every team in ONE statement,
-- with the won and closed counts the windowed series add up.
-- $1 workspace id; $2 the 13 month edges (timestamptz[]: the first month's
-- start … the last month's end, in the workspace's time zone).
--
-- One pass over each table. Every row is reduced to its team and the month
-- buckets its timestamps fall in (width_bucket over the edges: month m is
-- [edges[m], edges[m+1]), 0 before, 13 after), and aggregated on those few
-- keys, so the work after the scan is on hundreds of groups, not rows.
-- Flows (created, qualified, converted, churned, closed) read their bucket;
-- snapshots (active customers, open deals) count a group at edge i when
-- from < edges[i] <= until, i.e. bucket(from) < i <= bucket(until), instead
-- of joining every row to every edge.
WITH
team_of AS (SELECT id, "teamId" AS team FROM "User" WHERE "workspaceId" = $1),
c AS (
  SELECT t.team,
    width_bucket(c."createdAt", $2::timestamptz[]) AS cm,
    width_bucket(c."qualifiedAt", $2::timestamptz[]) AS qm,
    width_bucket(c."convertedAt", $2::timestamptz[]) AS vm,
    width_bucket(c."churnedAt", $2::timestamptz[]) AS hm,
    c."convertedAt" IS NOT NULL AS conv,
    count(*) AS n
  FROM "Customer" c LEFT JOIN team_of t ON t.id = c."ownerId"
  WHERE c."workspaceId" = $1 AND (
       (c."createdAt" >= ($2::timestamptz[])[1] AND c."createdAt" < ($2::timestamptz[])[13])
    OR (c."qualifiedAt" >= ($2::timestamptz[])[1] AND c."qualifiedAt" < ($2::timestamptz[])[13])
    OR (c."convertedAt" < ($2::timestamptz[])[13] AND (c."churnedAt" IS NULL OR c."churnedAt" >= ($2::timestamptz[])[1]))
    OR (c."convertedAt" >= ($2::timestamptz[])[1] AND c."convertedAt" < ($2::timestamptz[])[13])
    OR (c."churnedAt" >= ($2::timestamptz[])[1] AND c."churnedAt" < ($2::timestamptz[])[13]))
  GROUP BY 1, 2, 3, 4, 5, 6
),
c_m AS (
  SELECT team, v.m, sum(v.created) AS created, sum(v.created_converted) AS created_converted,
         sum(v.qualified) AS qualified, sum(v.converted) AS converted, sum(v.churned) AS churned
  FROM c CROSS JOIN LATERAL (VALUES
    (c.cm, c.n, CASE WHEN c.conv THEN c.n ELSE 0 END, 0, 0, 0),
    (c.qm, 0, 0, c.n, 0, 0),
    (c.vm, 0, 0, 0, c.n, 0),
    (c.hm, 0, 0, 0, 0, c.n)) AS v(m, created, created_converted, qualified, converted, churned)
  WHERE v.m BETWEEN 1 AND 12
  GROUP BY 1, 2
),
c_alive AS (
  -- Active customers at edge i (1…13): converted before it, not churned before it.
  SELECT team, i, sum(n) AS n
  FROM c JOIN generate_series(1, 13) AS i ON c.vm < i AND i <= coalesce(c.hm, 13)
  GROUP BY 1, 2
),
d AS (
  SELECT t.team, width_bucket(d."createdAt", $2::timestamptz[]) AS a, width_bucket(d."closedAt", $2::timestamptz[]) AS b, d.stage,
    count(*) AS n, sum(d.amount) AS amount, sum(extract(epoch FROM (d."closedAt" - d."createdAt"))) AS cycle_seconds
  FROM "Deal" d LEFT JOIN team_of t ON t.id = d."ownerId"
  WHERE d."workspaceId" = $1 AND (
       (d."closedAt" >= ($2::timestamptz[])[1] AND d."closedAt" < ($2::timestamptz[])[13])
    OR (d."createdAt" < ($2::timestamptz[])[13] AND (d."closedAt" IS NULL OR d."closedAt" >= ($2::timestamptz[])[2])))
  GROUP BY 1, 2, 3, 4
),
d_m AS (
  SELECT team, b AS m,
    coalesce(sum(n) FILTER (WHERE stage = 'WON'), 0) AS won,
    coalesce(sum(n) FILTER (WHERE stage IN ('WON', 'LOST')), 0) AS closed,
    coalesce(sum(amount) FILTER (WHERE stage = 'WON'), 0) AS won_amount,
    coalesce(sum(cycle_seconds) FILTER (WHERE stage = 'WON'), 0) AS won_cycle_seconds
  FROM d WHERE b BETWEEN 1 AND 12
  GROUP BY 1, 2
),
d_open AS (
  -- Open deals at the end of month m (edge m + 1): created before it, not closed before it.
  SELECT team, i - 1 AS m, sum(n) AS n, sum(amount) AS amount
  FROM d JOIN generate_series(2, 13) AS i ON d.a < i AND i <= coalesce(d.b, 13)
  GROUP BY 1, 2
),
cells AS (
  SELECT team, m FROM c_m UNION SELECT team, m FROM d_m UNION SELECT team, m FROM d_open
  UNION SELECT team, i - 1 FROM c_alive WHERE i > 1 UNION SELECT team, i FROM c_alive WHERE i < 13
)
SELECT k.m, k.team,
  coalesce(c.created, 0) AS new_leads,
  coalesce(c.qualified, 0) AS valid_leads,
  coalesce(c.converted, 0) AS new_customers,
  c.created_converted::numeric / nullif(c.created, 0) AS lead_conversion_rate,
  coalesce(d.won_amount, 0) AS won_revenue,
  d.won::numeric / nullif(d.closed, 0) AS win_rate,
  d.won_amount / nullif(d.won, 0) AS avg_deal_size,
  d.won_cycle_seconds / 86400 / nullif(d.won, 0) AS sales_cycle_days,
  coalesce(o.n, 0) AS open_deals,
  coalesce(o.amount, 0) AS pipeline_value,
  coalesce(ae.n, 0) AS active_customers,
  coalesce(c.churned, 0)::numeric / nullif(coalesce(ast.n, 0), 0) AS churn_rate,
  coalesce(d.won, 0) AS won,
  coalesce(d.closed, 0) AS closed
FROM cells k
LEFT JOIN c_m c ON c.team IS NOT DISTINCT FROM k.team AND c.m = k.m
LEFT JOIN d_m d ON d.team IS NOT DISTINCT FROM k.team AND d.m = k.m
LEFT JOIN d_open o ON o.team IS NOT DISTINCT FROM k.team AND o.m = k.m
LEFT JOIN c_alive ae ON ae.team IS NOT DISTINCT FROM k.team AND ae.i = k.m + 1
LEFT JOIN c_alive ast ON ast.team IS NOT DISTINCT FROM k.team AND ast.i = k.m
WHERE k.m BETWEEN 1 AND 12
ORDER BY k.m, k.team
