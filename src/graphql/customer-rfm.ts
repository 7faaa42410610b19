import DataLoader from 'dataloader';
import type { CustomerRfm } from '../kpi/rfm.js';
import { rfmForCustomers } from '../kpi/rfm.js';
import { rfmSegments } from '../kpi/rfm-segments.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';

const RfmSegmentEnum = builder.enumType('RfmSegment', {
  description: 'The eight RFM segments (KPI catalogue): IMPORTANT when monetary value is high, then VALUE, DEVELOP, RETAIN or WIN_BACK by recency and frequency.',
  values: rfmSegments,
});

const RfmRef = builder.objectRef<CustomerRfm>('Rfm').implement({
  description: 'Recency, frequency and monetary value of a customer’s payments, against the workspace’s means.',
  fields: (t) => ({
    recencyDays: t.float({ description: 'Days since the last payment.', resolve: (r) => r.recencyDays.toNumber() }),
    frequency: t.int({ description: 'Number of payments.', resolve: (r) => r.frequency }),
    monetary: t.field({ type: 'Decimal', description: 'Sum of payments.', resolve: (r) => r.monetary.toFixed(2) }),
    lastPaymentAt: t.field({ type: 'DateTime', resolve: (r) => r.lastPaymentAt }),
    segment: t.field({ type: RfmSegmentEnum, resolve: (r) => r.segment }),
  }),
});

/** Per request and per `at`: every customer's RFM in one statement per tick. */
const loaders = new WeakMap<GraphQLContext, Map<number, DataLoader<number, CustomerRfm | null>>>();

function rfmLoader(ctx: GraphQLContext, at: Date): DataLoader<number, CustomerRfm | null> {
  let byInstant = loaders.get(ctx);
  if (!byInstant) loaders.set(ctx, (byInstant = new Map()));
  let loader = byInstant.get(at.getTime());
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const values = await rfmForCustomers(ctx.db, ctx.workspace.id, ids, at);
      return ids.map((id) => values.get(id) ?? null);
    });
    byInstant.set(at.getTime(), loader);
  }
  return loader;
}

builder.prismaObjectFields('Customer', (t) => ({
  rfm: t.field({
    type: RfmRef,
    nullable: true,
    description: 'RFM over payments before `at` (default now); null for a customer who never paid.',
    args: { at: t.arg({ type: 'DateTime', required: false }) },
    select: { id: true },
    resolve: (customer, { at }, ctx) => rfmLoader(ctx, at ?? ctx.now).load(customer.id),
  }),
}));
