import { performance } from 'node:perf_hooks';
import type { FixtureSpec } from '../../src/testing/fixture.js';

/** A Relay global ID as the API hands it out. */
export function gid(typename: string, id: number): string {
  return Buffer.from(`${typename}:${id}`).toString('base64');
}

export interface HttpOutcome {
  /** HTTP status, or 0 when no response came (refused, reset, timed out). */
  status: number;
  body?: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  /** The network error when there was no response. */
  failure?: string;
  /** The Retry-After header, when there was one. */
  retryAfter?: string | null;
  ms: number;
}

/**
 * One GraphQL POST over real HTTP. Never throws: a fault test wants to count
 * what came back, and a client-side deadline turns a hang into a visible
 * failure instead of a stuck test.
 */
export async function postGraphql(
  baseUrl: string,
  key: string,
  query: string,
  variables: Record<string, unknown> = {},
  deadlineMs = 10_000,
): Promise<HttpOutcome> {
  const started = performance.now();
  try {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(deadlineMs),
    });
    const text = await response.text();
    let body: HttpOutcome['body'];
    try {
      body = JSON.parse(text) as HttpOutcome['body'];
    } catch {
      body = { errors: [{ message: `non-JSON body: ${text.slice(0, 200)}` }] };
    }
    return { status: response.status, body, retryAfter: response.headers.get('retry-after'), ms: performance.now() - started };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : String(error);
    return { status: 0, failure: cause, ms: performance.now() - started };
  }
}

/** GET of a plain endpoint (`/health`, `/ready`): the status, 0 when refused. */
export async function getStatus(baseUrl: string, endpoint: string, deadlineMs = 5_000): Promise<number> {
  try {
    const response = await fetch(`${baseUrl}${endpoint}`, { signal: AbortSignal.timeout(deadlineMs) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** Polls `check` until it returns true or `timeoutMs` passes; resolves with the time it took, rejects on timeout. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A small workspace: two teams, a handful of customers, won and lost deals and payments over 2025. */
export function smallWorkspace(customers = 12): FixtureSpec {
  const names = Array.from({ length: customers }, (_, i) => `Customer ${i + 1}`);
  return {
    workspace: { name: 'Faults', timeZone: 'UTC' },
    users: [
      { name: 'nora', team: 'North' },
      { name: 'sam', team: 'South' },
    ],
    customers: names.map((name, i) => ({ name, owner: i % 2 ? 'sam' : 'nora', region: i % 3 ? 'DE' : 'FR', convertedAt: '2025-01-15T00:00:00Z' })),
    deals: names.flatMap((name, i) => [
      { customer: name, stage: 'WON' as const, amount: `${100 + i}.25`, closedAt: `2025-0${1 + (i % 9)}-10T00:00:00Z` },
      { customer: name, stage: 'LOST' as const, amount: '10.00', closedAt: `2025-0${1 + (i % 9)}-20T00:00:00Z`, lostReason: 'price' },
    ]),
    payments: names.map((name, i) => ({ customer: name, amount: `${50 + i}.10`, paidAt: `2025-0${1 + (i % 9)}-12T00:00:00Z` })),
  };
}

/** A read-only mix a dashboard sends: one KPI series and a page of customers. */
export const kpiSeriesQuery = /* GraphQL */ `
  query Series($range: PeriodInput!) {
    kpi(key: "win_rate") { series(grain: MONTH, range: $range) { start value { value } } }
  }
`;
export const customersPageQuery = /* GraphQL */ `
  { customers(first: 10) { edges { node { id name } } } }
`;
export const year2025 = { range: { start: '2025-01-01T00:00:00Z', end: '2026-01-01T00:00:00Z' } };

export interface Sample extends HttpOutcome {
  client: number;
  /** performance.now() when the request was sent and when its answer (or failure) came. */
  start: number;
  end: number;
}

/** A 200 with data and no errors. */
export const succeeded = (sample: HttpOutcome): boolean => sample.status === 200 && !sample.body?.errors?.length && sample.body?.data != null;

export interface Load {
  readonly samples: readonly Sample[];
  /** Stops sending and waits for the requests in flight. */
  stop(): Promise<void>;
}

/**
 * `clients` concurrent loops, each sending a KPI series and a customers page
 * in turn until stopped; every request is recorded with its timing. A
 * bounded deadline per request keeps a hang from stalling the loop.
 */
export function startLoad(baseUrl: string, key: string, clients: number, deadlineMs = 10_000): Load {
  const samples: Sample[] = [];
  let stopping = false;
  const loop = async (client: number): Promise<void> => {
    for (let i = 0; !stopping; i++) {
      const start = performance.now();
      const outcome = i % 2 === client % 2 ? await postGraphql(baseUrl, key, kpiSeriesQuery, year2025, deadlineMs) : await postGraphql(baseUrl, key, customersPageQuery, {}, deadlineMs);
      samples.push({ ...outcome, client, start, end: performance.now() });
      // A refused connection returns at once: pause so a dead server does not spin the loop.
      if (outcome.status === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const loops = Array.from({ length: clients }, (_, client) => loop(client));
  return {
    samples,
    async stop() {
      stopping = true;
      await Promise.all(loops);
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
