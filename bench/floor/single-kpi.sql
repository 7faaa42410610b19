-- Win rate over one period: one range scan of the (workspaceId, closedAt) index.
-- $1 workspace id; $2, $3 the period [start, end).
SELECT count(*) FILTER (WHERE stage = 'WON') AS won,
       count(*) FILTER (WHERE stage IN ('WON', 'LOST')) AS closed
FROM "Deal"
WHERE "workspaceId" = $1 AND "closedAt" >= $2 AND "closedAt" < $3
