import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createFixture } from '../../src/testing/fixture.js';
import { createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';
import { twoTeamsQ1 as spec } from '../support/two-teams-q1.js';

/** Variables with defaults (one non-null), windows, comparisons, top-N, nulls with reasons, enums and aliases. */
const rich = `query Rich($keys: [String!]! = ["won_revenue", "win_rate", "avg_deal_size"], $range: PeriodInput! = { start: "2025-01-01T00:00:00Z", end: "2025-04-01T00:00:00Z" }) {
  kpis(keys: $keys) {
    key unit direction
    total: value(period: $range, compareTo: PREVIOUS_PERIOD) { value exact target status reason { code } previous { exact change relativeChange } }
    series(range: $range, grain: MONTH, by: TEAM, window: { cumulative: true }) {
      start end
      value { exact reason { code message } }
      breakdown { key label value { exact status } shareOfTotal { value } }
    }
    top: breakdown(period: $range, by: OWNER, orderBy: { value: DESC }, first: 1) { key label value { exact } }
  }
}`;

describe('KPI queries compiled by graphql-jit', () => {
  let db: Database;
  let compiled: TestClient;
  let interpreted: TestClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    const { workspaceId } = await createFixture(db, spec);
    compiled = createTestClient(db, workspaceId, { GRAPHQL_JIT: 'on' });
    interpreted = createTestClient(db, workspaceId, { GRAPHQL_JIT: 'off' });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('answer exactly what graphql-js answers, defaults of non-null variables included', async () => {
    const before = compiled.server.compiledQueries!.counters.compiled;
    const [fast, reference] = [await compiled.execute(rich), await interpreted.execute(rich)];
    expect(fast.errors).toBeUndefined();
    expect(fast).toEqual(reference);
    expect(compiled.server.compiledQueries!.counters.compiled - before).toBe(1);
    expect(interpreted.server.compiledQueries).toBeUndefined();
    const data = fast.data as { kpis: { key: string; total: { exact: string | null } }[] };
    expect(data.kpis.map((kpi) => [kpi.key, kpi.total.exact])).toEqual([
      ['won_revenue', '350.3'],
      ['win_rate', '0.75'],
      ['avg_deal_size', '116.76666666666666667'],
    ]);
  });

  // A resolver's error carries no source locations when compiled; message, path, code and fields are the same.
  const withoutLocations = (result: { errors?: readonly object[] }) => ({ ...result, errors: result.errors?.map((error) => ({ ...error, locations: undefined })) });

  it('report errors as graphql-js does (but for locations): an unknown KPI, an impossible period, a bad variable', async () => {
    for (const [query, variables] of [
      [rich, { keys: ['won_revenue', 'no_such_kpi'] }],
      [rich, { range: { start: '2025-04-01T00:00:00Z', end: '2025-01-01T00:00:00Z' } }],
      [rich, { keys: [true] }],
    ] as const) {
      const [fast, reference] = [await compiled.execute(query, variables), await interpreted.execute(query, variables)];
      expect(withoutLocations(fast)).toEqual(withoutLocations(reference));
      expect(fast.errors?.length ?? 0, JSON.stringify(fast).slice(0, 300)).toBeGreaterThan(0);
    }
  });

  it('leave a document with an inline date to graphql-js, which reads it as a day in the workspace’s zone', async () => {
    const inline = `{ kpi(key: "won_revenue") { value(period: { start: "2025-03-01", end: "2025-04-01" }) { exact } } }`;
    const before = { ...compiled.server.compiledQueries!.counters };
    const result = await compiled.execute<{ kpi: { value: { exact: string } } }>(inline);
    expect(result.errors).toBeUndefined();
    expect(result.data!.kpi.value.exact).toBe('50');
    expect(compiled.server.compiledQueries!.counters).toEqual({ ...before, fellBack: before.fellBack + 1 });
  });

  it('leave record pages and mutations to graphql-js', async () => {
    const before = { ...compiled.server.compiledQueries!.counters };
    expect((await compiled.execute(`{ kpis(keys: ["won_revenue"]) { key } deals(first: 1) { totalCount } }`)).errors).toBeUndefined();
    expect(compiled.server.compiledQueries!.counters).toEqual(before);
  });
});
