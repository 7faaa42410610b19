-- plan
{
  "groups": [
    {
      "source": "customers",
      "timing": {
        "kind": "range",
        "field": "createdAt"
      },
      "filter": {},
      "groupBy": null,
      "scopeKey": "[{},null]",
      "measures": [
        {
          "kind": "count",
          "source": "customers",
          "time": "createdAt",
          "where": {}
        }
      ],
      "periods": [
        {
          "start": "2025-01-01T00:00:00.000Z",
          "end": "2025-02-01T00:00:00.000Z"
        }
      ]
    }
  ],
  "cells": [
    {
      "kpiKey": "new_leads",
      "inputs": {
        "created": {
          "group": 0,
          "measure": 0,
          "period": 0
        }
      }
    }
  ]
}

-- customers: singlePeriod (groups 0)
SELECT 0 AS sg, coalesce(json_agg(x), '[]')::text AS r FROM (
SELECT '*' AS gk,
  count(*)::int AS m0,
  count(*)::int AS m1
FROM "Customer" t
WHERE t."workspaceId" = $1::int
  AND t."createdAt" >= $2::timestamptz AND t."createdAt" < $3::timestamptz
) x
-- $1 = 7
-- $2 = "2025-01-01T00:00:00.000Z"
-- $3 = "2025-02-01T00:00:00.000Z"
