/**
 * Domain errors: failures a caller can act on, typed where they arise (the
 * KPI engine, the goal service, authentication, team scope). Each names its
 * kind; the API maps kinds to its error codes in one place
 * (server/mask-errors.ts), so no domain module knows about GraphQL.
 */
export type DomainErrorKind =
  /** The caller's input cannot be answered as asked; `field` names it. */
  | 'invalid-input'
  /** The caller may not do or see this. */
  | 'forbidden'
  /** No valid credentials. */
  | 'unauthenticated'
  /** Too many attempts; retry after `retryAfterSeconds`. */
  | 'rate-limited'
  /** A KPI plugin failed or took too long; only its own values fail. */
  | 'plugin-failed'
  | 'plugin-timeout';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  /** The input at fault, for invalid input. */
  readonly field?: string;
  /** Seconds to wait, for rate-limited errors. */
  readonly retryAfterSeconds?: number;
  /** The KPI at fault, for plugin failures. */
  readonly kpiKey?: string;
}

/** A request without credentials, or with a key that is unknown, malformed or revoked. */
export class AuthenticationError extends DomainError {
  override readonly name = 'AuthenticationError';
  readonly kind = 'unauthenticated';
}

/** A client address that failed to authenticate too often lately; it may retry after `retryAfterSeconds`. */
export class TooManyFailuresError extends DomainError {
  override readonly name = 'TooManyFailuresError';
  readonly kind = 'rate-limited';
  constructor(
    message: string,
    override readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** The caller's key is limited to one team and what it asked cannot be limited to that team. */
export class TeamScopeError extends DomainError {
  override readonly name = 'TeamScopeError';
  readonly kind = 'forbidden';
}
