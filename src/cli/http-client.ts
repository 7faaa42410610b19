import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from './cli-error.js';
import { exitCodes } from './usage-error.js';

/**
 * The CLI's GraphQL client: one POST per operation with Node's fetch, the
 * operation text read from schema/operations/ so that the CLI sends exactly
 * the documented, tested operations. Every failure becomes a CliError with
 * the exit status scripts rely on.
 */

const operationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema/operations');

export interface ConnectionOptions {
  url: string;
  apiKey: string | undefined;
  /** How long to wait for an answer; 0 waits as long as the server takes (an import request). */
  timeoutMs: number;
}

export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; retryAfterSeconds?: number };
}

interface GraphQLResponseBody<Data> {
  data?: Data | null;
  errors?: GraphQLErrorBody[];
}

/** Data that came with errors on some fields; the caller decides what it still can show. */
export interface PartialResult<Data> {
  data: Data;
  errors: GraphQLErrorBody[];
}

/** The text of `schema/operations/<name>.graphql`. */
export async function loadOperation(name: string): Promise<string> {
  try {
    return await readFile(path.join(operationsFolder, `${name}.graphql`), 'utf8');
  } catch (error) {
    throw new CliError(`the operation file schema/operations/${name}.graphql cannot be read: ${error instanceof Error ? error.message : String(error)}`, exitCodes.failure);
  }
}

const networkReasons: Record<string, string> = {
  ECONNREFUSED: 'connection refused; is the server running?',
  ENOTFOUND: 'the host name is unknown (DNS)',
  EAI_AGAIN: 'the host name cannot be resolved right now (DNS)',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection closed unexpectedly',
};

/** undici hides the socket error in `cause`, sometimes inside an AggregateError (one per address tried). */
function networkCode(error: unknown): string | undefined {
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  if (!(cause instanceof Error)) return undefined;
  if ('code' in cause && typeof cause.code === 'string') return cause.code;
  if (cause instanceof AggregateError) {
    const first: unknown = cause.errors[0];
    if (first instanceof Error && 'code' in first && typeof first.code === 'string') return first.code;
  }
  return undefined;
}

function unreachable(url: string, reason: string): CliError {
  return new CliError(`cannot reach the kpigraph server at ${url}: ${reason}. Set --url or KPIGRAPH_URL.`, exitCodes.unreachable);
}

function refused(url: string, detail: string): CliError {
  return new CliError(
    `the API key was refused by ${url}: ${detail} Check --api-key or KPIGRAPH_API_KEY (create one with \`kpigraph keys create\`).`,
    exitCodes.unauthorized,
  );
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

export class KpigraphClient {
  private zone: Promise<string> | undefined;

  constructor(private readonly options: ConnectionOptions) {}

  /** The workspace's time zone (asked once): bare dates on the command line are days there. */
  timeZone(): Promise<string> {
    return (this.zone ??= this.run<{ workspace: { timeZone: string } }>('cli-workspace', {}).then((data) => data.workspace.timeZone));
  }

  /** Runs an operation; any error in the answer fails the command. */
  async run<Data>(operation: string, variables: Record<string, unknown>): Promise<Data> {
    const { data, errors } = await this.runPartial<Data>(operation, variables);
    if (errors.length > 0) throw new CliError(errors.map(describeError).join('\n'), exitCodes.failure);
    return data;
  }

  /**
   * Runs an operation and returns whatever data came back: field errors (one
   * goal's KPI plugin failing, say) leave the rest usable. Errors about the
   * request as a whole still throw.
   */
  async runPartial<Data>(operation: string, variables: Record<string, unknown>): Promise<PartialResult<Data>> {
    const { url, apiKey, timeoutMs } = this.options;
    if (!apiKey) throw refused(url, 'no API key was given.');
    const query = await loadOperation(operation);
    const signal = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : null;
    let status: number;
    let text: string;
    let retryAfter: string | null = null;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          authorization: `Bearer ${apiKey}`,
        },
        body: JSON.stringify({ query, variables }),
        signal,
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      text = await response.text();
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        throw unreachable(url, `no answer within ${formatSeconds(timeoutMs)} (--timeout)`);
      }
      const code = networkCode(error);
      const reason = code ? (networkReasons[code] ?? code) : error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw unreachable(url, code && networkReasons[code] ? `${reason} (${code})` : reason);
    }
    const body = parseBody<Data>(text);
    const errors = body?.errors ?? [];
    const codes = new Set(errors.map((e) => e.extensions?.code));
    if (status === 503 || codes.has('SERVICE_UNAVAILABLE')) {
      throw unreachable(url, `its database is unavailable${retryAfter ? `; retry in ${retryAfter} s` : ''}`);
    }
    if (status === 401 || codes.has('UNAUTHENTICATED')) throw refused(url, errors[0]?.message ?? `HTTP ${status}.`);
    if (status === 403 || codes.has('FORBIDDEN')) {
      throw new CliError(`the API key is not allowed to do this: ${errors[0]?.message ?? `HTTP ${status}`}`, exitCodes.unauthorized);
    }
    if (status === 429 || codes.has('RATE_LIMITED')) {
      const seconds = retryAfter ?? errors.find((e) => e.extensions?.code === 'RATE_LIMITED')?.extensions?.retryAfterSeconds;
      throw new CliError(`the server at ${url} is limiting this key's requests${seconds ? `; retry in ${seconds} s` : ''}.`, exitCodes.failure);
    }
    const badInput = errors.find((e) => e.extensions?.code === 'BAD_USER_INPUT');
    if (badInput) throw new CliError(badInput.message, exitCodes.usage);
    if (!body) {
      // A proxy in front of a stopped server answers 502-504: the server itself is out of reach.
      if (status >= 502 && status <= 504) throw unreachable(url, `HTTP ${status} from a gateway`);
      throw new CliError(`the server at ${url} answered HTTP ${status} without a GraphQL response; is --url the GraphQL endpoint (…/graphql)?`, exitCodes.failure);
    }
    if (body.data == null) {
      const message = errors.length > 0 ? errors.map(describeError).join('\n') : `HTTP ${status} without data`;
      throw new CliError(codes.has('GRAPHQL_VALIDATION_FAILED') ? `the server does not know this CLI's ${operation} operation (an older kpigraph?): ${message}` : message, exitCodes.failure);
    }
    return { data: body.data, errors };
  }
}

function parseBody<Data>(text: string): GraphQLResponseBody<Data> | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && ('data' in parsed || 'errors' in parsed)) return parsed as GraphQLResponseBody<Data>;
  } catch {
    // Not JSON: an HTML error page, a proxy's answer, another service.
  }
  return null;
}

/** `path: message (CODE)`, for stderr. */
export function describeError(error: GraphQLErrorBody): string {
  const where = error.path?.length ? `${error.path.join('.')}: ` : '';
  const code = error.extensions?.code ? ` (${error.extensions.code})` : '';
  return `${where}${error.message}${code}`;
}
