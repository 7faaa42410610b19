import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { OperationDefinitionNode } from 'graphql';
import { Kind, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';
import type { WorkspaceFixture } from './fixtures.js';
import { operationVariables, seedOperationsWorkspace } from './operation-variables.js';

/**
 * Runs every example operation in schema/operations/ (the README shows
 * them) against a seeded workspace and requires an answer without errors.
 * New files are picked up by themselves; one whose operation has required
 * variables needs an entry in operation-variables.ts, keyed by file name. Entries
 * are functions of the fixture (see fixtures.ts) so that IDs are real.
 * Files run in name order on one database, so mutations here must not
 * depend on or break each other.
 */
const variables = operationVariables;

const folder = path.resolve(import.meta.dirname, '../../schema/operations');
const files = readdirSync(folder).filter((name) => name.endsWith('.graphql')).sort();

function theOperation(name: string, source: string): OperationDefinitionNode {
  const operations = parse(source).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  expect(operations, `${name} must hold exactly one operation`).toHaveLength(1);
  return operations[0]!;
}

let db: Database;
let client: TestClient;
let fixture: WorkspaceFixture;

beforeAll(async () => {
  db = await createTestDatabase();
  fixture = await seedOperationsWorkspace(db);
  client = createTestClient(db, fixture.workspaceId);
});
afterAll(async () => db.close());

describe('schema/operations', () => {
  it('has example operations', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s runs without errors', async (name) => {
    const source = readFileSync(path.join(folder, name), 'utf8');
    const operation = theOperation(name, source);
    const required = (operation.variableDefinitions ?? [])
      .filter((v) => v.type.kind === Kind.NON_NULL_TYPE && !v.defaultValue)
      .map((v) => `$${v.variable.name.value}`);
    const entry = variables[name];
    if (!entry && required.length > 0) {
      throw new Error(
        `${name} needs variables (${required.join(', ')}): add an entry '${name}' to operationVariables in test/graphql/operation-variables.ts.`,
      );
    }
    const result = await client.execute<Record<string, unknown>>(source, entry ? entry(fixture) : {});
    expect(result.errors, `${name}: ${JSON.stringify(result.errors)}`).toBeUndefined();
    for (const [field, value] of Object.entries(result.data ?? {})) expect(value, `${name}: ${field}`).not.toBeNull();
  });
});
