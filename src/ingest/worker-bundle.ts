/**
 * The parse worker as one plain JavaScript file. Through tsx, each worker
 * thread registers a loader of its own and transpiles its modules as it
 * loads them, which is slow and takes CPU from the import's busiest phase.
 * Bundled by esbuild (quick, and mostly in esbuild's own process) they
 * start from one file with nothing to transpile.
 *
 * The bundle is cached with the size and modification time of every file it
 * was built from, and built again when one of them differs, so an edited
 * source never runs stale. Should bundling fail, workers boot through tsx
 * (parse-worker-boot.js): slower to start, the same results.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** What a cached bundle was built from: each input's size and modification time. */
interface BundleManifest {
  inputs: Record<string, [size: number, mtimeMs: number]>;
}

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const defaultCacheDir = path.join(projectRoot, 'node_modules', '.cache', 'kpigraph');
const workerEntry = fileURLToPath(new URL('./parse-worker.ts', import.meta.url));
/** The fallback start: tsx registered in the worker (slower to start, the same code). */
export const tsxWorkerBoot = new URL('./parse-worker-boot.js', import.meta.url);

async function fingerprint(file: string): Promise<[number, number] | null> {
  try {
    const info = await stat(file);
    return [info.size, info.mtimeMs];
  } catch {
    return null;
  }
}

async function isFresh(manifest: BundleManifest): Promise<boolean> {
  const checks = await Promise.all(
    Object.entries(manifest.inputs).map(async ([file, [size, mtimeMs]]) => {
      const now = await fingerprint(path.resolve(projectRoot, file));
      return now !== null && now[0] === size && now[1] === mtimeMs;
    }),
  );
  return checks.length > 0 && checks.every(Boolean);
}

/** Writes a file whole or not at all: another import may be reading the cache meanwhile. */
async function writeAtomically(file: string, contents: string | Uint8Array): Promise<void> {
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(partial, contents);
  await rename(partial, file);
}

/**
 * The bundle of `entry` in `cacheDir`, built unless a fresh one is there.
 * `built` says whether this call built it.
 */
export async function bundleFor(entry: string, cacheDir: string): Promise<{ file: string; built: boolean }> {
  const name = path.basename(entry).replace(/\.[cm]?[jt]s$/, '');
  const file = path.join(cacheDir, `${name}.mjs`);
  const manifestFile = path.join(cacheDir, `${name}.json`);
  try {
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as BundleManifest;
    if ((await fingerprint(file)) !== null && (await isFresh(manifest))) return { file, built: false };
  } catch {
    // No manifest yet, or an unreadable one: build.
  }
  const started = Date.now();
  const result = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', write: false, metafile: true, logLevel: 'silent', absWorkingDir: projectRoot });
  const inputs: BundleManifest['inputs'] = {};
  let editedMeanwhile = false;
  for (const input of Object.keys(result.metafile.inputs)) {
    const print = await fingerprint(path.resolve(projectRoot, input));
    if (print) inputs[input] = print;
    // A file written while esbuild read it may be in the bundle as it was: no manifest, so the next import builds again.
    if (!print || print[1] >= started) editedMeanwhile = true;
  }
  await mkdir(cacheDir, { recursive: true });
  // The bundle first, then the manifest that vouches for it.
  await writeAtomically(file, result.outputFiles[0]!.contents);
  if (!editedMeanwhile) await writeAtomically(manifestFile, JSON.stringify({ inputs } satisfies BundleManifest));
  return { file, built: true };
}

let workerUrl: Promise<URL> | null = null;

/** Where parse workers start from: the cached bundle, or tsx's boot file should bundling fail. Once a process. */
export function parseWorkerUrl(): Promise<URL> {
  workerUrl ??= bundleFor(workerEntry, defaultCacheDir).then(
    ({ file }) => pathToFileURL(file),
    () => tsxWorkerBoot,
  );
  return workerUrl;
}
