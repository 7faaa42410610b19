import type { HostileCase } from './hostile-case.js';
import { op } from './hostile-case.js';

export function bodySizeCases(): HostileCase[] {
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

export function malformedCases(): HostileCase[] {
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

export function contentTypeCases(): HostileCase[] {
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

export function batchCases(): HostileCase[] {
  return [0, 1, 2, 10, 100, 1000].map((count) => ({
    name: `a batched array of ${count} operations`,
    target: 'test' as const,
    request: { body: Array.from({ length: count }, () => ({ query: '{ kpis { key } }' })) },
    status: 400,
  }));
}

export function rateLimitCases(): HostileCase[] {
  return Array.from({ length: 6 }, (_, i) => ({
    name: `over the rate limit, request ${i + 1}`,
    target: 'limited' as const,
    request: op(i % 2 ? '{ kpis { key } }' : '{ customers(first: 1) { edges { node { name } } } }'),
    code: 'RATE_LIMITED',
    status: 429,
  }));
}
