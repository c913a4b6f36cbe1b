// One process at a time on an embedded data directory. PGlite keeps no lock of its own (PostgreSQL's
// postmaster.pid is not written), so two hubs started on one DATA_DIR each opened the same files and wrote
// over each other's pages: one of them lost its writes, access-log entries included, with no alarm. The
// lock is a file beside the directory (`<dir>.lock`, the directory itself must stay empty until it is
// one) naming the process that holds it; a lock whose process has ended is taken over.

import { open, readFile, rm, stat } from 'node:fs/promises';

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
        // Only a lock that still names this process: one taken over meanwhile is its new holder's.
        if ((await pidIn(lockFile)) === process.pid) await rm(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
      if (attempt >= TAKEOVER_ATTEMPTS) {
        throw new Error(
          `the embedded database in ${dir} could not be taken over: ${lockFile} and ${lockFile}.takeover are left by processes that ended; if no hub runs there, remove both`,
        );
      }
    }
    let pid = await pidIn(lockFile);
    // Created and not written yet by a process starting beside this one: read again a moment later.
    if (!Number.isInteger(pid)) pid = await pause().then(() => pidIn(lockFile));
    const ours = pid === process.pid;
    if (Number.isInteger(pid) && pid > 0 && (ours ? held.has(lockFile) : running(pid))) {
      throw new DataDirectoryInUseError(dir, pid);
    }
    // Left by a process that ended (or unreadable, half written): taken over.
    await removeStale(lockFile, pid);
  }
}

const TAKEOVER_ATTEMPTS = 60;

const pause = () => new Promise((resolve) => setTimeout(resolve, 100));

const pidIn = async (file: string) => Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);

/** How long a takeover takes at most: a guard older than this was left by a process that stopped in it. */
const TAKEOVER_MS = 5_000;

/**
 * Whether a takeover guard was left behind: by a process that has ended, or (its id unreadable, or taken
 * since by another process or this one) older than any takeover takes.
 */
async function abandoned(guard: string): Promise<boolean> {
  const taker = await pidIn(guard);
  if (Number.isInteger(taker) && taker !== process.pid && !running(taker)) return true;
  const made = await stat(guard).catch(() => null);
  return made !== null && Date.now() - made.mtimeMs > TAKEOVER_MS;
}

/**
 * Removes a lock left by a process that ended, one process at a time: two hubs starting at once each read
 * the ended process's id, and the second to remove the lock would remove the one the first had just taken,
 * both then holding the directory. Removing is done holding `<lock>.takeover` (created exclusively), and
 * only while the lock still names the ended process; a process finding the guard taken waits and reads the
 * lock again. A guard whose process ended mid-takeover is removed.
 */
export async function removeStale(lockFile: string, stalePid: number): Promise<void> {
  const guard = `${lockFile}.takeover`;
  let file;
  try {
    file = await open(guard, 'wx', 0o644);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
    if (await abandoned(guard)) await rm(guard, { force: true });
    await pause();
    return;
  }
  try {
    await file.writeFile(`${process.pid}\n`, 'utf8');
  } catch (error) {
    // A guard this process could not write (a full disk) would stop every start after it: not left behind.
    await file.close();
    await rm(guard, { force: true });
    throw error;
  }
  await file.close();
  try {
    const now = await pidIn(lockFile);
    if (now === stalePid || (Number.isNaN(now) && Number.isNaN(stalePid))) await rm(lockFile, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}
