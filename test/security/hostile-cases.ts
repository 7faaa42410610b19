import type { HostileCase } from './hostile-case.js';
import { costCases, introspectionCases, suggestionCases } from './hostile-cost-cases.js';
import { batchCases, bodySizeCases, contentTypeCases, malformedCases, rateLimitCases } from './hostile-http-cases.js';
import { aliasCases, depthCases, directiveCases, otherCases, pageCases, tokenCases } from './hostile-shape-cases.js';

export type { HostileCase, HostileRequest, Target } from './hostile-case.js';

/** Every hostile operation of the suite, each one a test case. */
export function hostileCases(): HostileCase[] {
  return [
    ...depthCases(),
    ...aliasCases(),
    ...pageCases(),
    ...tokenCases(),
    ...costCases(),
    ...bodySizeCases(),
    ...directiveCases(),
    ...malformedCases(),
    ...contentTypeCases(),
    ...batchCases(),
    ...introspectionCases(),
    ...suggestionCases(),
    ...rateLimitCases(),
    ...otherCases(),
  ];
}
