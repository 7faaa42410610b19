import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin, { decodeGlobalID } from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { GraphQLError } from 'graphql';
import type PrismaTypes from '../generated/pothos-prisma-types.js';
import { getDatamodel } from '../generated/pothos-prisma-types.js';
import type { GraphQLContext } from './context.js';
import { badUserInput, issuesToProblems } from './errors.js';

let nodeTypenames: ReadonlySet<string> = new Set();

/** Tells node() and nodes() which types they serve (called once the schema is built). */
export function registerNodeTypes(names: Iterable<string>): void {
  nodeTypenames = new Set(names);
}

/** Row IDs are PostgreSQL integers. */
const maxRowId = 2_147_483_647;
const maxNodes = Number(process.env['MAX_PAGE_SIZE'] ?? 100);

/**
 * Why node() cannot look an ID up: NOT_FOUND for a type it does not serve,
 * BAD_USER_INPUT for a row part that is no row ID; 'hidden' for an API key
 * asked by a key that may not see keys (answered null, like an unknown ID).
 */
function nodeIdProblem(id: { typename: string; id: string }, context: GraphQLContext, field: string): GraphQLError | 'hidden' | null {
  if (!nodeTypenames.has(id.typename)) {
    return new GraphQLError(`${field}: no node has this ID (${id.typename} is not a type node() serves).`, { extensions: { code: 'NOT_FOUND', field } });
  }
  if (!/^[1-9]\d{0,9}$/.test(id.id) || Number(id.id) > maxRowId) {
    return badUserInput({ field, message: `is not a valid ${id.typename} ID (its row part must be a whole number from 1 to ${maxRowId}).` });
  }
  if (id.typename === 'ApiKey' && context.auth.role !== 'ADMIN') return 'hidden';
  return null;
}

/** The one schema builder; types live in one file per domain type. */
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  AuthScopes: { viewer: boolean; editor: boolean; admin: boolean };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Decimal: { Input: string; Output: string | { toFixed(): string } };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  // Relay first, so that auth checks see decoded global IDs.
  plugins: [RelayPlugin, ScopeAuthPlugin, PrismaPlugin, ValidationPlugin],
  scopeAuth: {
    // Roles are ordered: an admin may do what an editor may, an editor what a viewer may.
    authScopes: (context) => ({
      viewer: true,
      editor: context.auth.role === 'EDITOR' || context.auth.role === 'ADMIN',
      admin: context.auth.role === 'ADMIN',
    }),
    unauthorizedError: (_parent, context, info) =>
      new GraphQLError(`Your API key’s role (${context.auth.role.toLowerCase()}) may not use ${info.parentType.name}.${info.fieldName}.`, {
        extensions: { code: 'FORBIDDEN' },
      }),
  },
  defaultFieldNullability: false,
  prisma: {
    client: (context) => context.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    onUnusedQuery: process.env['NODE_ENV'] === 'production' ? null : 'warn',
    maxConnectionSize: Number(process.env['MAX_PAGE_SIZE'] ?? 100),
    defaultConnectionSize: 20,
  },
  validation: {
    // Every failed input check becomes BAD_USER_INPUT naming each field.
    validationError: (result) => badUserInput(issuesToProblems(result.issues)),
  },
  relay: {
    // A malformed ID is the caller's mistake: say so, don't mask it.
    decodeGlobalID: (globalID) => {
      try {
        return decodeGlobalID(globalID);
      } catch {
        throw badUserInput({ field: 'id', message: `"${globalID.slice(0, 60)}" is not an ID this API gave out.` });
      }
    },
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: {
      resolve: (_root, { id }, context, _info, resolveNode) => {
        const problem = nodeIdProblem(id, context, 'id');
        if (problem === 'hidden') return null;
        if (problem) throw problem;
        return resolveNode(id);
      },
    },
    nodesQueryOptions: {
      resolve: async (_root, args, context, _info, resolveNodes) => {
        if (args.ids.length > maxNodes) throw badUserInput({ field: 'ids', message: `at most ${maxNodes} IDs at once; got ${args.ids.length}.` });
        const problems = args.ids.map((id, index) => nodeIdProblem(id, context, `ids.${index}`));
        // resolveNodes loads args.ids (whatever it is passed): a bad ID is blanked there, so that
        // it fails its own item (an Error as an item is that item's error) and not the list.
        const ids = args.ids as ({ typename: string; id: string } | null)[];
        problems.forEach((problem, index) => {
          if (problem) ids[index] = null;
        });
        const nodes = await resolveNodes(args.ids);
        return nodes.map((node, index) => {
          const problem = problems[index];
          return problem instanceof GraphQLError ? problem : node;
        });
      },
    },
  },
});

// Every query needs a key (checked before any resolver runs); every mutation
// needs at least an editor's; admin fields say so themselves.
builder.queryType({ authScopes: { viewer: true } });
builder.mutationType({ authScopes: { editor: true } });
