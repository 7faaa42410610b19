import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationDirectory, MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';
import type * as EngineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';

/**
 * Prisma's schema engine compiled to WebAssembly, so that migrations run with
 * no engine binary download. Its package only exports a module that imports
 * the `.wasm` file as an ES module, which Node cannot do, so we instantiate
 * the wasm ourselves and hand it to the generated bindings.
 */

const require = createRequire(import.meta.url);
const engineDir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));

export const projectRoot = path.resolve(import.meta.dirname, '..', '..');
export const schemaPath = path.join(projectRoot, 'prisma', 'schema.prisma');
export const migrationsDir = path.join(projectRoot, 'prisma', 'migrations');

// Node has WebAssembly at run time; the ES lib typings do not describe it.
type WasmExports = Record<string, unknown>;
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: Record<string, object>): Promise<{ instance: { exports: WasmExports } }>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type Bindings = typeof EngineBindings;
let bindingsPromise: Promise<Bindings> | undefined;

function loadBindings(): Promise<Bindings> {
  bindingsPromise ??= (async () => {
    const bg = (await import(path.join(engineDir, 'schema_engine_bg.js'))) as Bindings & {
      __wbg_set_wasm(exports: WasmExports): void;
    };
    const wasmBytes = await readFile(path.join(engineDir, 'schema_engine_bg.wasm'));
    const { instance } = await wasmApi.instantiate(wasmBytes, { './schema_engine_bg.js': withUnrefTimers(bg) });
    bg.__wbg_set_wasm(instance.exports);
    const start = instance.exports['__wbindgen_start'];
    if (typeof start === 'function') start();
    return bg;
  })();
  return bindingsPromise;
}

/**
 * The engine leaves a 10 s timer behind each command, which would keep a
 * process that has finished (a CLI command, a drained server) alive; its
 * timers need not hold the process, so they are unref'd.
 */
function withUnrefTimers(bindings: object): Record<string, unknown> {
  const imports: Record<string, unknown> = { ...bindings };
  for (const [name, value] of Object.entries(imports)) {
    if (name.startsWith('__wbg_setTimeout_') && typeof value === 'function') {
      imports[name] = (...args: unknown[]) => {
        const timer: unknown = (value as (...a: unknown[]) => unknown)(...args);
        if (typeof timer === 'object' && timer !== null && 'unref' in timer && typeof timer.unref === 'function') timer.unref();
        return timer;
      };
    }
  }
  return imports;
}

export async function readSchemaFile(): Promise<{ path: string; content: string }> {
  return { path: schemaPath, content: await readFile(schemaPath, 'utf8') };
}

/** Opens the engine on a database reached through a Prisma driver adapter. */
export async function openSchemaEngine(adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<SchemaEngine> {
  const bg = await loadBindings();
  const schema = await readSchemaFile();
  const log = (message: string): void => {
    if (process.env['KPIGRAPH_DEBUG_MIGRATIONS']) process.stderr.write(`${message}\n`);
  };
  return bg.SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    log,
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}

/** Reads `prisma/migrations` in Prisma's folder format. */
export async function readMigrations(dir = migrationsDir): Promise<MigrationList> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const migrationDirectories: MigrationDirectory[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const file = path.join(dir, entry.name, 'migration.sql');
    const content = await readFile(file, 'utf8').then(
      (ok) => ({ tag: 'ok' as const, value: ok }),
      (error: Error) => ({ tag: 'error' as const, value: error.message }),
    );
    migrationDirectories.push({ path: entry.name, migrationFile: { path: 'migration.sql', content } });
  }
  const lockPath = path.join(dir, 'migration_lock.toml');
  const lockContent = await readFile(lockPath, 'utf8').catch(() => null);
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

export const noFilters = { externalTables: [], externalEnums: [] };
