-- plan
{
  "groups": [
    {
      "source": "payments",
      "timing": {
        "kind": "range",
        "field": "paidAt"
      },
      "filter": {},
      "groupBy": null,
      "scopeKey": "[{},null]",
      "measures": [
        {
          "kind": "sum",
          "source": "payments",
          "field": "amount",
          "time": "paidAt",
          "where": {}
        }
      ],
      "periods": [
        {
          "start": "2025-01-01T00:00:00.000Z",
          "end": "2025-04-01T00:00:00.000Z"
        }
      ]
    },
    {
      "source": "customers",
      "timing": {
        "kind": "snapshot",
        "from": "convertedAt",
        "until": "churnedAt"
      },
      "filter": {},
      "groupBy": null,
      "scopeKey": "[{},null]",
      "measures": [
        {
          "kind": "snapshotCount",
          "source": "customers",
          "at": "start",
          "from": "convertedAt",
          "until": "churnedAt",
          "where": {}
        }
      ],
      "periods": [
        {
          "start": "2025-01-01T00:00:00.000Z",
          "end": "2025-04-01T00:00:00.000Z",
          "edge": "2025-01-01T00:00:00.000Z"
        },
        {
          "start": "2025-01-01T00:00:00.000Z",
          "end": "2025-04-01T00:00:00.000Z",
          "edge": "2025-04-01T00:00:00.000Z"
        }
      ]
    },
    {
      "source": "customers",
      "timing": {
        "kind": "range",
        "field": "churnedAt"
      },
      "filter": {},
      "groupBy": null,
      "scopeKey": "[{},null]",
      "measures": [
        {
          "kind": "count",
          "source": "customers",
          "time": "churnedAt",
          "where": {}
        }
      ],
      "periods": [
        {
          "start": "2025-01-01T00:00:00.000Z",
          "end": "2025-04-01T00:00:00.000Z"
        }
      ]
    },
    {
      "source": "spend",
      "timing": {
        "kind": "range",
        "field": "date"
      },
      "filter": {},
      "groupBy": null,
      "scopeKey": "[{},null]",
      "measures": [
        {
          "kind": "sum",
          "source": "spend",
          "field": "amount",
          "time": "date",
          "where": {
            "category": {
              "in": [
                "MARKETING",
                "SALES"
              ]
            }
          }
        }
      ],
      "periods": [
        {
          "start": "2025-01-01T00:00:00.000Z",
          "end": "2025-04-01T00:00:00.000Z"
        }
      ]
    },
    {
      "source": "customers",
      "timing": {
        "kind": "range",
        "field": "convertedAt"
      },
      "filter": {},
      "groupBy": null,
      "scopeKey": "[{},null]",
      "measures": [
        {
          "kind": "count",
          "source": "customers",
          "time": "convertedAt",
          "where": {}
        }
      ],
      "periods": [
        {
          "start": "2025-01-01T00:00:00.000Z",
          "end": "2025-04-01T00:00:00.000Z"
        }
      ]
    }
  ],
  "cells": [
    {
      "kpiKey": "ltv_cac_ratio",
      "inputs": {
        "ltv.revenue": {
          "group": 0,
          "measure": 0,
          "period": 0
        },
        "ltv.activeAtStart": {
          "group": 1,
          "measure": 0,
          "period": 0
        },
        "ltv.activeAtEnd": {
          "group": 1,
          "measure": 0,
          "period": 1
        },
        "ltv.churned": {
          "group": 2,
          "measure": 0,
          "period": 0
        },
        "cac.spent": {
          "group": 3,
          "measure": 0,
          "period": 0
        },
        "cac.newCustomers": {
          "group": 4,
          "measure": 0,
          "period": 0
        }
      }
    }
  ]
}

-- payments: singlePeriod (groups 0)
SELECT 0 AS sg, coalesce(json_agg(x), '[]')::text AS r FROM (
SELECT '*' AS gk,
  count(*)::int AS m0,
  coalesce(sum(t."amount"), 0)::text AS m1
FROM "Payment" t
WHERE t."workspaceId" = $1::int
  AND t."paidAt" >= $2::timestamptz AND t."paidAt" < $3::timestamptz
) x
-- $1 = 7
-- $2 = "2025-01-01T00:00:00.000Z"
-- $3 = "2025-04-01T00:00:00.000Z"

-- customers: bucketed (groups 1, 2, 4)
SELECT 0 AS sg, coalesce(string_agg(format('%s,%s,%s,%s', x.gs, x.b0, x.b1, x.c0), E'\n'), '') AS r FROM (
WITH buckets AS MATERIALIZED (
  SELECT r.gk, r.k, count(*) AS n
  FROM (SELECT '*' AS gk, coalesce(width_bucket(t."convertedAt", $2::timestamptz[]) + 1, 0)::int8 * 4
      + coalesce(width_bucket(t."churnedAt", $2::timestamptz[]) + 1, 0)::int8 * 1 AS k
    FROM "Customer" t
    WHERE t."workspaceId" = $1::int
    AND ((t."convertedAt" < $3::timestamptz AND (t."churnedAt" IS NULL OR t."churnedAt" >= $4::timestamptz))
    OR (t."churnedAt" >= $5::timestamptz AND t."churnedAt" < $6::timestamptz)
    OR (t."convertedAt" >= $7::timestamptz AND t."convertedAt" < $8::timestamptz))
    OFFSET 0) r
  GROUP BY 1, 2)
SELECT GROUPING(t.b0, t.b1)::int AS gs, t.b0, t.b1,
  coalesce(sum(t.n), 0)::int AS c0
FROM (SELECT gk, nullif(((k / 4) % 4)::int, 0) - 1 AS b0, nullif(((k / 1) % 4)::int, 0) - 1 AS b1, n FROM buckets) t
GROUP BY GROUPING SETS ((t.b0, t.b1), (t.b1), (t.b0))
) x
-- $1 = 7
-- $2 = ["2025-01-01T00:00:00.000Z","2025-04-01T00:00:00.000Z"]
-- $3 = "2025-04-01T00:00:00.000Z"
-- $4 = "2025-01-01T00:00:00.000Z"
-- $5 = "2025-01-01T00:00:00.000Z"
-- $6 = "2025-04-01T00:00:00.000Z"
-- $7 = "2025-01-01T00:00:00.000Z"
-- $8 = "2025-04-01T00:00:00.000Z"

-- spend: singlePeriod (groups 3)
SELECT 0 AS sg, coalesce(json_agg(x), '[]')::text AS r FROM (
SELECT '*' AS gk,
  count(*)::int AS m0,
  coalesce(sum(t."amount") FILTER (WHERE (t."category" = ANY((SELECT $4::text[]::"SpendCategory"[])::"SpendCategory"[]))), 0)::text AS m1
FROM "Spend" t
WHERE t."workspaceId" = $1::int
  AND t."date" >= $2::timestamptz AND t."date" < $3::timestamptz
) x
-- $1 = 7
-- $2 = "2025-01-01T00:00:00.000Z"
-- $3 = "2025-04-01T00:00:00.000Z"
-- $4 = ["MARKETING","SALES"]
