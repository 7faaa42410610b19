import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/** Another live process has the embedded database's folder open. */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    readonly pid: number | null,
  ) {
    super(
      `The embedded database folder ${path.resolve(dataDir)} is in use by another kpigraph process${pid ? ` (pid ${pid})` : ''}. ` +
        'Stop it first, or set KPIGRAPH_DATA_DIR to another folder: two processes on one folder would corrupt it.',
    );
  }
}

const lockName = 'kpigraph.pid';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims the folder for this process with a file holding its pid, created
 * exclusively; a file left by a process that no longer runs is taken over.
 * Resolves with the function that gives the folder up.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, lockName);
  const release = async () => {
    const holder = await readFile(file, 'utf8').catch(() => '');
    if (holder.trim() === String(process.pid)) await rm(file, { force: true });
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const text = (await readFile(file, 'utf8').catch(() => '')).trim();
    const pid = /^\d+$/.test(text) ? Number(text) : null;
    // This same process (opening the folder again) may go on.
    if (pid === process.pid) return release;
    if (pid !== null && alive(pid)) throw new DataDirLockedError(dataDir, pid);
    // Left by a process that died (or being written this instant: the next attempt tells).
    if (pid !== null) await rm(file, { force: true });
    else await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new DataDirLockedError(dataDir, null);
}
