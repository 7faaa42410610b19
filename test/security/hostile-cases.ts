import { getIntrospectionQuery } from 'graphql';

/** Which test server a case is sent to. */
export type Target = 'test' | 'production' | 'limited';

/** A raw HTTP request: `body` an object is sent as JSON, a string as is. */
export interface HostileRequest {
  method?: 'GET' | 'POST';
  /** Query string of a GET (without `?`). */
  search?: string;
  headers?: Record<string, string>;
  /** Leave out the API key (as a cross-site browser request would). */
  noKey?: boolean;
  body?: unknown;
}

export interface HostileCase {
  name: string;
  target: Target;
  request: HostileRequest;
  /** The refusal: an HTTP status, and/or the first error's code, and/or its message. */
  status?: number;
  code?: string;
  message?: RegExp;
  /** Refused only while resolving (a subscription): the context is built, from warm caches. */
  atExecution?: boolean;
}

const op = (query: string, variables?: Record<string, unknown>): HostileRequest => ({ body: variables ? { query, variables } : { query } });

// A path through the schema that can nest without end: customer → deals → deal → customer …
function nested(depth: number): string {
  let inner = 'name';
  // Each round adds 4 levels (deals, edges, node, customer).
  const rounds = Math.ceil((depth - 4) / 4);
  for (let i = 0; i < rounds; i++) inner = `deals(first: 1) { edges { node { customer { ${inner} } } } }`;
  return `{ customers(first: 1) { edges { node { ${inner} } } } }`;
}

function depthCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const depth of [12, 13, 16, 17, 20, 24, 28, 40]) {
    cases.push({ name: `depth ${depth} through customer/deal fields`, target: 'test', request: op(nested(depth)), code: 'QUERY_TOO_DEEP', status: 400 });
  }
  for (const depth of [11, 15, 30, 100]) {
    const query = `{ ${'... on Query { '.repeat(depth)}__typename${' }'.repeat(depth)} }`;
    cases.push({ name: `depth ${depth} of nested inline fragments`, target: 'test', request: op(query), code: 'QUERY_TOO_DEEP', status: 400 });
  }
  for (const chain of [11, 14, 20]) {
    const fragments = Array.from({ length: chain }, (_, i) =>
      i === chain - 1 ? `fragment F${i} on Query { __typename }` : `fragment F${i} on Query { ...F${i + 1} }`,
    );
    cases.push({ name: `depth through a chain of ${chain} named fragments`, target: 'test', request: op(`{ ...F0 } ${fragments.join(' ')}`), code: 'QUERY_TOO_DEEP', status: 400 });
  }
  return cases;
}

function aliasCases(): HostileCase[] {
  const fields = ['kpis { key }', 'teams { name }', 'customers(first: 1) { edges { node { name } } }', 'kpi(key: "won_revenue") { name }', 'workspace { name }'];
  const cases: HostileCase[] = [];
  for (const field of fields) {
    for (const count of [16, 25, 100, 400]) {
      cases.push({
        name: `${count} aliases of ${field.split(/[ ({]/)[0]}`,
        target: 'test',
        request: op(`{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`),
        // A flood this big may hit the token limit first; either refusal is fine.
        message: /more than \d+ (aliases|tokens)/,
        status: 400,
      });
    }
  }
  cases.push({
    name: '16 aliases hidden in a fragment',
    target: 'test',
    request: op(`{ ...A } fragment A on Query { ${Array.from({ length: 16 }, (_, i) => `a${i}: teams { name }`).join(' ')} }`),
    code: 'TOO_MANY_ALIASES',
    status: 400,
  });
  return cases;
}

function pageCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  const connections = ['customers', 'deals', 'users'];
  for (const connection of connections) {
    for (const size of [101, 1000, 100000, 2147483647]) {
      for (const arg of ['first', 'last']) {
        const node = connection === 'users' ? 'name' : connection === 'deals' ? 'title' : 'name';
        cases.push({
          name: `${connection}(${arg}: ${size})`,
          target: 'test',
          request: op(`{ ${connection}(${arg}: ${size}) { edges { node { ${node} } } } }`),
          code: 'BAD_USER_INPUT',
          message: /at most \d+ \(the maximum page size\)/,
          status: 400,
        });
      }
    }
  }
  cases.push({
    name: 'page size as a variable: customers(first: $n) with n = 100000',
    target: 'test',
    request: op('query($n: Int) { customers(first: $n) { edges { node { name } } } }', { n: 100000 }),
    code: 'BAD_USER_INPUT',
    status: 400,
  });
  cases.push({
    name: 'negative page size',
    target: 'test',
    request: op('{ customers(first: -5) { edges { node { name } } } }'),
    code: 'BAD_USER_INPUT',
    message: /must not be negative/,
  });
  cases.push({
    name: 'page size beyond a 32-bit Int',
    target: 'test',
    request: op('{ customers(first: 99999999999) { edges { node { name } } } }'),
    code: 'GRAPHQL_VALIDATION_FAILED',
  });
  return cases;
}

function tokenCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const count of [2001, 3000, 10000, 50000]) {
    cases.push({ name: `${count} repeated __typename tokens`, target: 'test', request: op(`{ ${'__typename '.repeat(count)}}`), code: 'TOO_MANY_TOKENS', status: 400 });
    const keys = Array.from({ length: count }, (_, i) => `"k${i}"`).join(' ');
    cases.push({ name: `a literal list of ${count} KPI keys`, target: 'test', request: op(`{ kpis(keys: [${keys}]) { key } }`), code: 'TOO_MANY_TOKENS', status: 400 });
    cases.push({ name: `${count} punctuation tokens`, target: 'test', request: op(`{ kpis(keys: ${'['.repeat(count)}${']'.repeat(count)}) { key } }`), code: 'TOO_MANY_TOKENS', status: 400 });
  }
  for (const count of [1100, 5000]) {
    const variables = Array.from({ length: count }, (_, i) => `$v${i}: Int`).join(' ');
    cases.push({ name: `${count} variable definitions`, target: 'test', request: op(`query(${variables}) { __typename }`), code: 'TOO_MANY_TOKENS', status: 400 });
  }
  return cases;
}

const threeYears = 'range: { start: "2023-01-01T00:00:00Z", end: "2026-01-01T00:00:00Z" }';

function costCases(): HostileCase[] {
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

function bodySizeCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const megabytes of [1.1, 2, 8, 30]) {
    const size = Math.round(megabytes * 1_000_000);
    cases.push({
      name: `a ${megabytes} MB string variable`,
      target: 'test',
      request: op('query($x: String) { __typename }', { x: 'x'.repeat(size) }),
      code: 'REQUEST_ENTITY_TOO_LARGE',
      status: 413,
    });
  }
  cases.push({
    name: 'a 300,000-item list variable (about 2 MB)',
    target: 'test',
    request: op('query($keys: [String!]) { kpis(keys: $keys) { key } }', { keys: Array.from({ length: 300_000 }, (_, i) => `key_${i}`) }),
    code: 'REQUEST_ENTITY_TOO_LARGE',
    status: 413,
  });
  cases.push({
    name: 'a deeply nested JSON params variable over the size limit',
    target: 'test',
    request: { body: `{"query":"query($p: JSON) { __typename }","variables":{"p":${'{"a":'.repeat(250_000)}1${'}'.repeat(250_000)}}}` },
    code: 'REQUEST_ENTITY_TOO_LARGE',
    status: 413,
  });
  cases.push({
    name: 'a huge Content-Length announced up front',
    target: 'test',
    request: { headers: { 'content-length': '50000000' }, body: { query: '{ __typename }' } },
    status: 413,
  });
  cases.push({
    name: 'a 1.5 MB comment in the query',
    target: 'test',
    request: op(`# ${'z'.repeat(1_500_000)}\n{ __typename }`),
    code: 'REQUEST_ENTITY_TOO_LARGE',
    status: 413,
  });
  return cases;
}

function directiveCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const count of [51, 80, 150, 250]) {
    for (const directive of ['@include(if: true)', '@skip(if: false)']) {
      cases.push({ name: `${count} × ${directive}`, target: 'test', request: op(`{ ${`__typename ${directive} `.repeat(count)}}`), message: /more than \d+ (directives|tokens)/, status: 400 });
    }
  }
  cases.push({
    name: '51 directives spread over fragments',
    target: 'test',
    request: op(`{ ...A ...B } fragment A on Query { ${'__typename @include(if: true) '.repeat(26)}} fragment B on Query { ${'__typename @skip(if: false) '.repeat(25)}}`),
    code: 'TOO_MANY_DIRECTIVES',
    status: 400,
  });
  return cases;
}

function malformedCases(): HostileCase[] {
  const badRequest = { status: 400, code: 'BAD_REQUEST' };
  // A body that is JSON but no query is answered as the GraphQL-over-HTTP spec has it: 200 with the error, for application/json.
  const noQuery = { code: 'BAD_REQUEST', message: /Must provide query string/ };
  const syntax = { code: 'GRAPHQL_PARSE_FAILED', message: /Syntax Error/ };
  const bodies: Array<[string, Pick<HostileCase, 'status' | 'code' | 'message'>]> = [
    ['{', badRequest],
    ['{"query": ', badRequest],
    ['not json at all', badRequest],
    ['[', badRequest],
    ['"a string"', badRequest],
    ['123', badRequest],
    ['null', badRequest],
    ['true', badRequest],
    ['{"query": 123}', badRequest],
    ['{"query": null}', noQuery],
    ['{"query": ["{ __typename }"]}', badRequest],
    ['{"query": {"nested": true}}', badRequest],
    ['{"query": "{ __typename }", "variables": "not an object"}', badRequest],
    ['{"query": "{ __typename }", "variables": [1, 2]}', badRequest],
    ['{"query": "{ __typename }", "extensions": "nope"}', badRequest],
    ['{"query": "{ __typename }", "operationName": 42}', { status: 400, code: 'OPERATION_RESOLUTION_FAILURE' }],
    ['{"query": "{ __typename }",}', badRequest],
    ["{'query': '{ __typename }'}", badRequest],
    ['', badRequest],
    ['\u0000\u0001\u0002', badRequest],
    ['{"query": "{ __typename }"}}}}', badRequest],
    ['{"quer": "{ __typename }"}', badRequest],
    ['{}', noQuery],
    ['{"query": "{ __typename"}', syntax],
    ['{"query": "query { customers(first: 1) { edges { node { name } } } } mutation"}', syntax],
  ];
  return bodies.map(([body, expected], index) => ({
    name: `malformed body #${index + 1}: ${JSON.stringify(body.slice(0, 40))}`,
    target: 'test' as const,
    request: { body },
    ...expected,
  }));
}

function contentTypeCases(): HostileCase[] {
  const body = JSON.stringify({ query: '{ __typename }' });
  const cases: HostileCase[] = [];
  for (const type of ['application/xml', 'text/html', 'application/octet-stream', 'image/png', 'application/jsonx', 'text/csv']) {
    cases.push({ name: `content type ${type}`, target: 'test', request: { headers: { 'content-type': type }, body }, status: 415 });
  }
  // What a cross-site form or fetch without preflight can send: a simple content type and no custom header.
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    cases.push({ name: `cross-site ${type.split(';')[0]} POST without key or custom header (CSRF)`, target: 'test', request: { noKey: true, headers: { 'content-type': type }, body }, status: 403, message: /CSRF/ });
  }
  cases.push({ name: 'cross-site GET without key or custom header (CSRF)', target: 'test', request: { method: 'GET', noKey: true, search: 'query=%7B__typename%7D' }, status: 403, message: /CSRF/ });
  cases.push({ name: 'GET without a content type or key', target: 'production', request: { method: 'GET', noKey: true, search: 'query=%7Bcustomers(first%3A1)%7Bedges%7Bnode%7Bname%7D%7D%7D%7D' }, status: 403 });
  cases.push({ name: 'a mutation over GET', target: 'test', request: { method: 'GET', search: `query=${encodeURIComponent('mutation { __typename }')}` }, status: 405 });
  return cases;
}

function batchCases(): HostileCase[] {
  return [0, 1, 2, 10, 100, 1000].map((count) => ({
    name: `a batched array of ${count} operations`,
    target: 'test' as const,
    request: { body: Array.from({ length: count }, () => ({ query: '{ kpis { key } }' })) },
    status: 400,
  }));
}

function introspectionCases(): HostileCase[] {
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

function suggestionCases(): HostileCase[] {
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

function rateLimitCases(): HostileCase[] {
  return Array.from({ length: 6 }, (_, i) => ({
    name: `over the rate limit, request ${i + 1}`,
    target: 'limited' as const,
    request: op(i % 2 ? '{ kpis { key } }' : '{ customers(first: 1) { edges { node { name } } } }'),
    code: 'RATE_LIMITED',
    status: 429,
  }));
}

function otherCases(): HostileCase[] {
  return [
    { name: 'a fragment that spreads itself', target: 'test', request: op('{ ...A } fragment A on Query { ...A }'), code: 'GRAPHQL_VALIDATION_FAILED' },
    { name: 'two fragments spreading each other', target: 'test', request: op('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }'), code: 'GRAPHQL_VALIDATION_FAILED' },
    { name: 'an unknown operation name', target: 'test', request: { body: { query: '{ __typename }', operationName: 'Nope' } }, status: 400 },
    { name: 'two anonymous operations', target: 'test', request: op('{ __typename } { kpis { key } }'), status: 400 },
    { name: 'a subscription', target: 'test', request: op('subscription { __typename }'), message: /not configured to execute subscription/, atExecution: true },
  ];
}

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
