import { GraphQLError } from 'graphql';
import type { YogaMaskedErrorOpts } from 'graphql-yoga';
import { maskError as yogaMaskError } from 'graphql-yoga';
import { badUserInput } from '../graphql/errors.js';
import { TeamScopeWriteError } from '../db/team-scope.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
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
      if (isDatabaseUnavailable(original)) return databaseUnavailable(error);
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

/** Seconds a client is asked to wait when the database is out of reach. */
export const retryAfterSeconds = 5;

/** An outage is not the caller's fault nor a bug: 503 with Retry-After, so clients and balancers back off and retry. */
function databaseUnavailable(error: unknown): GraphQLError {
  return new GraphQLError(`The database is unavailable; retry in ${retryAfterSeconds} s.`, {
    ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
    extensions: {
      code: 'SERVICE_UNAVAILABLE',
      retryAfterSeconds,
      http: { status: 503, headers: { 'retry-after': String(retryAfterSeconds) } },
    },
  });
}
