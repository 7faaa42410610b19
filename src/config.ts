import { z } from 'zod';

/**
 * The server's configuration, read once from the environment. Every setting
 * has a default that works on a fresh clone (embedded database, demo data).
 */
const intFromEnv = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** "true" / "false", or undefined when unset (so the default can depend on NODE_ENV). */
const optionalFlag = z
  .enum(['true', 'false'])
  .optional()
  .transform((value) => (value === undefined ? undefined : value === 'true'));

const configSchema = z.object({
  /** `postgres://…` selects PostgreSQL; unset means the embedded PGlite. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  /** Folder of the embedded database; `memory://` keeps it in memory. */
  KPIGRAPH_DATA_DIR: z.string().default('./.data'),
  PORT: intFromEnv(4000),
  HOST: z.string().default('0.0.0.0'),
  DB_POOL_SIZE: intFromEnv(10),
  DB_CONNECT_TIMEOUT_MS: intFromEnv(5_000),
  DB_STATEMENT_TIMEOUT_MS: intFromEnv(15_000),
  DB_IDLE_TIMEOUT_MS: intFromEnv(30_000),
  /** Largest `first`/`last` a connection accepts. */
  MAX_PAGE_SIZE: intFromEnv(100),
  /** Workspace used until API keys exist; created with the demo data. */
  DEFAULT_WORKSPACE_ID: intFromEnv(1),
  /** Load demo data into an empty database at start. */
  DEMO_DATA: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  DEMO_DEALS: intFromEnv(3_000),
  /** Partner KPI plugins: comma-separated file paths or package names. */
  KPI_PLUGINS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean)),
  /** Longest period a KPI may be asked over, in days. */
  KPI_MAX_RANGE_DAYS: intFromEnv(1097),
  /** Most buckets a series may have. */
  KPI_MAX_BUCKETS: intFromEnv(400),
  /** Time limit of one batch of a compute plugin. */
  KPI_TIMEOUT_MS: intFromEnv(10_000),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Seconds in-flight requests get to finish after SIGTERM. */
  SHUTDOWN_GRACE_MS: intFromEnv(10_000),
  /** How far short of its target (a fraction of it) a goal's projection may fall and be AT_RISK rather than OFF_TRACK. */
  GOAL_AT_RISK_MARGIN: z.coerce.number().min(0).max(1).default(0.1),
  // Request limits (src/server/limits): defaults are safe to expose; loosen per deployment.
  /** Deepest selection nesting an operation may have. */
  GRAPHQL_MAX_DEPTH: intFromEnv(10),
  /** Most aliases in one operation. */
  GRAPHQL_MAX_ALIASES: intFromEnv(15),
  /** Most lexical tokens in one document. */
  GRAPHQL_MAX_TOKENS: intFromEnv(2_000),
  /** Most directives in one operation. */
  GRAPHQL_MAX_DIRECTIVES: intFromEnv(50),
  /** Most KPI cells an operation may ask for, as estimated before it runs. */
  KPI_MAX_CELLS: intFromEnv(5_000),
  /** Schema introspection; unset means on except in production. */
  GRAPHQL_INTROSPECTION: optionalFlag,
  /** Most items one list in a request's variables may have. */
  MAX_LIST_ITEMS: intFromEnv(10_000),
  /** Deepest nesting of objects and lists in a request's variables. */
  MAX_INPUT_DEPTH: intFromEnv(32),
  /** "Did you mean …" hints in errors; they reveal the schema, so unset means on in development only. */
  GRAPHQL_FIELD_SUGGESTIONS: optionalFlag,
  /** `only`: run only the trusted documents of the manifest (npm run codegen writes it); unset runs any operation. */
  PERSISTED_OPERATIONS: z.enum(['only']).optional(),
  /** The trusted documents manifest (hash → document). */
  PERSISTED_OPERATIONS_MANIFEST: z.string().default('src/generated/client/persisted-documents.json'),
  /** Largest request body in bytes (query and variables). */
  MAX_REQUEST_BYTES: intFromEnv(1_000_000),
  /** Requests per minute per API key (or per client IP without one); 0 turns the limit off. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().nonnegative().default(600),
  /** Requests a key may send at once before the per-minute rate applies. */
  RATE_LIMIT_BURST: intFromEnv(100),
  /** Take the client IP from X-Forwarded-For (only behind a proxy that sets it). */
  RATE_LIMIT_TRUST_PROXY: optionalFlag.transform((value) => value ?? false),
  /**
   * Browser origins allowed to call the API from other sites, comma-separated
   * (`https://app.example.com,https://admin.example.com`), or `*` for any;
   * unset allows none. Never with credentials: the API takes keys, not cookies.
   */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^(\*|https?:\/\/[^/\s,]+)$/, 'each must be an origin such as https://app.example.com (scheme, host, optional port; no path), or *'))),
  /** PostgreSQL streaming replicas for KPI reads, comma-separated `postgres://…` URLs (see README, Scaling). */
  DATABASE_REPLICA_URLS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^postgres(ql)?:\/\//, 'each must start with postgres:// or postgresql://'))),
  /** How long a replica that failed is skipped before it is tried again. */
  REPLICA_RETRY_MS: intFromEnv(5_000),
  /** Keep computed KPI cells across requests, keyed by each workspace's data version (never stale). */
  KPI_CACHE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** Read KPI measures from the daily rollups when they hold them (on), or always from the rows (off). */
  ROLLUPS: z
    .enum(['on', 'off'])
    .default('on')
    .transform((value) => value === 'on'),
  /**
   * Keep whole answers to KPI queries that read no clock, keyed by the data version (with KPI_CACHE on), in at most
   * this many MB of each process' memory; 0 turns it off.
   */
  RESPONSE_CACHE_MB: z.coerce.number().int().min(0).default(64),
  /** Compile each query document once (graphql-jit) instead of interpreting it per request; off runs graphql-js's executor. */
  GRAPHQL_JIT: z
    .enum(['on', 'off'])
    .default('on')
    .transform((value) => value === 'on'),
  /** Most KPI cells the cache keeps in each process' memory. */
  KPI_CACHE_MAX_ENTRIES: intFromEnv(50_000),
  /** How long Redis keeps a cached cell (with REDIS_URL); superseded versions only wait to expire. */
  KPI_CACHE_TTL_SECONDS: intFromEnv(3_600),
  /** `redis://…`: rate limits and the KPI cache shared by every process using it; unset keeps them in memory. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  // Operations (src/telemetry, src/server/observability).
  /** Serves GET /metrics on the API's port to `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (e.g. openssl rand -hex 24)').optional(),
  /** Serves GET /metrics on a listener of its own at this port (0: any free one). */
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** fatal, error, warn, info, debug, trace or silent; unset means info, silent under NODE_ENV=test. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  /** Requests slower than this (ms) get a warning line with their plan's summary. */
  SLOW_REQUEST_MS: intFromEnv(1_000),
  // Goal events (src/goals/events, src/webhooks).
  /** Judge goals and send webhooks in this process; unset means on except under NODE_ENV=test. */
  GOAL_EVENTS: optionalFlag,
  /** Milliseconds between judgements of every open goal (time-only transitions: pace, period end); 0 turns the clock off. */
  GOAL_EVENTS_INTERVAL_MS: z.coerce.number().int().nonnegative().default(60_000),
  /** Milliseconds writes to a workspace gather before its goals are judged. */
  GOAL_EVENTS_DEBOUNCE_MS: z.coerce.number().int().nonnegative().default(250),
  /** Prefix of the Redis channels goal events travel on between processes. */
  GOAL_EVENTS_CHANNEL: z.string().default('kpigraph:goal-events:'),
  /** Allow webhook targets on private or loopback addresses, and plain http (tests, trusted networks). */
  WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  /** Milliseconds a webhook receiver has to answer. */
  WEBHOOK_TIMEOUT_MS: intFromEnv(10_000),
  /** Hours a delivery is retried before it is given up and its endpoint disabled. */
  WEBHOOK_RETRY_HOURS: intFromEnv(24),
  /** Milliseconds between looks for due webhook deliveries. */
  WEBHOOK_POLL_MS: intFromEnv(1_000),
});

export type Config = z.infer<typeof configSchema>;

/** The log level: LOG_LEVEL, else info (silent in tests, which read their logs themselves). */
export const logLevelOf = (config: Config): NonNullable<Config['LOG_LEVEL']> => config.LOG_LEVEL ?? (config.NODE_ENV === 'test' ? 'silent' : 'info');

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return parsed.data;
}
