import { z } from 'zod';

/**
 * The server's configuration, read once from the environment. Every setting
 * has a default that works on a fresh clone (embedded database, demo data).
 */
const intFromEnv = (fallback: number) => z.coerce.number().int().positive().default(fallback);

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
});

export type Config = z.infer<typeof configSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return parsed.data;
}
