import { readFile } from 'node:fs/promises';
import { parser } from '@prometheus-io/lezer-promql';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { metricsRegistry, startProcessMetrics } from '../../src/telemetry/metrics.js';

interface Rule {
  alert?: unknown;
  expr?: unknown;
  for?: unknown;
  labels?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

/** The PromQL syntax errors of an expression, by Prometheus' own grammar. */
function promqlErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`at ${node.from}: "${expr.slice(Math.max(0, node.from - 10), node.to + 10)}"`);
    },
  });
  return errors;
}

describe('the example alert rules (docs/alerts.yml)', () => {
  it('tells a broken expression from a good one', () => {
    expect(promqlErrors('sum(rate(kpigraph_graphql_requests_total[5m])) > 1')).toEqual([]);
    expect(promqlErrors('sum(rate(kpigraph_graphql_requests_total[5m]) > 1')).not.toEqual([]);
    expect(promqlErrors('rate(x[5m]) >')).not.toEqual([]);
  });

  it('are valid YAML in Prometheus’ rule-file shape, each expression valid PromQL over metrics the server exports', async () => {
    const document = parseDocument(await readFile(new URL('../../docs/alerts.yml', import.meta.url), 'utf8'));
    expect(document.errors).toEqual([]);
    const { groups } = document.toJS() as { groups: { name: string; rules: Rule[] }[] };
    expect(groups.length).toBeGreaterThan(0);
    startProcessMetrics();
    const exported = new Set((await metricsRegistry.getMetricsAsJSON()).map((metric) => metric.name));
    const names = new Set<string>();
    for (const group of groups) {
      expect(typeof group.name).toBe('string');
      for (const rule of group.rules) {
        expect(rule.alert, JSON.stringify(rule)).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
        expect(names.has(String(rule.alert))).toBe(false);
        names.add(String(rule.alert));
        expect(typeof rule.expr).toBe('string');
        expect(promqlErrors(String(rule.expr)), String(rule.alert)).toEqual([]);
        if (rule.for !== undefined) expect(rule.for).toMatch(/^\d+[smhd]$/);
        expect(['page', 'ticket']).toContain(rule.labels?.['severity']);
        expect(typeof rule.annotations?.['summary']).toBe('string');
        for (const [metric] of String(rule.expr).matchAll(/\b(?:kpigraph|nodejs|process)_[a-z0-9_]+/g)) {
          const family = metric.replace(/_(bucket|sum|count)$/, '');
          expect(exported.has(family) || exported.has(metric), `${rule.alert}: ${metric}`).toBe(true);
        }
      }
    }
    expect(names.size).toBeGreaterThanOrEqual(8);
  });
});
