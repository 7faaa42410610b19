import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { projectRoot } from '../db/schema-engine.js';
import { schema } from './schema.js';

export const schemaFile = path.join(projectRoot, 'schema', 'schema.graphql');

/** The schema as committed in schema/schema.graphql. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
