// One process at a time on an embedded data directory. PGlite keeps no lock of its own (PostgreSQL's
// postmaster.pid is not written), so two hubs started on one DATA_DIR each opened the same files and wrote
// over each other's pages: one of them lost its writes, access-log entries included, with no alarm. The
// lock is a file beside the directory (`<dir>.lock`, the directory itself must stay empty until it is
// one) naming the process that holds it; a lock whose process has ended is taken over.

import { open, readFile, rm } from 'node:fs/promises';

/** Another live process has the data directory open. */
export class DataDirectoryInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `the embedded database in ${dir} is in use by process ${pid}: stop that hub (or npm run seed) first, or give this one another DATA_DIR (if no hub runs there, remove ${dir}.lock)`,
    );
    this.name = 'DataDirectoryInUseError';
  }
}

/** The directories this process holds: a lock file naming this process is stale only if not among them. */
const held = new Set<string>();

const lockFileOf = (dir: string) => `${dir.replace(/[\\/]+$/, '')}.lock`;

/** Whether a process of this id runs (one of another user's counts: it cannot be signalled, but it runs). */
export function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

/**
 * Takes the data directory for this process, or throws DataDirectoryInUseError when a live process holds
 * it. Resolves to the release, which removes the lock file.
 */
export async function lockDataDirectory(dir: string): Promise<() => Promise<void>> {
  const lockFile = lockFileOf(dir);
  for (let attempt = 0; ; attempt += 1) {
    try {
      const file = await open(lockFile, 'wx', 0o644);
      try {
        await file.writeFile(`${process.pid}\n`, 'utf8');
      } finally {
        await file.close();
      }
      held.add(lockFile);
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        held.delete(lockFile);
        await rm(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST' || attempt >= 3) throw error;
    }
    const readPid = async () => Number.parseInt(await readFile(lockFile, 'utf8').catch(() => ''), 10);
    let pid = await readPid();
    // Created and not written yet by a process starting beside this one: read again a moment later.
    if (!Number.isInteger(pid)) pid = await new Promise((resolve) => setTimeout(resolve, 100)).then(readPid);
    const ours = pid === process.pid;
    if (Number.isInteger(pid) && pid > 0 && (ours ? held.has(lockFile) : running(pid))) {
      throw new DataDirectoryInUseError(dir, pid);
    }
    // Left by a process that ended (or unreadable, half written): taken over.
    await rm(lockFile, { force: true });
  }
}
