/** Which test server a case is sent to. */
export type Target = 'test' | 'production' | 'limited';

/** A raw HTTP request: `body` an object is sent as JSON, a string as is. */
export interface HostileRequest {
  method?: 'GET' | 'POST';
  /** Query string of a GET (without `?`). */
  search?: string;
  headers?: Record<string, string>;
  /** Leave out the API key (as a cross-site browser request would). */
  noKey?: boolean;
  body?: unknown;
}

export interface HostileCase {
  name: string;
  target: Target;
  request: HostileRequest;
  /** The refusal: an HTTP status, and/or the first error's code, and/or its message. */
  status?: number;
  code?: string;
  message?: RegExp;
  /** Refused only while resolving (a subscription): the context is built, from warm caches. */
  atExecution?: boolean;
}

export const op = (query: string, variables?: Record<string, unknown>): HostileRequest => ({ body: variables ? { query, variables } : { query } });
