/**
 * Whether an error means the database could not be reached or went away
 * (as opposed to a bad query): a refused or dropped connection, a pool or
 * connect timeout, a server shutting down or out of connections, a closed
 * embedded database. Follows `cause` and `originalError` chains, as drivers
 * and Prisma wrap what the socket said.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    if (matches(current as ErrorLike)) return true;
    const next = current as ErrorLike;
    current = next.cause ?? next.originalError;
  }
  return false;
}

interface ErrorLike {
  code?: unknown;
  kind?: unknown;
  message?: unknown;
  name?: unknown;
  cause?: unknown;
  originalError?: unknown;
}

/** Socket errors of Node and the connection-level SQLSTATEs of PostgreSQL (class 08, shutdowns, too many connections). */
const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const sqlStates = /^(08...|57P01|57P02|57P03|53300)$/;
/** Prisma's codes for an unreachable server, a closed connection and an exhausted pool. */
const prismaCodes = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
/** Driver adapter error kinds of the same. */
const adapterKinds = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'DatabaseDoesNotExist']);
const messages = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Query read timeout/i,
  /Client has encountered a connection error/i,
  /Can't reach database server/i,
  /PGlite is closed/i,
  /the database system is (shutting down|starting up|in recovery mode|not yet accepting connections)/i,
];

function matches(error: ErrorLike): boolean {
  if (typeof error.code === 'string' && (socketCodes.has(error.code) || sqlStates.test(error.code) || prismaCodes.has(error.code))) return true;
  if (typeof error.kind === 'string' && adapterKinds.has(error.kind)) return true;
  if (error.name === 'PrismaClientInitializationError') return true;
  return typeof error.message === 'string' && messages.some((pattern) => pattern.test(error.message as string));
}
