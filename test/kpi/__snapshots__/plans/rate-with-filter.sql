-- plan
{
  "groups": [
    {
      "source": "deals",
      "timing": {
        "kind": "range",
        "field": "closedAt"
      },
      "filter": {
        "region": [
          "AT",
          "DE"
        ]
      },
      "groupBy": null,
      "scopeKey": "[{\"region\":[\"AT\",\"DE\"]},null]",
      "measures": [
        {
          "kind": "count",
          "source": "deals",
          "time": "closedAt",
          "where": {
            "stage": "WON"
          }
        },
        {
          "kind": "count",
          "source": "deals",
          "time": "closedAt",
          "where": {
            "stage": {
              "in": [
                "WON",
                "LOST"
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
    }
  ],
  "cells": [
    {
      "kpiKey": "win_rate",
      "inputs": {
        "won": {
          "group": 0,
          "measure": 0,
          "period": 0
        },
        "closed": {
          "group": 0,
          "measure": 1,
          "period": 0
        }
      }
    }
  ]
}

-- deals: singlePeriod (groups 0)
SELECT 0 AS sg, coalesce(json_agg(x), '[]')::text AS r FROM (
SELECT '*' AS gk,
  count(*)::int AS m0,
  count(*) FILTER (WHERE (t."stage" = (SELECT $4::text::"DealStage")))::int AS m1,
  count(*) FILTER (WHERE (t."stage" = ANY((SELECT $5::text[]::"DealStage"[])::"DealStage"[])))::int AS m2
FROM "Deal" t
LEFT JOIN "Customer" t_customer ON t_customer.id = t."customerId" AND t_customer."workspaceId" = $1::int
WHERE t."workspaceId" = $1::int
  AND (t_customer."region")::text = ANY($6::text[])
  AND t."closedAt" >= $2::timestamptz AND t."closedAt" < $3::timestamptz
) x
-- $1 = 7
-- $2 = "2025-01-01T00:00:00.000Z"
-- $3 = "2025-04-01T00:00:00.000Z"
-- $4 = "WON"
-- $5 = ["WON","LOST"]
-- $6 = ["AT","DE"]
