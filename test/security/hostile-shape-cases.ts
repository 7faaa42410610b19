import type { HostileCase } from './hostile-case.js';
import { op } from './hostile-case.js';

// A path through the schema that can nest without end: customer → deals → deal → customer …
function nested(depth: number): string {
  let inner = 'name';
  // Each round adds 4 levels (deals, edges, node, customer).
  const rounds = Math.ceil((depth - 4) / 4);
  for (let i = 0; i < rounds; i++) inner = `deals(first: 1) { edges { node { customer { ${inner} } } } }`;
  return `{ customers(first: 1) { edges { node { ${inner} } } } }`;
}

export function depthCases(): HostileCase[] {
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

export function aliasCases(): HostileCase[] {
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

export function pageCases(): HostileCase[] {
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

export function tokenCases(): HostileCase[] {
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

export function directiveCases(): HostileCase[] {
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

export function otherCases(): HostileCase[] {
  return [
    { name: 'a fragment that spreads itself', target: 'test', request: op('{ ...A } fragment A on Query { ...A }'), code: 'GRAPHQL_VALIDATION_FAILED' },
    { name: 'two fragments spreading each other', target: 'test', request: op('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }'), code: 'GRAPHQL_VALIDATION_FAILED' },
    { name: 'an unknown operation name', target: 'test', request: { body: { query: '{ __typename }', operationName: 'Nope' } }, status: 400 },
    { name: 'two anonymous operations', target: 'test', request: op('{ __typename } { kpis { key } }'), status: 400 },
    { name: 'a subscription of an introspection field', target: 'test', request: op('subscription { __typename }'), message: /Subscription must not select an introspection top level field/ },
  ];
}
