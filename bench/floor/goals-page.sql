-- Each goal's actual value (its KPI over its whole period, which has ended,
-- within its team scope) for every goal of the page, in one statement: one
-- LATERAL subquery per goal, each a range scan of the time index its KPI
-- counts by, joined to the owner only when the goal is scoped to a team.
-- $1 workspace id.
SELECT g.id, a.actual
FROM (
  SELECT id, "kpiKey", "periodStart" AS s, "periodEnd" AS e, (scope -> 'team' ->> 0)::int AS team
  FROM "Goal" WHERE "workspaceId" = $1 AND "archivedAt" IS NULL
  ORDER BY id LIMIT 100
) g
CROSS JOIN LATERAL (
  SELECT CASE g."kpiKey"
    WHEN 'won_revenue' THEN (
      SELECT coalesce(sum(d.amount), 0) FROM "Deal" d
      WHERE d."workspaceId" = $1 AND d."closedAt" >= g.s AND d."closedAt" < g.e AND d.stage = 'WON'
        AND (g.team IS NULL OR EXISTS (SELECT 1 FROM "User" u WHERE u.id = d."ownerId" AND u."teamId" = g.team)))
    WHEN 'win_rate' THEN (
      SELECT (count(*) FILTER (WHERE d.stage = 'WON'))::numeric / nullif(count(*) FILTER (WHERE d.stage IN ('WON', 'LOST')), 0) FROM "Deal" d
      WHERE d."workspaceId" = $1 AND d."closedAt" >= g.s AND d."closedAt" < g.e
        AND (g.team IS NULL OR EXISTS (SELECT 1 FROM "User" u WHERE u.id = d."ownerId" AND u."teamId" = g.team)))
    WHEN 'new_leads' THEN (
      SELECT count(*) FROM "Customer" c
      WHERE c."workspaceId" = $1 AND c."createdAt" >= g.s AND c."createdAt" < g.e
        AND (g.team IS NULL OR EXISTS (SELECT 1 FROM "User" u WHERE u.id = c."ownerId" AND u."teamId" = g.team)))
    WHEN 'valid_leads' THEN (
      SELECT count(*) FROM "Customer" c
      WHERE c."workspaceId" = $1 AND c."qualifiedAt" >= g.s AND c."qualifiedAt" < g.e
        AND (g.team IS NULL OR EXISTS (SELECT 1 FROM "User" u WHERE u.id = c."ownerId" AND u."teamId" = g.team)))
    WHEN 'new_customers' THEN (
      SELECT count(*) FROM "Customer" c
      WHERE c."workspaceId" = $1 AND c."convertedAt" >= g.s AND c."convertedAt" < g.e
        AND (g.team IS NULL OR EXISTS (SELECT 1 FROM "User" u WHERE u.id = c."ownerId" AND u."teamId" = g.team)))
  END AS actual
) a
ORDER BY g.id
