import { GraphQLError } from 'graphql';

/** The codes a refused request carries in `extensions.code`. */
export type LimitCode =
  | 'QUERY_TOO_DEEP'
  | 'TOO_MANY_ALIASES'
  | 'TOO_MANY_TOKENS'
  | 'TOO_MANY_DIRECTIVES'
  | 'QUERY_TOO_EXPENSIVE'
  | 'INTROSPECTION_DISABLED'
  | 'RATE_LIMITED'
  | 'BAD_USER_INPUT';

/**
 * A refusal before execution. The `http` extension makes yoga answer with a
 * 4xx status (it is not sent to the client), so proxies and clients that only
 * look at the status see the refusal too.
 */
export function limitError(code: LimitCode, message: string, details: Record<string, unknown> = {}, status = 400): GraphQLError {
  // spec: false keeps yoga from downgrading a refusal to 200 as it does validation errors of application/json requests.
  return new GraphQLError(message, { extensions: { code, ...details, http: { status, spec: false } } });
}
