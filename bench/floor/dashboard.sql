-- The dashboard floor: 12 KPIs × 12 months × every team in ONE statement.
-- $1 workspace id; $2 the 13 month edges (timestamptz[], the first month's
-- start … the last month's end, in the workspace's time zone).
--
-- Flows (created, qualified, converted, churned, closed) are bucketed with
-- width_bucket over the edges: month m is [edges[m], edges[m+1]).
-- Snapshots (active customers, open deals) avoid a row × edge cross join: a
-- row is alive at edge i when from < edges[i] <= until, i.e. for
-- i in (width_bucket(from), width_bucket(until)], so rows are first
-- aggregated by that interval and owner (a few thousand groups), and only
-- those groups meet the 13 edges. Owners are mapped to teams after
-- aggregation, on a few thousand rows instead of every record.
WITH
cflow AS (
  SELECT o, m,
    count(*) FILTER (WHERE kind = 1) AS created,
    count(*) FILTER (WHERE kind = 1 AND converted) AS created_converted,
    count(*) FILTER (WHERE kind = 2) AS qualified,
    count(*) FILTER (WHERE kind = 3) AS converted,
    count(*) FILTER (WHERE kind = 4) AS churned
  FROM (
    SELECT 1 AS kind, "ownerId" AS o, width_bucket("createdAt", $2::timestamptz[]) AS m, "convertedAt" IS NOT NULL AS converted
      FROM "Customer" WHERE "workspaceId" = $1 AND "createdAt" >= ($2::timestamptz[])[1] AND "createdAt" < ($2::timestamptz[])[13]
    UNION ALL
    SELECT 2, "ownerId", width_bucket("qualifiedAt", $2::timestamptz[]), NULL
      FROM "Customer" WHERE "workspaceId" = $1 AND "qualifiedAt" >= ($2::timestamptz[])[1] AND "qualifiedAt" < ($2::timestamptz[])[13]
    UNION ALL
    SELECT 3, "ownerId", width_bucket("convertedAt", $2::timestamptz[]), NULL
      FROM "Customer" WHERE "workspaceId" = $1 AND "convertedAt" >= ($2::timestamptz[])[1] AND "convertedAt" < ($2::timestamptz[])[13]
    UNION ALL
    SELECT 4, "ownerId", width_bucket("churnedAt", $2::timestamptz[]), NULL
      FROM "Customer" WHERE "workspaceId" = $1 AND "churnedAt" >= ($2::timestamptz[])[1] AND "churnedAt" < ($2::timestamptz[])[13]
  ) f
  GROUP BY o, m
),
cspan AS (
  -- Converted customers alive at some edge: alive at edge i for a < i <= b.
  SELECT "ownerId" AS o, width_bucket("convertedAt", $2::timestamptz[]) AS a,
         coalesce(width_bucket("churnedAt", $2::timestamptz[]), 13) AS b, count(*) AS n
  FROM "Customer"
  WHERE "workspaceId" = $1 AND "convertedAt" < ($2::timestamptz[])[13]
    AND ("churnedAt" IS NULL OR "churnedAt" >= ($2::timestamptz[])[1])
  GROUP BY 1, 2, 3
),
dflow AS (
  SELECT "ownerId" AS o, width_bucket("closedAt", $2::timestamptz[]) AS m,
    count(*) FILTER (WHERE stage = 'WON') AS won,
    count(*) FILTER (WHERE stage IN ('WON', 'LOST')) AS closed,
    coalesce(sum(amount) FILTER (WHERE stage = 'WON'), 0) AS won_amount,
    coalesce(sum(extract(epoch FROM ("closedAt" - "createdAt"))) FILTER (WHERE stage = 'WON'), 0) AS won_cycle_seconds
  FROM "Deal"
  WHERE "workspaceId" = $1 AND "closedAt" >= ($2::timestamptz[])[1] AND "closedAt" < ($2::timestamptz[])[13]
  GROUP BY 1, 2
),
dspan AS (
  -- Deals open at some month end (edges 2…13): open at edge i for a < i <= b.
  SELECT "ownerId" AS o, width_bucket("createdAt", $2::timestamptz[]) AS a,
         coalesce(width_bucket("closedAt", $2::timestamptz[]), 13) AS b, count(*) AS n, sum(amount) AS amount
  FROM "Deal"
  WHERE "workspaceId" = $1 AND "createdAt" < ($2::timestamptz[])[13]
    AND ("closedAt" IS NULL OR "closedAt" >= ($2::timestamptz[])[2])
  GROUP BY 1, 2, 3
),
team_of AS (SELECT id, "teamId" AS team FROM "User" WHERE "workspaceId" = $1),
c_m AS (
  SELECT t.team, f.m, sum(created) AS created, sum(created_converted) AS created_converted,
         sum(qualified) AS qualified, sum(converted) AS converted, sum(churned) AS churned
  FROM cflow f LEFT JOIN team_of t ON t.id = f.o GROUP BY 1, 2
),
c_alive AS (
  -- Active customers at edge i (1…13).
  SELECT t.team, i, sum(n) AS n
  FROM cspan s JOIN generate_series(1, 13) AS i ON i > s.a AND i <= s.b LEFT JOIN team_of t ON t.id = s.o
  GROUP BY 1, 2
),
d_m AS (
  SELECT t.team, f.m, sum(won) AS won, sum(closed) AS closed, sum(won_amount) AS won_amount, sum(won_cycle_seconds) AS won_cycle_seconds
  FROM dflow f LEFT JOIN team_of t ON t.id = f.o GROUP BY 1, 2
),
d_open AS (
  -- Open deals at the end of month m, i.e. at edge m + 1.
  SELECT t.team, i - 1 AS m, sum(n) AS n, sum(amount) AS amount
  FROM dspan s JOIN generate_series(2, 13) AS i ON i > s.a AND i <= s.b LEFT JOIN team_of t ON t.id = s.o
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
  coalesce(c.churned, 0)::numeric / nullif(coalesce(ast.n, 0), 0) AS churn_rate
FROM cells k
LEFT JOIN c_m c ON c.team IS NOT DISTINCT FROM k.team AND c.m = k.m
LEFT JOIN d_m d ON d.team IS NOT DISTINCT FROM k.team AND d.m = k.m
LEFT JOIN d_open o ON o.team IS NOT DISTINCT FROM k.team AND o.m = k.m
LEFT JOIN c_alive ae ON ae.team IS NOT DISTINCT FROM k.team AND ae.i = k.m + 1
LEFT JOIN c_alive ast ON ast.team IS NOT DISTINCT FROM k.team AND ast.i = k.m
WHERE k.m BETWEEN 1 AND 12
ORDER BY k.m, k.team
