/**
 * RFM of individual customers, for the GraphQL `Customer.rfm` field: one
 * statement for many customers.
 */
import { Decimal } from 'decimal.js';
import type { Database } from '../db/client.js';
import type { RfmSegment } from './rfm-segments.js';
import { classifyRfm } from './rfm-segments.js';

export interface CustomerRfm {
  /** Exact (fractional) days from the last payment before `at` to `at`. */
  recencyDays: Decimal;
  frequency: number;
  monetary: Decimal;
  segment: RfmSegment;
  lastPaymentAt: Date;
}

interface Row {
  id: number;
  r: string;
  f: number;
  m: string;
  last: Date | string;
  n: number;
  rs: string;
  fs: string;
  ms: string;
}

/**
 * RFM over the payments before `at` of each customer asked for, against the
 * means over all paying customers of the workspace. Customers with no
 * payment (or of another workspace) map to null.
 */
export async function rfmForCustomers(
  db: Database,
  workspaceId: number,
  customerIds: readonly number[],
  at: Date,
): Promise<Map<number, CustomerRfm | null>> {
  const result = new Map<number, CustomerRfm | null>(customerIds.map((id) => [id, null]));
  if (customerIds.length === 0) return result;
  const { rows } = await db.query<Row>(
    `WITH per AS (
  SELECT "customerId" AS id, max("paidAt") AS last, count(*)::int AS f, sum(amount) AS m,
    extract(epoch from ($2::timestamptz - max("paidAt"))) AS r
  FROM "Payment" WHERE "workspaceId" = $1::int AND "paidAt" < $2::timestamptz
  GROUP BY "customerId"
), totals AS (
  SELECT count(*)::int AS n, coalesce(sum(r), 0)::text AS rs, coalesce(sum(f), 0)::text AS fs, coalesce(sum(m), 0)::text AS ms FROM per
)
SELECT per.id, per.r::text AS r, per.f, per.m::text AS m, per.last, totals.n, totals.rs, totals.fs, totals.ms
FROM per CROSS JOIN totals
WHERE per.id = ANY($3::int[])`,
    [workspaceId, at.toISOString(), [...new Set(customerIds)]],
  );
  for (const row of rows) {
    const totals = { customers: row.n, recencySum: row.rs, frequencySum: row.fs, monetarySum: row.ms };
    result.set(Number(row.id), {
      recencyDays: new Decimal(row.r).div(86_400),
      frequency: row.f,
      monetary: new Decimal(row.m),
      segment: classifyRfm({ recency: row.r, frequency: row.f, monetary: row.m }, totals),
      lastPaymentAt: new Date(row.last),
    });
  }
  return result;
}
