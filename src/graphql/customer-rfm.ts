import type { CustomerRfm } from '../kpi/rfm.js';
import { rfmSegments } from '../kpi/rfm-segments.js';
import { builder } from './builder.js';

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

builder.prismaObjectFields('Customer', (t) => ({
  rfm: t.field({
    type: RfmRef,
    nullable: true,
    description: 'RFM over payments before `at` (default now); null for a customer who never paid.',
    args: { at: t.arg({ type: 'DateTime', required: false }) },
    select: { id: true },
    resolve: (customer, { at }, ctx) => ctx.kpi.customerRfm(customer.id, at ?? ctx.clock.now()),
  }),
}));
