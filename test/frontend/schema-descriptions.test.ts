import { buildSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import type { GraphQLNamedType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { apiDescriptions } from '../../src/graphql/descriptions/api.js';
import { kpiGoalDescriptions } from '../../src/graphql/descriptions/kpi-goals.js';
import { recordDescriptions } from '../../src/graphql/descriptions/records.js';
import { schema } from '../../src/graphql/schema.js';
import { undescribed } from '../support/undescribed.js';

function coordinatesOf(type: GraphQLNamedType): string[] {
  if (isObjectType(type) || isInterfaceType(type)) {
    return [
      type.name,
      ...Object.values(type.getFields()).flatMap((field) => [`${type.name}.${field.name}`, ...field.args.map((arg) => `${type.name}.${field.name}(${arg.name})`)]),
    ];
  }
  if (isInputObjectType(type)) return [type.name, ...Object.keys(type.getFields()).map((name) => `${type.name}.${name}`)];
  if (isEnumType(type)) return [type.name, ...type.getValues().map((value) => `${type.name}.${value.name}`)];
  return [type.name];
}

describe('the schema documents itself', () => {
  it('describes every type, field, argument, input field and enum value (add a description string to each new one)', () => {
    expect(undescribed(schema)).toEqual([]);
  });

  it('finds the undescribed parts of a schema, arguments and enum values included', () => {
    const bare = buildSchema('"Doc." type Query { "Doc." kpi(key: String): Unit } enum Unit { COUNT }');
    expect(undescribed(bare)).toEqual(['Query.kpi(key)', 'Unit', 'Unit.COUNT']);
  });

  it('has a description for nothing that is not in the schema (a renamed field takes its text along)', () => {
    const coordinates = new Set(Object.values(schema.getTypeMap()).flatMap((type) => coordinatesOf(type)));
    const stale = Object.keys({ ...recordDescriptions, ...kpiGoalDescriptions, ...apiDescriptions }).filter((key) => !coordinates.has(key));
    expect(stale).toEqual([]);
  });
});
