import { loadConfig } from '../config.js';
import { goalCommand } from './goal-command.js';
import { goalsCommand } from './goals-command.js';
import { kpiCommand } from './kpi-command.js';
import { watchCommand } from './watch-command.js';
import { UsageError, exitCodes } from './usage-error.js';

// Loaded on use: the server, database and ingest modules take seconds to
// load, which the HTTP client commands (kpi, goals, goal), run from cron and
// CI, never need.
const serve = () => import('./serve.js');
const db = () => import('./db-commands.js');
const keys = () => import('./keys-commands.js');
const importer = () => import('./import-command.js');
const exporter = () => import('./export-command.js');
const rollups = () => import('./rollups-command.js');

async function usageText(): Promise<string> {
  const [{ importUsage }, { exportUsage }, { rollupsUsage }] = await Promise.all([importer(), exporter(), rollups()]);
  return `Usage: kpigraph <command> [options]

Commands:
  serve [--workers N]        migrate, load demo data into an empty database, serve GraphQL
                             (N processes sharing the port; needs DATABASE_URL)
  migrate                    apply pending migrations (prisma/migrations) to the configured database
  migration:new <name>       write a migration from changes to prisma/schema.prisma
  seed [--size tiny|S|M|L] [--deals N] [--seed N]
                             load a deterministic demo workspace
  workspaces create --name NAME [--time-zone ZONE] [--currency CODE] [--json]
  keys create --workspace ID --role viewer|editor|admin [--name NAME] [--team ID] [--json]
  keys list --workspace ID [--json]
  keys revoke PREFIX
  ${importUsage}
  ${exportUsage}
  ${rollupsUsage}
  goals [--status S] [--kpi KEY] [--owner ID] [--team ID] [--active-at DATE] [--scope DIM=V] [--at DATE]
        [--json|--csv] [--fail-on at-risk|off-track]
                             goals with their progress, from a running server (--url, --api-key)
  goal ID [--at DATE] [--json]
                             one goal: actual, expected, projected, attainment, status, series
  watch [--status S] [--kpi KEY] [--owner ID] [--team ID] [--until S] [--after ID] [--json]
                             stream goal events as they happen; --until exits 5 at the first match
  kpi KEY --period PERIOD [--by DIM] [--filter DIM=VALUE] [--compare previous|year-ago] [--json|--csv]
                             one KPI or a breakdown, from a running server (--url, --api-key)

kpi, goals, goal, watch, import and export take --help for their options.

Configuration comes from the environment (see README): DATABASE_URL selects
PostgreSQL; without it the embedded database lives in KPIGRAPH_DATA_DIR.

Exit status: 0 ok, 1 failure, 2 bad command line, 3 server unreachable, 4 API key
refused, 5 goals failing (--fail-on) or watch --until matched, 6 rollups differ
from the rows (rollups check).`;
}

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, Command> = {
  serve: async (args) => (await serve()).serveCommand(loadConfig(), args),
  migrate: async () => (await db()).migrateCommand(loadConfig()),
  'migration:new': async (args) => (await db()).newMigrationCommand(args),
  seed: async (args) => (await db()).seedCommand(loadConfig(), args),
  workspaces: async (args) => (await keys()).workspacesCommand(loadConfig(), args),
  keys: async (args) => (await keys()).keysCommand(loadConfig(), args),
  import: async (args) => (await importer()).importCommand(loadConfig(), args),
  export: async (args) => (await exporter()).exportCommand(loadConfig(), args),
  rollups: async (args) => (await rollups()).rollupsCommand(loadConfig(), args),
  kpi: (args) => kpiCommand(args),
  goals: (args) => goalsCommand(args),
  goal: (args) => goalCommand(args),
  watch: (args) => watchCommand(args),
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await usageText());
    return name ? exitCodes.ok : exitCodes.usage;
  }
  const command = commands[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${await usageText()}`);
    return exitCodes.usage;
  }
  try {
    return await command(args);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`${error.message}\n\n${await usageText()}`);
      return exitCodes.usage;
    }
    console.error(error instanceof Error ? error.message : String(error));
    return exitCodes.failure;
  }
}
