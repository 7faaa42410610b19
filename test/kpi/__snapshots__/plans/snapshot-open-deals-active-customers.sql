-- plan
{
  "groups": [
    {
      "source": "deals",
      "timing": {
        "kind": "snapshot",
        "from": "createdAt",
        "until": "closedAt"
      },
      "filter": {},
      "groupBy": null,
      "scopeKey": "[{},null]",
      "measures": [
        {
          "kind": "snapshotCount",
          "source": "deals",
          "at": "end",
          "from": "createdAt",
          "until": "closedAt",
          "where": {}
        }
      ],
      "periods": [
        {
          "start": "2025-01-01T00:00:00.000Z",
          "end": "2025-02-01T00:00:00.000Z",
          "edge": "2025-02-01T00:00:00.000Z"
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
          "at": "end",
          "from": "convertedAt",
          "until": "churnedAt",
          "where": {}
        }
      ],
      "periods": [
        {
          "start": "2025-01-01T00:00:00.000Z",
          "end": "2025-02-01T00:00:00.000Z",
          "edge": "2025-02-01T00:00:00.000Z"
        }
      ]
    }
  ],
  "cells": [
    {
      "kpiKey": "open_deals",
      "inputs": {
        "open": {
          "group": 0,
          "measure": 0,
          "period": 0
        }
      }
    },
    {
      "kpiKey": "active_customers",
      "inputs": {
        "active": {
          "group": 1,
          "measure": 0,
          "period": 0
        }
      }
    }
  ]
}

-- deals: bucketed (groups 0)
SELECT 0 AS sg, coalesce(string_agg(format('%s,%s,%s,%s', x.gs, x.b0, x.b1, x.c0), E'\n'), '') AS r FROM (
WITH buckets AS MATERIALIZED (
  SELECT r.gk, r.k, count(*) AS n
  FROM (SELECT '*' AS gk, coalesce(width_bucket(t."createdAt", $2::timestamptz[]) + 1, 0)::int8 * 3
      + coalesce(width_bucket(t."closedAt", $2::timestamptz[]) + 1, 0)::int8 * 1 AS k
    FROM "Deal" t
    WHERE t."workspaceId" = $1::int
    AND (t."createdAt" < $3::timestamptz AND (t."closedAt" IS NULL OR t."closedAt" >= $4::timestamptz))
    OFFSET 0) r
  GROUP BY 1, 2)
SELECT GROUPING(t.b0, t.b1)::int AS gs, t.b0, t.b1,
  coalesce(sum(t.n), 0)::int AS c0
FROM (SELECT gk, nullif(((k / 3) % 3)::int, 0) - 1 AS b0, nullif(((k / 1) % 3)::int, 0) - 1 AS b1, n FROM buckets) t
GROUP BY GROUPING SETS ((t.b0, t.b1))
) x
-- $1 = 7
-- $2 = ["2025-02-01T00:00:00.000Z"]
-- $3 = "2025-02-01T00:00:00.000Z"
-- $4 = "2025-02-01T00:00:00.000Z"

-- customers: bucketed (groups 1)
SELECT 0 AS sg, coalesce(string_agg(format('%s,%s,%s,%s', x.gs, x.b0, x.b1, x.c0), E'\n'), '') AS r FROM (
WITH buckets AS MATERIALIZED (
  SELECT r.gk, r.k, count(*) AS n
  FROM (SELECT '*' AS gk, coalesce(width_bucket(t."convertedAt", $2::timestamptz[]) + 1, 0)::int8 * 3
      + coalesce(width_bucket(t."churnedAt", $2::timestamptz[]) + 1, 0)::int8 * 1 AS k
    FROM "Customer" t
    WHERE t."workspaceId" = $1::int
    AND (t."convertedAt" < $3::timestamptz AND (t."churnedAt" IS NULL OR t."churnedAt" >= $4::timestamptz))
    OFFSET 0) r
  GROUP BY 1, 2)
SELECT GROUPING(t.b0, t.b1)::int AS gs, t.b0, t.b1,
  coalesce(sum(t.n), 0)::int AS c0
FROM (SELECT gk, nullif(((k / 3) % 3)::int, 0) - 1 AS b0, nullif(((k / 1) % 3)::int, 0) - 1 AS b1, n FROM buckets) t
GROUP BY GROUPING SETS ((t.b0, t.b1))
) x
-- $1 = 7
-- $2 = ["2025-02-01T00:00:00.000Z"]
-- $3 = "2025-02-01T00:00:00.000Z"
-- $4 = "2025-02-01T00:00:00.000Z"
