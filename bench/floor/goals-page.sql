-- Each goal's actual value (its KPI over its whole period, which has ended,
-- within its team scope) for every goal of the page, in one statement.
-- Goals share periods, so each source is read once per distinct period (an
-- index range scan on the KPI's time column), grouped by team; each goal
-- then picks its team's row, or sums all teams when it has no team scope.
-- $1 workspace id.
WITH
g AS (
  SELECT id, "kpiKey" AS k, "periodStart" AS s, "periodEnd" AS e, (scope -> 'team' ->> 0)::int AS team
  FROM "Goal" WHERE "workspaceId" = $1 AND "archivedAt" IS NULL
  ORDER BY id LIMIT 100
),
team_of AS (SELECT id, "teamId" AS team FROM "User" WHERE "workspaceId" = $1),
dp AS (SELECT DISTINCT s, e FROM g WHERE k IN ('won_revenue', 'win_rate')),
cp AS (SELECT DISTINCT k, s, e FROM g WHERE k IN ('new_leads', 'valid_leads', 'new_customers')),
d AS (
  SELECT dp.s, dp.e, x.team, x.won_amount, x.won, x.closed
  FROM dp CROSS JOIN LATERAL (
    SELECT t.team,
      coalesce(sum(d.amount) FILTER (WHERE d.stage = 'WON'), 0) AS won_amount,
      count(*) FILTER (WHERE d.stage = 'WON') AS won,
      count(*) FILTER (WHERE d.stage IN ('WON', 'LOST')) AS closed
    FROM "Deal" d LEFT JOIN team_of t ON t.id = d."ownerId"
    WHERE d."workspaceId" = $1 AND d."closedAt" >= dp.s AND d."closedAt" < dp.e
    GROUP BY t.team
  ) x
),
c AS (
  SELECT cp.k, cp.s, cp.e, x.team, x.n
  FROM cp CROSS JOIN LATERAL (
    SELECT t.team, count(*) AS n FROM "Customer" c LEFT JOIN team_of t ON t.id = c."ownerId"
    WHERE cp.k = 'new_leads' AND c."workspaceId" = $1 AND c."createdAt" >= cp.s AND c."createdAt" < cp.e GROUP BY t.team
    UNION ALL
    SELECT t.team, count(*) FROM "Customer" c LEFT JOIN team_of t ON t.id = c."ownerId"
    WHERE cp.k = 'valid_leads' AND c."workspaceId" = $1 AND c."qualifiedAt" >= cp.s AND c."qualifiedAt" < cp.e GROUP BY t.team
    UNION ALL
    SELECT t.team, count(*) FROM "Customer" c LEFT JOIN team_of t ON t.id = c."ownerId"
    WHERE cp.k = 'new_customers' AND c."workspaceId" = $1 AND c."convertedAt" >= cp.s AND c."convertedAt" < cp.e GROUP BY t.team
  ) x
)
SELECT g.id, CASE g.k
  WHEN 'won_revenue' THEN (SELECT coalesce(sum(d.won_amount), 0) FROM d WHERE d.s = g.s AND d.e = g.e AND (g.team IS NULL OR d.team = g.team))
  WHEN 'win_rate' THEN (SELECT sum(d.won)::numeric / nullif(sum(d.closed), 0) FROM d WHERE d.s = g.s AND d.e = g.e AND (g.team IS NULL OR d.team = g.team))
  ELSE (SELECT coalesce(sum(c.n), 0) FROM c WHERE c.k = g.k AND c.s = g.s AND c.e = g.e AND (g.team IS NULL OR c.team = g.team))
  END AS actual
FROM g
ORDER BY g.id
