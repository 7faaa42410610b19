import type { PrismaClient } from '../generated/prisma/client.js';

/**
 * The one place where workspace scoping of Prisma queries is enforced: every
 * operation on a workspace-owned model gets `workspaceId` added to its
 * filter, and every create gets it set. Resolvers cannot forget it because
 * they only ever see this client. Relations loaded through `include` follow
 * foreign keys, which writes only ever point within the same workspace.
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

function scopeArgs(model: string, operation: string, args: Args, workspaceId: number): Args {
  const scopeField = model === 'Workspace' ? 'id' : 'workspaceId';
  const where = { ...((args['where'] as Args | undefined) ?? {}), [scopeField]: workspaceId };
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

export function scopedPrisma(prisma: PrismaClient, workspaceId: number): PrismaClient {
  const extended = prisma.$extends({
    name: 'workspace-scope',
    query: {
      $allModels: {
        $allOperations({ model, operation, args, query }) {
          return query(scopeArgs(model, operation, (args ?? {}) as Args, workspaceId));
        },
      },
    },
  });
  // The extension changes no model types, only what each operation sends.
  return extended as unknown as PrismaClient;
}
