import { customers, defineKpi, ratio, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'lead_conversion_rate',
  name: 'Lead-to-customer conversion',
  description: 'Of the leads created in the period, the share that have become customers.',
  unit: 'percent',
  direction: 'higher',
  stages: ['launch'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry', 'campaign'],
  params: z.object({}),
  target: { default: 0.2 },
  inputs: {
    // A cohort view: conversion is counted whenever it happened, even after
    // the period, so a recent cohort's rate still grows as its leads mature.
    created: customers.count({ time: 'createdAt' }),
    converted: customers.count({ time: 'createdAt', where: { convertedAt: { set: true } } }),
  },
  formula: ({ converted, created }) => ratio(converted, created, 'the number of leads created'),
});
