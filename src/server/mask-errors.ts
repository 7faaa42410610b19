import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import type { GraphQLErrorOptions } from 'graphql';
import type { YogaMaskedErrorOpts } from 'graphql-yoga';
import { maskError as yogaMaskError } from 'graphql-yoga';
import { DomainError } from '../errors.js';
import { badUserInput } from '../graphql/errors.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';

const originalOf = (error: unknown): unknown =>
  error instanceof GraphQLError && error.originalError ? originalOf(error.originalError) : error;

/**
 * The one place where errors become what clients see: a domain error
 * (errors.ts) gets the code of its kind and keeps its message; an outage is
 * SERVICE_UNAVAILABLE; anything unexpected is masked (and logged by yoga).
 */
export function maskedErrors(isDev: boolean): Partial<YogaMaskedErrorOpts> {
  return {
    isDev,
    maskError(error, message, dev) {
      const original = originalOf(error);
      const located = error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {};
      if (original instanceof DomainError) return graphQLErrorOf(original, located);
      if (isDatabaseUnavailable(original)) return databaseUnavailable(error);
      // Pothos' own input checks (an offset cursor of another list, a malformed argument): the caller's to fix.
      if (original instanceof PothosValidationError) {
        const field = /cursor/i.test(original.message) ? 'after/before' : 'input';
        const friendly = badUserInput({ field, message: original.message });
        return new GraphQLError(friendly.message, { ...located, extensions: friendly.extensions });
      }
      return yogaMaskError(error, message, dev);
    },
  };
}

/** A domain error as clients see it; also for errors raised before execution (authentication), which yoga would otherwise log as unexpected. */
export function graphQLErrorOf(error: DomainError, located: Pick<GraphQLErrorOptions, 'nodes' | 'path'> = {}): GraphQLError {
  const { message, extensions } = clientError(error);
  return new GraphQLError(message, { ...located, extensions });
}

/** A domain error's message and extensions as clients read them, by its kind. */
function clientError(error: DomainError): { message: string; extensions: Record<string, unknown> } {
  switch (error.kind) {
    case 'invalid-input': {
      const friendly = badUserInput({ field: error.field ?? 'input', message: error.message });
      return { message: friendly.message, extensions: friendly.extensions };
    }
    case 'forbidden':
      return { message: error.message, extensions: { code: 'FORBIDDEN' } };
    case 'unauthenticated':
      return { message: error.message, extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } };
    case 'rate-limited': {
      const seconds = error.retryAfterSeconds ?? 1;
      return { message: error.message, extensions: { code: 'RATE_LIMITED', retryAfterSeconds: seconds, http: { status: 429, headers: { 'retry-after': String(seconds) } } } };
    }
    case 'plugin-failed':
      return { message: error.message, extensions: { code: 'KPI_PLUGIN_ERROR', kpi: error.kpiKey } };
    case 'plugin-timeout':
      return { message: error.message, extensions: { code: 'KPI_TIMEOUT', kpi: error.kpiKey } };
  }
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
