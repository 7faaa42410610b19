import { getNamedType, isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import type { GraphQLSchema } from 'graphql';

/**
 * Descriptions by schema coordinate: `Type`, `Type.field`, `Type.field(arg)`,
 * `Input.field`, `Enum.VALUE`. A description written beside a field in its
 * type file wins; these fill the rest, so the docs explorer of GraphiQL and
 * generated clients explain every part of the API.
 */
export type Descriptions = Readonly<Record<string, string>>;

const connectionArguments: Descriptions = {
  first: 'How many items to return from the start (after `after`); at most MAX_PAGE_SIZE (100 by default), 20 when neither first nor last is given.',
  last: 'How many items to return from the end (before `before`); at most MAX_PAGE_SIZE.',
  after: 'Return items after this cursor (an edge’s `cursor` or pageInfo.endCursor of the previous page).',
  before: 'Return items before this cursor (pageInfo.startCursor of the next page).',
};

/** Relay's structural parts, the same for every connection. */
function structural(typeName: string, fieldName?: string): string | undefined {
  const edge = /^(.*)Edge$/.exec(typeName);
  const connection = /^(.*)Connection$/.exec(typeName);
  if (edge) {
    if (fieldName === undefined) return 'One item of a page, with its cursor.';
    if (fieldName === 'node') return 'The item.';
    if (fieldName === 'cursor') return 'An opaque position: pass it as `after` or `before` to page from this item.';
  }
  if (connection) {
    if (fieldName === undefined) return `A page of items (Relay connection): edges in the order asked, and where the page sits (pageInfo).`;
    if (fieldName === 'edges') return 'The items of this page, each with its cursor.';
    if (fieldName === 'pageInfo') return 'Whether there are more items and the cursors to fetch them.';
  }
  return undefined;
}

/** Fills every missing description from `descriptions`, or from the Relay rules. */
export function describeSchema(schema: GraphQLSchema, descriptions: Descriptions): GraphQLSchema {
  const pick = (coordinate: string, typeName: string, fieldName?: string) => descriptions[coordinate] ?? structural(typeName, fieldName);
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (!type.description) type.description = pick(type.name, type.name) ?? null;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        if (!field.description) field.description = pick(coordinate, type.name, field.name);
        const pages = getNamedType(field.type).name.endsWith('Connection');
        for (const arg of field.args) {
          if (!arg.description) arg.description = descriptions[`${coordinate}(${arg.name})`] ?? (pages ? connectionArguments[arg.name] : undefined);
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) field.description = pick(`${type.name}.${field.name}`, type.name, field.name);
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) {
        if (!value.description) value.description = pick(`${type.name}.${value.name}`, type.name, value.name);
      }
    }
  }
  return schema;
}
