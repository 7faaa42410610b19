import type { PrismaClient } from '../generated/prisma/client.js';
import { TeamScopeWriteError, hideForeignRows, isCompanyWide, scopeRelations, teamWhere } from './team-scope.js';

/**
 * The one place where scoping of Prisma queries is enforced: every operation
 * on a workspace-owned model gets `workspaceId` added to its filter, and
 * every create gets it set; for a key limited to a team, reads and writes
 * also keep only that team's records, in the relations a query loads too
 * (see team-scope.ts). Resolvers cannot forget it because they only ever
 * see this client. Relations follow foreign keys, which writes only ever
 * point within the same workspace.
 */
const whereOperations = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'delete',
  'deleteMany',
]);

type Args = Record<string, unknown>;

/** Operations that answer rows, whose loaded relations a team key's scope applies to. */
const rowOperations = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'create',
  'createManyAndReturn',
  'update',
  'updateManyAndReturn',
  'upsert',
  'delete',
]);

const readOperations = new Set(['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy']);

function scopeArgs(model: string, operation: string, args: Args, workspaceId: number, teamId: number | null): Args {
  if (teamId !== null && isCompanyWide(model) && !readOperations.has(operation)) throw new TeamScopeWriteError(model);
  const scopeField = model === 'Workspace' ? 'id' : 'workspaceId';
  const given = (args['where'] as Args | undefined) ?? {};
  const team = teamId === null ? null : teamWhere(model, teamId);
  const and = given['AND'];
  const where = {
    ...given,
    [scopeField]: workspaceId,
    ...(team ? { AND: [...(Array.isArray(and) ? and : and ? [and] : []), team] } : {}),
  };
  if (whereOperations.has(operation)) return { ...args, where };
  if (model === 'Workspace') throw new Error(`Workspace.${operation} is not allowed through a scoped client.`);
  switch (operation) {
    case 'create':
      return { ...args, data: { ...(args['data'] as Args), workspaceId } };
    case 'createMany':
    case 'createManyAndReturn': {
      const data = args['data'] as Args | Args[];
      const rows = Array.isArray(data) ? data : [data];
      return { ...args, data: rows.map((row) => ({ ...row, workspaceId })) };
    }
    case 'upsert':
      return { ...args, where, create: { ...(args['create'] as Args), workspaceId } };
    default:
      throw new Error(`Prisma operation ${model}.${operation} is not scoped to a workspace; refusing to run it.`);
  }
}

export interface Scope {
  workspaceId: number;
  /** Set for a key limited to one team. */
  teamId?: number | null;
}

export function scopedPrisma(prisma: PrismaClient, scope: Scope | number): PrismaClient {
  const { workspaceId, teamId = null } = typeof scope === 'number' ? { workspaceId: scope } : scope;
  const extended = prisma.$extends({
    name: 'workspace-scope',
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          const scoped = scopeArgs(model, operation, (args ?? {}) as Args, workspaceId, teamId);
          if (teamId === null || !rowOperations.has(operation)) return query(scoped);
          const result: unknown = await query(scopeRelations(model, scoped, teamId));
          hideForeignRows(model, result, teamId);
          return result;
        },
      },
    },
  });
  // The extension changes no model types, only what each operation sends.
  return extended as unknown as PrismaClient;
}
