import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { OperationDefinitionNode } from 'graphql';
import { Kind, OperationTypeNode, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { ApiKeyRole } from '../../src/generated/prisma/client.js';
import type { WorkspaceFixture } from '../graphql/fixtures.js';
import { operationVariables, seedOperationsWorkspace } from '../graphql/operation-variables.js';
import { createTestDatabase } from '../support/database.js';
import { createTestClient } from '../support/server.js';

/**
 * Every example operation of schema/operations/, run as each role of
 * workspace Acme and as an admin of workspace Bolt (with Acme's IDs). Nothing
 * may cross: a viewer writes nothing, Bolt's key neither sees nor changes
 * anything of Acme's, and editors and admins can do their work.
 */
const folder = path.resolve(import.meta.dirname, '../../schema/operations');
const operations = readdirSync(folder)
  .filter((name) => name.endsWith('.graphql'))
  .sort()
  .map((name) => {
    const source = readFileSync(path.join(folder, name), 'utf8');
    const definition = parse(source).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    return { name, source, isMutation: definition.operation === OperationTypeNode.MUTATION };
  });

/** Everything of workspace Acme that a write could change, in a stable form. */
async function snapshot(db: Database, workspaceId: number): Promise<string> {
  const where = { where: { workspaceId } };
  const p = db.prisma;
  const parts = await Promise.all([
    p.customer.findMany({ ...where, orderBy: { id: 'asc' } }),
    p.deal.findMany({ ...where, orderBy: { id: 'asc' } }),
    p.dealStageEvent.count(where),
    p.payment.count(where),
    p.activity.count(where),
    p.surveyResponse.count(where),
    p.ticket.findMany({ ...where, orderBy: { id: 'asc' } }),
    p.spend.count(where),
    p.goal.findMany({ ...where, orderBy: { id: 'asc' } }),
    p.apiKey.count({ where: { workspaceId, revokedAt: null } }),
  ]);
  return JSON.stringify(parts);
}

/** Global IDs of every row of a workspace: none may appear in another workspace's answers. */
async function globalIdsOf(db: Database, workspaceId: number): Promise<string[]> {
  const where = { where: { workspaceId }, select: { id: true } } as const;
  const p = db.prisma;
  const tables: Array<[string, Promise<Array<{ id: number }>>]> = [
    ['Customer', p.customer.findMany(where)],
    ['Deal', p.deal.findMany(where)],
    ['User', p.user.findMany(where)],
    ['Team', p.team.findMany(where)],
    ['Campaign', p.campaign.findMany(where)],
    ['Ticket', p.ticket.findMany(where)],
    ['Payment', p.payment.findMany(where)],
    ['Goal', p.goal.findMany(where)],
  ];
  const ids: string[] = [];
  for (const [typename, rows] of tables) for (const row of await rows) ids.push(Buffer.from(`${typename}:${row.id}`).toString('base64'));
  return ids;
}

/** Queries only an admin key may run (the others get FORBIDDEN). */
const adminOnly = new Set(['cli-kpi-explain.graphql']);

/**
 * Mutations that name no record by ID: an import's rows carry their own
 * external keys, so Bolt's key imports into Bolt (checked above: Acme is
 * unchanged) and has no Acme ID to be refused.
 */
const ownWorkspaceWrites: ReadonlySet<string> = new Set(['cli-import-records.graphql']);

type Actor = { label: string; role: ApiKeyRole; otherWorkspace: boolean };
const actors: Actor[] = [
  { label: 'viewer', role: 'VIEWER', otherWorkspace: false },
  { label: 'editor', role: 'EDITOR', otherWorkspace: false },
  { label: 'admin', role: 'ADMIN', otherWorkspace: false },
  { label: 'admin of another workspace', role: 'ADMIN', otherWorkspace: true },
];

describe.each(actors)('schema/operations as $label', (actor) => {
  let db: Database;
  let fixture: WorkspaceFixture & { other: WorkspaceFixture };
  let run: (name: string, source: string) => ReturnType<ReturnType<typeof createTestClient>['execute']>;
  let acmeIds: string[];

  beforeAll(async () => {
    db = await createTestDatabase();
    fixture = await seedOperationsWorkspace(db);
    const workspaceId = actor.otherWorkspace ? fixture.other.workspaceId : fixture.workspaceId;
    const client = createTestClient(db, workspaceId, { RATE_LIMIT_PER_MINUTE: '0' }, { role: actor.role });
    run = (name, source) => client.execute(source, operationVariables[name]?.(fixture) ?? {});
    acmeIds = await globalIdsOf(db, fixture.workspaceId);
  });
  afterAll(async () => db.close());

  it.each(operations)('$name', async ({ name, source, isMutation }) => {
    const before = await snapshot(db, fixture.workspaceId);
    const result = await run(name, source);
    const after = await snapshot(db, fixture.workspaceId);
    const codes = (result.errors ?? []).map((e) => e.extensions?.['code']);
    if (actor.otherWorkspace) {
      const body = JSON.stringify(result.data ?? null);
      for (const id of acmeIds) expect(body, `${name} leaked ${Buffer.from(id, 'base64').toString()}`).not.toContain(id);
      expect(after, `${name} changed workspace Acme`).toBe(before);
      if (isMutation && !ownWorkspaceWrites.has(name)) expect(codes.length, `${name} should fail on Acme's IDs`).toBeGreaterThan(0);
      for (const code of codes) expect(['NOT_FOUND', 'BAD_USER_INPUT']).toContain(code);
    } else if (adminOnly.has(name) && actor.role !== 'ADMIN') {
      expect(codes, name).toEqual(['FORBIDDEN']);
    } else if (isMutation && actor.role === 'VIEWER') {
      expect(codes, name).toEqual(['FORBIDDEN']);
      expect(after, `${name} wrote as a viewer`).toBe(before);
    } else {
      expect(result.errors, `${name}: ${JSON.stringify(result.errors)}`).toBeUndefined();
    }
  });
});
