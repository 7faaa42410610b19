import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { applyMigrations } from '../db/migrate.js';
import { checkRollups, rebuildRollups } from '../db/rollups/index.js';
import { openConfiguredDatabase } from './open-database.js';
import { UsageError, exitCodes } from './usage-error.js';

export const rollupsUsage = `rollups rebuild [--workspace ID] [--json]
                             rebuild the daily rollups from the rows
  rollups check [--workspace ID] [--json]
                             compare the rollups with the rows; exit 6 on any difference`;

function parseWorkspace(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id < 1) throw new UsageError(`--workspace must be a workspace id (a positive whole number); got ${value}.`);
  return id;
}

/** `kpigraph rollups rebuild|check`: repairs or proves the rollups of one workspace or of all. */
export async function rollupsCommand(config: Config, args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'rebuild' && action !== 'check') throw new UsageError(`rollups takes rebuild or check; got ${action ?? 'nothing'}.`);
  const { values } = parseArgs({ args: rest, options: { workspace: { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true });
  const workspaceId = parseWorkspace(values.workspace);
  const db = await openConfiguredDatabase(config);
  try {
    await applyMigrations(db.adapterFactory);
    if (action === 'rebuild') {
      const started = performance.now();
      const rebuilt = await rebuildRollups(db, workspaceId);
      const seconds = (performance.now() - started) / 1000;
      console.log(values.json ? JSON.stringify({ rebuilt, seconds }) : `Rebuilt the rollups of ${rebuilt.length} workspace(s) in ${seconds.toFixed(2)} s.`);
      return exitCodes.ok;
    }
    const checks = await checkRollups(db, workspaceId);
    const differences = checks.reduce((n, check) => n + check.differences, 0);
    if (values.json) console.log(JSON.stringify({ ok: differences === 0, differences, workspaces: checks }));
    else {
      for (const check of checks) console.log(`workspace ${check.workspaceId} ${check.source}: ${check.rows} rollup rows, ${check.differences} difference(s)`);
      console.log(differences === 0 ? 'The rollups match the rows.' : `The rollups differ from the rows in ${differences} row(s): run kpigraph rollups rebuild.`);
    }
    return differences === 0 ? exitCodes.ok : exitCodes.rollupsDiffer;
  } finally {
    await db.close();
  }
}
