import type { GraphQLArgument, GraphQLField, GraphQLInputType, GraphQLNamedType, GraphQLObjectType, GraphQLSchema } from 'graphql';
import { getNamedType, isEnumType, isInputObjectType, isInterfaceType, isListType, isNonNullType, isObjectType, isUnionType } from 'graphql';

/**
 * Hostile requests generated from the schema: for every argument of every
 * field reachable from Query or Mutation, and for every field of its input
 * types at any depth, one request per hostile value of the argument's type,
 * the other required arguments filled with plausible values.
 */

export interface Hostile {
  family: string;
  value: unknown;
  /** No field may accept it: answered with an error, never with data. */
  mustRefuse: boolean;
}

export interface FuzzCase {
  name: string;
  query: string;
  variables: Record<string, unknown>;
  mustRefuse: boolean;
  mutation: boolean;
}

const b64 = (text: string) => Buffer.from(text).toString('base64');
const deep = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

const wrongTypes = (except: string): Hostile[] =>
  [
    { family: 'wrong type: number', value: 12, skip: except === 'number' },
    { family: 'wrong type: boolean', value: true, skip: except === 'boolean' },
    { family: 'wrong type: object', value: { a: 1 }, skip: false },
    { family: 'wrong type: string', value: 'twelve', skip: except === 'string' },
  ]
    .filter((hostile) => !hostile.skip)
    .map(({ family, value }) => ({ family, value, mustRefuse: true }));

const unicode: Hostile[] = [
  { family: 'emoji', value: '😀👩‍👩‍👧', mustRefuse: false },
  { family: 'right-to-left override', value: '\u202Eevil', mustRefuse: false },
  { family: 'combining marks', value: 'e\u0301\u0301\u0301', mustRefuse: false },
  { family: 'byte order mark', value: '\uFEFFname', mustRefuse: false },
  { family: 'lone surrogate', value: '\uD800x', mustRefuse: false },
  { family: 'SQL text', value: `x'); DROP TABLE "Customer"; --`, mustRefuse: false },
  { family: 'LIKE wildcards', value: '%_\\', mustRefuse: false },
];

/** Hostile values of a scalar or enum type. */
export function hostileValues(type: GraphQLNamedType): Hostile[] {
  switch (type.name) {
    case 'String':
      return [
        { family: 'NUL', value: 'a\u0000b', mustRefuse: true },
        { family: 'huge', value: 'x'.repeat(100_000), mustRefuse: false },
        { family: 'empty', value: '', mustRefuse: false },
        { family: 'blank', value: ' \t\n ', mustRefuse: false },
        ...unicode,
        ...wrongTypes('string').filter((hostile) => hostile.family !== 'wrong type: string'),
      ];
    case 'Int':
      return [
        { family: 'past int32', value: 2_147_483_648, mustRefuse: true },
        { family: 'huge', value: 1e15, mustRefuse: true },
        { family: 'negative', value: -1, mustRefuse: false },
        { family: 'most negative', value: -2_147_483_648, mustRefuse: false },
        { family: 'zero', value: 0, mustRefuse: false },
        { family: 'fraction', value: 1.5, mustRefuse: true },
        { family: 'NaN as text', value: 'NaN', mustRefuse: true },
        { family: 'Infinity as text', value: 'Infinity', mustRefuse: true },
        ...wrongTypes('number'),
      ];
    case 'Float':
      return [
        { family: 'huge', value: 1e308, mustRefuse: false },
        { family: 'negative huge', value: -1e308, mustRefuse: false },
        { family: 'tiny', value: 5e-324, mustRefuse: false },
        { family: 'NaN as text', value: 'NaN', mustRefuse: true },
        ...wrongTypes('number'),
      ];
    case 'Boolean':
      return [{ family: 'text', value: 'true', mustRefuse: true }, { family: 'number', value: 1, mustRefuse: true }, ...wrongTypes('boolean').filter((h) => h.family.endsWith('object'))];
    case 'ID':
      return [
        { family: 'not base64', value: '%%%', mustRefuse: false },
        { family: 'row part not a number', value: b64('Customer:abc'), mustRefuse: false },
        { family: 'negative row', value: b64('Customer:-1'), mustRefuse: false },
        { family: 'row past int32', value: b64('Customer:99999999999'), mustRefuse: false },
        { family: 'not a node type', value: b64('DealStageEvent:1'), mustRefuse: false },
        { family: 'unknown type', value: b64('Nope:1'), mustRefuse: false },
        { family: 'NUL', value: b64('Customer:1\u0000'), mustRefuse: false },
        { family: 'empty', value: '', mustRefuse: false },
        { family: 'wrong type: object', value: { id: 1 }, mustRefuse: true },
      ];
    case 'DateTime':
      return [
        { family: 'impossible day', value: '2026-02-30T00:00:00Z', mustRefuse: true },
        { family: 'year 0', value: '0000-01-01T00:00:00Z', mustRefuse: true },
        { family: 'year 275760', value: '275760-09-13T00:00:00Z', mustRefuse: true },
        { family: 'hour 24', value: '2026-01-01T24:00:00Z', mustRefuse: true },
        { family: 'offset +99:00', value: '2026-01-01T00:00:00+99:00', mustRefuse: true },
        { family: 'words', value: 'yesterday', mustRefuse: true },
        { family: 'far future', value: '9999-12-31T23:59:59.999Z', mustRefuse: false },
        { family: 'far past', value: '0001-01-01T00:00:00Z', mustRefuse: false },
        ...wrongTypes('string'),
      ];
    case 'Decimal':
      return [
        { family: 'exponent', value: '1e400', mustRefuse: true },
        { family: 'NaN', value: 'NaN', mustRefuse: true },
        { family: 'Infinity', value: 'Infinity', mustRefuse: true },
        { family: 'negative', value: '-1', mustRefuse: false },
        { family: 'negative zero', value: '-0', mustRefuse: false },
        { family: 'too many digits', value: '99999999999999999999.99', mustRefuse: true },
        { family: 'too many places', value: '0.0000001', mustRefuse: true },
        { family: 'huge in range', value: '999999999999999999', mustRefuse: false },
        { family: 'empty', value: '', mustRefuse: true },
        { family: 'wrong type: object', value: { a: 1 }, mustRefuse: true },
      ];
    case 'JSON':
      return [
        { family: 'over-deep', value: deep(100), mustRefuse: true },
        { family: 'deep within limit', value: deep(20), mustRefuse: false },
        { family: '__proto__ key', value: JSON.parse('{"__proto__": {"polluted": true}}'), mustRefuse: false },
        { family: 'over-long list', value: Array.from({ length: 10_001 }, () => 0), mustRefuse: true },
        { family: 'NUL inside', value: { a: 'x\u0000' }, mustRefuse: true },
        { family: 'text', value: 'just text', mustRefuse: false },
        { family: 'huge number', value: 1e308, mustRefuse: false },
      ];
    default:
      if (isEnumType(type)) {
        return [
          { family: 'unknown value', value: 'NOT_A_VALUE', mustRefuse: true },
          ...type
            .getValues()
            .slice(0, 1)
            .filter((value) => value.name.toLowerCase() !== value.name)
            .map((value) => ({ family: 'lower case', value: value.name.toLowerCase(), mustRefuse: true })),
          { family: 'number', value: 1, mustRefuse: true },
        ];
      }
      return [];
  }
}

export interface Fixture {
  /** A real row of each Node type, by typename, for IDs that resolve. */
  rows: Record<string, number>;
}

const idFor: [RegExp, string][] = [
  [/^customerId$/, 'Customer'],
  [/^dealId$/, 'Deal'],
  [/^(ownerId|userId|owner)$/, 'User'],
  [/^(teamId|team)$/, 'Team'],
  [/^campaignId|campaign$/, 'Campaign'],
];

/** A plausible valid value of an input type, so that a case reaches its hostile argument. */
export function plausible(type: GraphQLInputType, name: string, parent: string, fixture: Fixture): unknown {
  if (isNonNullType(type)) return plausible(type.ofType, name, parent, fixture);
  if (isListType(type)) return [plausible(type.ofType, name, parent, fixture)];
  if (isInputObjectType(type)) {
    if (type.name === 'PeriodInput') return { named: 'THIS_MONTH' };
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined) value[field.name] = plausible(field.type, field.name, type.name, fixture);
    }
    return value;
  }
  if (isEnumType(type)) return type.getValues()[0]!.name;
  switch (type.name) {
    case 'String':
      if (name === 'key' || name === 'kpiKey') return 'win_rate';
      if (name === 'date') return '2026-03-01';
      if (name === 'region') return 'DE';
      if (name === 'type' && parent === 'ImportBatch') return 'team';
      return 'Fuzz';
    case 'Int':
      return 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    case 'DateTime':
      return '2026-03-01T00:00:00Z';
    case 'Decimal':
      return '10.00';
    case 'JSON':
      return {};
    case 'ID': {
      const typename = idFor.find(([pattern]) => pattern.test(name))?.[1] ?? (parent.includes('Goal') ? 'Goal' : parent.includes('Deal') ? 'Deal' : 'Customer');
      return b64(`${typename}:${fixture.rows[typename] ?? 1}`);
    }
    default:
      return null;
  }
}

const argTypeText = (type: GraphQLInputType): string => type.toString();

/** The smallest valid selection of a field's result. */
function leafSelection(type: GraphQLNamedType): string {
  return isObjectType(type) || isInterfaceType(type) || isUnionType(type) ? ' { __typename }' : '';
}

/** Every (path, hostile value) of one argument: the argument itself and every input field under it. */
function argumentVariants(arg: GraphQLArgument, fixture: Fixture, explored: Set<string>): { path: string; value: unknown; hostile: Hostile }[] {
  const variants: { path: string; value: unknown; hostile: Hostile }[] = [];
  const visit = (type: GraphQLInputType, path: string[], build: (inner: unknown) => unknown, seen: Set<string>) => {
    const named = getNamedType(type);
    for (const hostile of hostileValues(named)) variants.push({ path: path.join('.'), value: build(hostile.value), hostile });
    if (isListType(isNonNullType(type) ? type.ofType : type)) {
      const item = plausible(isNonNullType(type) ? (type.ofType as { ofType: GraphQLInputType }).ofType : (type as unknown as { ofType: GraphQLInputType }).ofType, path.at(-1)!, '', fixture);
      variants.push({ path: path.join('.'), value: build(Array.from({ length: 10_001 }, () => item)), hostile: { family: 'over-long list', value: null, mustRefuse: true } });
    }
    // Each input type's fields are explored where it first appears (KpiFilter is an argument of many fields).
    if (isInputObjectType(named)) {
      variants.push({ path: path.join('.'), value: build({ unknownField: 1 }), hostile: { family: 'unknown field', value: null, mustRefuse: true } });
      variants.push({ path: path.join('.'), value: build('text'), hostile: { family: 'wrong type: string', value: null, mustRefuse: true } });
    }
    if (isInputObjectType(named) && !seen.has(named.name) && !explored.has(named.name)) {
      explored.add(named.name);
      const base = plausible(named, path.at(-1)!, '', fixture) as Record<string, unknown>;
      const wrap = isListType(isNonNullType(type) ? type.ofType : type);
      for (const field of Object.values(named.getFields())) {
        visit(field.type, [...path, field.name], (inner) => build(wrap ? [{ ...base, [field.name]: inner }] : { ...base, [field.name]: inner }), new Set([...seen, named.name]));
      }
    }
  };
  visit(arg.type, [arg.name], (inner) => inner, new Set());
  return variants;
}

/** A way to reach each object type from the root: the selection to wrap around one of its fields. */
function pathsToTypes(schema: GraphQLSchema, fixture: Fixture): Map<string, (inner: string) => string> {
  const paths = new Map<string, (inner: string) => string>();
  const query = schema.getQueryType()!;
  paths.set(query.name, (inner) => inner);
  for (const [typename, id] of Object.entries(fixture.rows)) {
    if (schema.getType(typename)) paths.set(typename, (inner) => `node(id: "${b64(`${typename}:${id}`)}") { ... on ${typename} { ${inner} } }`);
  }
  const queue: GraphQLObjectType[] = [query];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    const wrap = paths.get(parent.name)!;
    for (const field of Object.values(parent.getFields())) {
      const named = getNamedType(field.type);
      if (!isObjectType(named) || paths.has(named.name) || field.name === 'node' || field.name === 'nodes') continue;
      const args = field.args
        .filter((arg) => (isNonNullType(arg.type) && arg.defaultValue === undefined) || arg.name === 'first')
        .map((arg) => `${arg.name}: ${arg.name === 'first' ? '1' : toLiteral(plausible(arg.type, arg.name, parent.name, fixture), arg.type)}`);
      const call = args.length > 0 ? `${field.name}(${args.join(', ')})` : field.name;
      paths.set(named.name, (inner) => wrap(`${call} { ${inner} }`));
      queue.push(named);
    }
  }
  return paths;
}

/** A value written as a GraphQL literal of its type (enum values bare). */
function toLiteral(value: unknown, type: GraphQLInputType): string {
  if (isNonNullType(type)) return toLiteral(value, type.ofType);
  if (isListType(type)) return `[${(value as unknown[]).map((item) => toLiteral(item, type.ofType)).join(', ')}]`;
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    return `{ ${Object.entries(value as Record<string, unknown>).map(([key, item]) => `${key}: ${toLiteral(item, fields[key]!.type)}`).join(', ')} }`;
  }
  return isEnumType(type) ? String(value) : JSON.stringify(value);
}

/** Every generated case. */
export function fuzzCases(schema: GraphQLSchema, fixture: Fixture): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const explored = new Set<string>();
  const paths = pathsToTypes(schema, fixture);
  const mutation = schema.getMutationType();
  const targets: { owner: GraphQLObjectType; wrap: (inner: string) => string; operation: 'query' | 'mutation' }[] = [
    ...[...paths.entries()].map(([typename, wrap]) => ({ owner: schema.getType(typename) as GraphQLObjectType, wrap, operation: 'query' as const })),
    ...(mutation ? [{ owner: mutation, wrap: (inner: string) => inner, operation: 'mutation' as const }] : []),
  ];
  for (const { owner, wrap, operation } of targets) {
    for (const field of Object.values(owner.getFields()) as GraphQLField<unknown, unknown>[]) {
      if (field.args.length === 0) continue;
      const declarations = field.args.map((arg) => `$${arg.name}: ${argTypeText(arg.type)}`).join(', ');
      const call = `${field.name}(${field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ')})${leafSelection(getNamedType(field.type))}`;
      const query = `${operation} Fuzz(${declarations}) { ${wrap(call)} }`;
      const base: Record<string, unknown> = {};
      for (const arg of field.args) if (isNonNullType(arg.type) && arg.defaultValue === undefined) base[arg.name] = plausible(arg.type, arg.name, `${owner.name}.${field.name}`, fixture);
      for (const arg of field.args) {
        for (const variant of argumentVariants(arg, fixture, explored)) {
          cases.push({
            name: `${owner.name}.${field.name}(${variant.path}): ${variant.hostile.family}`,
            query,
            variables: { ...base, [arg.name]: variant.value },
            mustRefuse: variant.hostile.mustRefuse,
            mutation: operation === 'mutation',
          });
        }
      }
    }
  }
  return cases;
}

