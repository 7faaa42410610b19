-- plan
{
  "groups": [
    {
      "source": "deals",
      "timing": {
        "kind": "range",
        "field": "closedAt"
      },
      "filter": {},
      "groupBy": "team",
      "scopeKey": "[{},\"team\"]",
      "measures": [
        {
          "kind": "sum",
          "source": "deals",
          "field": "amount",
          "time": "closedAt",
          "where": {
            "stage": "WON"
          }
        }
      ],
      "periods": [
        {
          "start": "2025-01-01T00:00:00.000Z",
          "end": "2025-02-01T00:00:00.000Z"
        },
        {
          "start": "2025-02-01T00:00:00.000Z",
          "end": "2025-03-01T00:00:00.000Z"
        },
        {
          "start": "2025-03-01T00:00:00.000Z",
          "end": "2025-04-01T00:00:00.000Z"
        },
        {
          "start": "2025-04-01T00:00:00.000Z",
          "end": "2025-05-01T00:00:00.000Z"
        },
        {
          "start": "2025-05-01T00:00:00.000Z",
          "end": "2025-06-01T00:00:00.000Z"
        },
        {
          "start": "2025-06-01T00:00:00.000Z",
          "end": "2025-07-01T00:00:00.000Z"
        },
        {
          "start": "2025-07-01T00:00:00.000Z",
          "end": "2025-08-01T00:00:00.000Z"
        },
        {
          "start": "2025-08-01T00:00:00.000Z",
          "end": "2025-09-01T00:00:00.000Z"
        },
        {
          "start": "2025-09-01T00:00:00.000Z",
          "end": "2025-10-01T00:00:00.000Z"
        },
        {
          "start": "2025-10-01T00:00:00.000Z",
          "end": "2025-11-01T00:00:00.000Z"
        },
        {
          "start": "2025-11-01T00:00:00.000Z",
          "end": "2025-12-01T00:00:00.000Z"
        },
        {
          "start": "2025-12-01T00:00:00.000Z",
          "end": "2026-01-01T00:00:00.000Z"
        }
      ]
    }
  ],
  "cells": [
    {
      "kpiKey": "won_revenue",
      "inputs": {
        "revenue": {
          "group": 0,
          "measure": 0,
          "period": 0
        }
      }
    },
    {
      "kpiKey": "won_revenue",
      "inputs": {
        "revenue": {
          "group": 0,
          "measure": 0,
          "period": 1
        }
      }
    },
    {
      "kpiKey": "won_revenue",
      "inputs": {
        "revenue": {
          "group": 0,
          "measure": 0,
          "period": 2
        }
      }
    },
    {
      "kpiKey": "won_revenue",
      "inputs": {
        "revenue": {
          "group": 0,
          "measure": 0,
          "period": 3
        }
      }
    },
    {
      "kpiKey": "won_revenue",
      "inputs": {
        "revenue": {
          "group": 0,
          "measure": 0,
          "period": 4
        }
      }
    },
    {
      "kpiKey": "won_revenue",
      "inputs": {
        "revenue": {
          "group": 0,
          "measure": 0,
          "period": 5
        }
      }
    },
    {
      "kpiKey": "won_revenue",
      "inputs": {
        "revenue": {
          "group": 0,
          "measure": 0,
          "period": 6
        }
      }
    },
    {
      "kpiKey": "won_revenue",
      "inputs": {
        "revenue": {
          "group": 0,
          "measure": 0,
          "period": 7
        }
      }
    },
    {
      "kpiKey": "won_revenue",
      "inputs": {
        "revenue": {
          "group": 0,
          "measure": 0,
          "period": 8
        }
      }
    },
    {
      "kpiKey": "won_revenue",
      "inputs": {
        "revenue": {
          "group": 0,
          "measure": 0,
          "period": 9
        }
      }
    },
    {
      "kpiKey": "won_revenue",
      "inputs": {
        "revenue": {
          "group": 0,
          "measure": 0,
          "period": 10
        }
      }
    },
    {
      "kpiKey": "won_revenue",
      "inputs": {
        "revenue": {
          "group": 0,
          "measure": 0,
          "period": 11
        }
      }
    }
  ]
}

-- deals: bucketed (groups 0)
SELECT 0 AS sg, coalesce(string_agg(format('%s,%s,%s,%s,%s', x.gs, x.b0, x.c0, x.c1, coalesce(to_json(x.gk)::text, 'null')), E'\n'), '') AS r FROM (
WITH buckets AS MATERIALIZED (
  SELECT r.gk, r.k, count(*) AS n, sum(r.v0) AS s0
  FROM (SELECT t_owner."teamId" AS gk, coalesce(width_bucket(t."closedAt", $2::timestamptz[]) + 1, 0)::int8 * 2
      + CASE WHEN (t."stage" = (SELECT $5::text::"DealStage")) THEN 1 ELSE 0 END AS k, t."amount" AS v0
    FROM "Deal" t
    LEFT JOIN "User" t_owner ON t_owner.id = t."ownerId" AND t_owner."workspaceId" = $1::int
    WHERE t."workspaceId" = $1::int
    AND (t."closedAt" >= $3::timestamptz AND t."closedAt" < $4::timestamptz)
    OFFSET 0) r
  GROUP BY 1, 2)
SELECT GROUPING(t.b0)::int AS gs, t.gk, t.b0,
  coalesce(sum(t.n), 0)::int AS c0,
  coalesce(sum(t.s0) FILTER (WHERE t.w0), 0)::text AS c1
FROM (SELECT gk, nullif(((k / 2) % 15)::int, 0) - 1 AS b0, (k & 1) <> 0 AS w0, n, s0 FROM buckets) t
GROUP BY GROUPING SETS ((t.gk, t.b0))
) x
-- $1 = 7
-- $2 = ["2025-01-01T00:00:00.000Z","2025-02-01T00:00:00.000Z","2025-03-01T00:00:00.000Z","2025-04-01T00:00:00.000Z","2025-05-01T00:00:00.000Z","2025-06-01T00:00:00.000Z","2025-07-01T00:00:00.000Z","2025-08-01T00:00:00.000Z","2025-09-01T00:00:00.000Z","2025-10-01T00:00:00.000Z","2025-11-01T00:00:00.000Z","2025-12-01T00:00:00.000Z","2026-01-01T00:00:00.000Z"]
-- $3 = "2025-01-01T00:00:00.000Z"
-- $4 = "2026-01-01T00:00:00.000Z"
-- $5 = "WON"
