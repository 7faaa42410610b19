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
  },
});

// Every query needs a key (checked before any resolver runs); every mutation
// needs at least an editor's; admin fields say so themselves.
builder.queryType({ authScopes: { viewer: true } });
builder.mutationType({ authScopes: { editor: true } });
