// The checkpoint file: the default sink of the access log's checkpoints (checkpoint.ts), a file of JSON lines
// outside the database, and the check at start that the configured one can be written.

import { mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError } from '@hub/platform';
import type { CheckpointSink } from './checkpoint.js';

/**
 * Makes the file's folder and any missing above it, one at a time. `mkdir(…, { recursive: true })` of Node 20
 * never returns for a folder under one that refuses every new entry with ENOENT (under /proc, say): the
 * start would spin at full CPU instead of being refused.
 */
async function makeFolderOf(path: string): Promise<void> {
  const missing: string[] = [];
  for (let folder = dirname(path); !(await stat(folder).catch(() => null)); folder = dirname(folder)) {
    missing.unshift(folder);
    if (dirname(folder) === folder) break;
  }
  for (const folder of missing) {
    await mkdir(folder).catch((error: { code?: unknown }) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}

/**
 * The checkpoint file is a file, or none yet, that this process can write (its folder made if missing): a
 * folder or a device there, or a place it may not write (a read-only mount, a file where a folder should
 * be), is the operator's to mend, told at start in one line rather than found by the first checkpoint.
 */
export async function requireCheckpointFile(path: string): Promise<void> {
  const found = await stat(path).catch(() => null);
  if (found && !found.isFile()) {
    throw new ConfigError(`invalid configuration\n  AUDIT_CHECKPOINT_FILE: ${path} is not a file`);
  }
  try {
    await makeFolderOf(path);
    await (await open(path, 'a', 0o640)).close();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string') throw error;
    throw new ConfigError(`invalid configuration\n  AUDIT_CHECKPOINT_FILE: ${path} cannot be written (${code})`);
  }
}

/** The default sink: a file of JSON lines, each appended and fsync'd before the checkpoint counts as written. */
export function fileCheckpointSink(path: string): CheckpointSink {
  return {
    async append(line) {
      await makeFolderOf(path);
      const file = await open(path, 'a', 0o640);
      try {
        await file.appendFile(`${line}\n`, 'utf8');
        await file.sync();
      } finally {
        await file.close();
      }
    },
    async recent(bytes) {
      const size = await stat(path).then(
        (s) => s.size,
        () => 0,
      );
      if (!size) return { lines: [], complete: true };
      const length = Math.min(size, bytes);
      const file = await open(path, 'r');
      try {
        const buffer = Buffer.alloc(length);
        await file.read(buffer, 0, length, size - length);
        const lines = buffer.toString('utf8').split('\n');
        // Read from the middle of the file, the first line is a part of one.
        if (length < size) lines.shift();
        return { lines: lines.filter((line) => line.trim().length), complete: length === size };
      } finally {
        await file.close();
      }
    },
  };
}
