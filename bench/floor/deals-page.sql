-- The 50 newest deals with customer and owner, plus one more row to know
-- whether a next page exists: a backward walk of the (workspaceId,
-- createdAt) index that stops after 51 rows, two primary-key lookups each.
-- $1 workspace id.
SELECT d.id, d.title, d.amount, d.stage, d."createdAt", d."closedAt", c.name AS customer, c.region, u.name AS owner
FROM "Deal" d
JOIN "Customer" c ON c.id = d."customerId"
LEFT JOIN "User" u ON u.id = d."ownerId"
WHERE d."workspaceId" = $1
ORDER BY d."createdAt" DESC, d.id DESC
LIMIT 51
