import type { GraphQLField, GraphQLNamedType, GraphQLObjectType, GraphQLSchema } from 'graphql';
import { getNamedType, isLeafType, isNonNullType, isObjectType } from 'graphql';

/**
 * Operations generated from the built schema that walk every relation path
 * to a given depth: from each root field of Query (and from `nodes` for every
 * Node type), every field leading to a record (an object with an `id`) or to
 * a connection of records is followed, with all leaf fields selected.
 */

/** A record type: an object type with an `id` field (Customer, DealStageEvent, …). */
function isRecord(type: GraphQLNamedType): type is GraphQLObjectType {
  return isObjectType(type) && 'id' in type.getFields();
}

/** The record type a Relay connection type holds, or null for anything else. */
function connectionNode(type: GraphQLNamedType): GraphQLObjectType | null {
  if (!isObjectType(type)) return null;
  const edges = type.getFields()['edges'];
  if (!edges) return null;
  const edge = getNamedType(edges.type);
  const node = isObjectType(edge) ? edge.getFields()['node'] : undefined;
  const nodeType = node ? getNamedType(node.type) : null;
  return nodeType && isRecord(nodeType) ? nodeType : null;
}

const callable = (field: GraphQLField<unknown, unknown>) => field.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined);

/** The selection of a record at `depth` relation hops from the root. */
export function recordSelection(type: GraphQLObjectType, depth: number, maxDepth: number, alias = ''): string {
  const parts = ['__typename'];
  for (const field of Object.values(type.getFields())) {
    if (!callable(field)) continue;
    const named = getNamedType(field.type);
    // Fragments on several types alias their fields apart (Ticket.kind and SurveyResponse.kind differ in type); `id` stays.
    const name = alias && field.name !== 'id' ? `${alias}${field.name}: ` : '';
    if (isLeafType(named)) {
      parts.push(`${name}${field.name}`);
    } else if (depth < maxDepth) {
      const nested = relationSelection(field, depth + 1, maxDepth);
      if (nested) parts.push(`${name}${nested}`);
    }
  }
  return parts.join(' ');
}

/** A field followed as a relation (to a record or a connection of records), or null when it leads to neither. */
function relationSelection(field: GraphQLField<unknown, unknown>, depth: number, maxDepth: number): string | null {
  const named = getNamedType(field.type);
  if (isRecord(named)) return `${field.name} { ${recordSelection(named, depth, maxDepth)} }`;
  const node = connectionNode(named);
  if (node) {
    const first = field.args.some((arg) => arg.name === 'first') ? '(first: 100)' : '';
    return `${field.name}${first} { edges { node { ${recordSelection(node, depth, maxDepth)} } } }`;
  }
  return null;
}

export interface WalkOperation {
  name: string;
  query: string;
  /** Set for the `nodes` walk: the IDs go in `$ids`. */
  needsIds?: boolean;
}

/** One operation per root field of Query that leads to records, plus `nodes(ids:)` with a fragment on every Node type. */
export function relationWalk(schema: GraphQLSchema, maxDepth = 3): WalkOperation[] {
  const operations: WalkOperation[] = [];
  const query = schema.getQueryType()!;
  for (const field of Object.values(query.getFields())) {
    if (field.name === 'node' || field.name === 'nodes' || !callable(field)) continue;
    const selection = relationSelection(field, 0, maxDepth);
    if (selection) operations.push({ name: field.name, query: `{ ${selection} }` });
  }
  const nodeTypes = Object.values(schema.getTypeMap()).filter(
    (type): type is GraphQLObjectType => isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node'),
  );
  const fragments = nodeTypes.map((type) => `... on ${type.name} { ${recordSelection(type, 0, maxDepth, `${type.name}_`)} }`).join(' ');
  operations.push({ name: 'nodes', query: `query Walk($ids: [ID!]!) { nodes(ids: $ids) { __typename ${fragments} } }`, needsIds: true });
  return operations;
}

export interface SeenRecord {
  typename: string;
  id: number;
  path: string;
}

/** Every record in a response: an object with `__typename` and `id` (global IDs decoded). */
export function recordsIn(value: unknown, nodeTypes: ReadonlySet<string>, path = ''): SeenRecord[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => recordsIn(item, nodeTypes, `${path}[${index}]`));
  if (typeof value !== 'object' || value === null) return [];
  const object = value as Record<string, unknown>;
  const found: SeenRecord[] = [];
  if (typeof object['__typename'] === 'string' && typeof object['id'] === 'string') {
    const typename = object['__typename'];
    const raw = nodeTypes.has(typename) ? Buffer.from(object['id'], 'base64').toString().split(':')[1] : object['id'];
    found.push({ typename, id: Number(raw), path });
  }
  for (const [key, child] of Object.entries(object)) found.push(...recordsIn(child, nodeTypes, `${path}.${key}`));
  return found;
}
