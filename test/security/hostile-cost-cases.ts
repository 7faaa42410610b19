import { getIntrospectionQuery } from 'graphql';
import type { HostileCase } from './hostile-case.js';
import { op } from './hostile-case.js';

const threeYears = 'range: { start: "2023-01-01T00:00:00Z", end: "2026-01-01T00:00:00Z" }';

export function costCases(): HostileCase[] {
  const expensive = { code: 'QUERY_TOO_EXPENSIVE', status: 400, message: /asks for about \d+ KPI cells; the limit is 5000/ };
  const cases: HostileCase[] = [];
  for (const grain of ['DAY', 'WEEK']) {
    for (const by of ['OWNER', 'CAMPAIGN', 'TEAM', 'REGION']) {
      cases.push({
        name: `all KPIs × ${grain} series over 3 years × by ${by}`,
        target: 'test',
        request: op(`{ kpis { key series(${threeYears}, grain: ${grain}, by: ${by}) { start breakdown { label value { value } } } } }`),
        ...expensive,
      });
    }
  }
  for (const named of ['THIS_YEAR', 'LAST_YEAR', 'YEAR_TO_DATE']) {
    cases.push({
      name: `all KPIs × DAY series of ${named} (values only)`,
      target: 'test',
      request: op(`{ kpis { series(range: { named: ${named} }, grain: DAY) { value { value } } } }`),
      ...expensive,
    });
  }
  for (const [grain, by] of [['DAY', 'OWNER'], ['WEEK', 'TEAM'], ['MONTH', 'OWNER'], ['DAY', null]] as const) {
    cases.push({
      name: `all KPIs × ${grain}${by ? ` by ${by}` : ''} with range and grain as variables`,
      target: 'test',
      request: op(`query($r: PeriodInput!, $g: Grain!${by ? ', $by: KpiDimension' : ''}) { kpis { series(range: $r, grain: $g${by ? ', by: $by' : ''}) { value { value } ${by ? 'breakdown { key }' : ''} } } }`, {
        r: { start: '2023-01-01T00:00:00Z', end: '2026-01-01T00:00:00Z' },
        g: grain,
        ...(by ? { by } : {}),
      }),
      ...expensive,
    });
  }
  cases.push({
    name: 'series with a range variable left out (assumed the maximum)',
    target: 'test',
    request: op('query($r: PeriodInput!) { kpis { series(range: $r, grain: DAY) { value { value } } } }', {}),
    ...expensive,
  });
  cases.push({
    name: 'trailingDays 1000 × DAY × all KPIs',
    target: 'test',
    request: op('{ kpis { series(range: { trailingDays: 1000 }, grain: DAY) { value { value } } } }'),
    ...expensive,
  });
  for (const by of ['OWNER', 'CAMPAIGN']) {
    cases.push({
      name: `15 aliased all-KPI breakdowns by ${by}`,
      target: 'test',
      request: op(`{ ${Array.from({ length: 15 }, (_, i) => `a${i}: kpis { breakdown(period: { named: THIS_YEAR }, by: ${by}) { key } }`).join(' ')} }`),
      ...expensive,
    });
  }
  cases.push({
    name: 'expensive series hidden in fragments',
    target: 'test',
    request: op(`{ ...K } fragment K on Query { kpis { ...S } } fragment S on KpiDefinition { series(${threeYears}, grain: WEEK, by: OWNER) { breakdown { key } } }`),
    ...expensive,
  });
  cases.push({
    name: 'KPI keys as a variable: 5000 keys × value with compareTo',
    target: 'test',
    request: op('query($keys: [String!]) { kpis(keys: $keys) { value(period: { named: THIS_MONTH }, compareTo: PREVIOUS_PERIOD) { value } } }', {
      keys: Array.from({ length: 5000 }, (_, i) => `kpi_${i}`),
    }),
    ...expensive,
  });
  cases.push({
    name: 'recommendedKpis × DAY series over 3 years by OWNER',
    target: 'test',
    request: op(`{ recommendedKpis(stage: GROWTH) { series(${threeYears}, grain: DAY, by: OWNER) { breakdown { key } } } }`),
    ...expensive,
  });
  cases.push({
    name: 'one KPI × WEEK series over 3 years × 15 aliases by OWNER',
    target: 'test',
    request: op(`{ ${Array.from({ length: 15 }, (_, i) => `a${i}: kpi(key: "won_revenue") { series(${threeYears}, grain: WEEK, by: OWNER) { breakdown { key } } }`).join(' ')} }`),
    ...expensive,
  });
  return cases;
}

export function introspectionCases(): HostileCase[] {
  const queries = [
    ['the full introspection query', getIntrospectionQuery()],
    ['__schema types', '{ __schema { types { name } } }'],
    ['__schema queryType', '{ __schema { queryType { fields { name } } } }'],
    ['__type(Customer)', '{ __type(name: "Customer") { fields { name } } }'],
    ['__type(KpiDefinition)', '{ __type(name: "KpiDefinition") { fields { name args { name } } } }'],
    ['aliased __schema', '{ s: __schema { directives { name } } }'],
    ['__schema in a fragment', '{ ...I } fragment I on Query { __schema { mutationType { name } } }'],
    ['__type in an inline fragment', '{ ... on Query { __type(name: "Deal") { name } } }'],
    ['__schema beside real fields', '{ kpis { key } __schema { types { name } } }'],
  ];
  return queries.map(([name, query]) => ({ name: `introspection in production: ${name}`, target: 'production' as const, request: op(query!), code: 'INTROSPECTION_DISABLED', status: 400 }));
}

export function suggestionCases(): HostileCase[] {
  const queries: Array<[string, string, Record<string, unknown>?]> = [
    ['misspelled root field', '{ custmers(first: 1) { totalCount } }'],
    ['misspelled nested field', '{ kpi(key: "won_revenue") { nmae } }'],
    ['misspelled KPI field', '{ kpi(key: "won_revenue") { serie(range: { named: THIS_YEAR }, grain: MONTH) { start } } }'],
    ['misspelled argument', '{ customers(frist: 1) { totalCount } }'],
    ['misspelled enum literal', '{ kpi(key: "won_revenue") { series(range: { named: THIS_YEAR }, grain: MONTHH) { start } } }'],
    ['misspelled input field', '{ kpi(key: "won_revenue") { value(period: { name: THIS_YEAR }) { value } } }'],
    ['misspelled type of a variable', 'query($k: Strng!) { kpi(key: $k) { name } }'],
    ['misspelled enum in a variable', 'query($g: Grain!) { kpi(key: "won_revenue") { series(range: { named: THIS_YEAR }, grain: $g) { start } } }', { g: 'MONTHH' }],
    ['misspelled input field in a variable', 'query($p: PeriodInput!) { kpi(key: "won_revenue") { value(period: $p) { value } } }', { p: { nmed: 'THIS_YEAR' } }],
    ['misspelled dimension', '{ kpi(key: "won_revenue") { breakdown(period: { named: THIS_YEAR }, by: TEEM) { key } } }'],
    ['misspelled mutation', 'mutation { creatDeal { __typename } }'],
    ['misspelled field on a connection', '{ deals(first: 1) { edgs { node { title } } } }'],
  ];
  return queries.map(([name, query, variables]) => ({
    name: `field-suggestion probing in production: ${name}`,
    target: 'production' as const,
    request: op(query, variables),
    // Validation errors come back with 200 (the spec's answer for application/json), bad variables with 400.
    message: /^(?![\s\S]*Did you mean)/,
  }));
}
