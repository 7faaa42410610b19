/**
 * A smoke test of the benchmark harness itself (not of speed): at the tiny
 * size, on the test database, every scenario runs, the server's numbers
 * equal the hand-written floor's, and the dashboard's statement counts are
 * what the engine promises. No timing is asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../bench/dataset.js';
import { openDataset } from '../../bench/dataset.js';
import type { HarnessResult, ScenarioResult } from '../../bench/harness.js';
import { runHarness } from '../../bench/harness.js';
import type { Database } from '../../src/db/client.js';
import { createTestDatabase } from '../support/database.js';

describe('the benchmark harness at tiny size', () => {
  let db: Database;
  let dataset: Dataset;
  let result: HarnessResult;
  const scenario = (name: string): ScenarioResult => result.scenarios.find((s) => s.name === name)!;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataset = await openDataset({ kind: db.kind, size: 'tiny', seed: 1, db });
    result = await runHarness(dataset, {
      scenarios: ['dashboard', 'single-kpi', 'goals-page', 'deals-page'],
      runs: 2,
      warmup: 0,
      naiveRuns: 1,
      http: true,
      concurrency: [],
      loadSeconds: 1,
    });
  }, 60_000);
  afterAll(async () => db.close());

  it('runs every scenario, and the server agrees with the floor on every value', () => {
    expect(dataset.rowCounts['Deal']).toBe(300);
    expect(dataset.rowCounts['Goal']).toBe(100);
    for (const s of result.scenarios) {
      // The goals API may not be part of this build yet; the harness says so.
      if (s.skipped) {
        expect(s.name).toBe('goals-page');
        continue;
      }
      expect(s.agreement?.mismatches, s.name).toEqual([]);
      expect(s.agreement!.cells, s.name).toBeGreaterThan(0);
      expect(s.inProcess?.runs).toBe(2);
      expect(s.http?.runs).toBe(2);
      expect(s.floor?.runs).toBe(2);
      expect(s.statements!.floor, `${s.name}: the floor is one statement`).toBe(1);
    }
    expect(scenario('dashboard').agreement!.cells).toBeGreaterThan(100);
    expect(result.memory.peakMb).toBeGreaterThan(0);
  });

  it('keeps the dashboard to one statement per measure group plus the team names, and far fewer than without batching', () => {
    const dashboard = scenario('dashboard');
    const { statements, reads, engine } = dashboard;
    // One statement per source (its measure groups as branches), plus the label lookup.
    expect(engine!.batched.statements).toBe(reads!.sources.length);
    expect(engine!.batched.statements).toBeLessThan(reads!.measureGroups.length);
    // The team names are kept between requests, so after the warm-up the
    // server runs only the engine's statements.
    expect(statements!.server).toBe(reads!.sources.length);
    expect(engine!.naive.statements).toBeGreaterThanOrEqual(engine!.naive.cells);
    expect(engine!.naive.statements).toBeGreaterThanOrEqual(15 * statements!.server);
    expect(engine!.naive.groups).toBe(engine!.batched.groups);
  });

  // The statement targets: one statement per source, and at least
  // 50× fewer than one query per cell.
  it('target: dashboard statements ≤ distinct measure sources', () => {
    const { statements, reads } = scenario('dashboard');
    expect(statements!.server).toBeLessThanOrEqual(reads!.sources.length);
  });

  it('target: dashboard statements ≥ 50× fewer than naive', () => {
    const { statements, engine } = scenario('dashboard');
    expect(engine!.naive.statements).toBeGreaterThanOrEqual(50 * statements!.server);
  });
});
