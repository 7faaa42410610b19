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
      "groupBy": null,
      "scopeKey": "[{},null]",
      "measures": [
        {
          "kind": "percentile",
          "source": "deals",
          "p": 0.5,
          "method": "continuous",
          "of": "amount",
          "time": "closedAt",
          "where": {
            "stage": "WON"
          }
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
      "kpiKey": "median_deal_size",
      "inputs": {
        "amount": {
          "group": 0,
          "measure": 0,
          "period": 0
        }
      }
    }
  ]
}

-- deals: percentile (groups 0)
SELECT 0 AS sg, coalesce(json_agg(x), '[]')::text AS r FROM (
SELECT x.pi, x.gk, x.n::int AS n, min(x.v) FILTER (WHERE x.r = floor((x.n - 1) * $5::numeric))::text AS lo, min(x.v) FILTER (WHERE x.r = ceil((x.n - 1) * $5::numeric))::text AS hi
FROM (
  SELECT (p.i - 1)::int AS pi, '*' AS gk, t."amount" AS v, row_number() OVER w - 1 AS r, count(*) OVER w AS n
  FROM "Deal" t
  JOIN unnest($3::timestamptz[], $4::timestamptz[]) WITH ORDINALITY AS p(s, e, i) ON t."closedAt" >= p.s AND t."closedAt" < p.e
  WHERE t."workspaceId" = $1::int
    AND t."closedAt" >= $6::timestamptz
    AND t."closedAt" < $7::timestamptz
    AND t."amount" IS NOT NULL
    AND (t."stage" = (SELECT $2::text::"DealStage"))
  WINDOW w AS (PARTITION BY p.i, '*' ORDER BY t."amount" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
) x
WHERE x.r = floor((x.n - 1) * $5::numeric) OR x.r = ceil((x.n - 1) * $5::numeric)
GROUP BY x.pi, x.gk, x.n
) x
-- $1 = 7
-- $2 = "WON"
-- $3 = ["2025-01-01T00:00:00.000Z"]
-- $4 = ["2025-04-01T00:00:00.000Z"]
-- $5 = "0.5"
-- $6 = "2025-01-01T00:00:00.000Z"
-- $7 = "2025-04-01T00:00:00.000Z"
