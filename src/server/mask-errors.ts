import { GraphQLError } from 'graphql';
import type { YogaMaskedErrorOpts } from 'graphql-yoga';
import { maskError as yogaMaskError } from 'graphql-yoga';
import { badUserInput } from '../graphql/errors.js';
import { TeamScopeWriteError } from '../db/team-scope.js';
import { KpiInputError } from '../kpi/errors.js';

const originalOf = (error: unknown): unknown =>
  error instanceof GraphQLError && error.originalError ? originalOf(error.originalError) : error;

/**
 * Unexpected errors are masked (and logged by yoga); a KPI input problem
 * thrown anywhere in a resolver becomes BAD_USER_INPUT naming the field.
 */
export function maskedErrors(isDev: boolean): Partial<YogaMaskedErrorOpts> {
  return {
    isDev,
    maskError(error, message, dev) {
      const original = originalOf(error);
      if (original instanceof KpiInputError) {
        const friendly = badUserInput({ field: original.field, message: original.message });
        return error instanceof GraphQLError
          ? new GraphQLError(friendly.message, { nodes: error.nodes, path: error.path, extensions: friendly.extensions })
          : friendly;
      }
      if (original instanceof TeamScopeWriteError) {
        return new GraphQLError(original.message, {
          ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
          extensions: { code: 'FORBIDDEN' },
        });
      }
      return yogaMaskError(error, message, dev);
    },
  };
}
