// The gateway's checkpoint timer: a signed checkpoint of the access log at start, every interval (at most a
// minute) and at shutdown, one at a time. A refused or failed checkpoint is logged and tried again later.

import { checkpointWritten, ConfigError, describeSafely, metrics, type Logger, type Sql } from '@hub/platform';
import { writeCheckpoint, type CheckpointOptions, type CheckpointOutcome } from './checkpoint.js';

/** PostgreSQL's lock_not_available: a checkpoint's lock_timeout ran out. */
const LOCK_NOT_AVAILABLE = '55P03';

/** A file system's refusals of a write: what a checkpoint file on a full, read-only or denied mount gets. */
const SINK_REFUSALS: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'EFBIG']);

export interface CheckpointTimerOptions {
  /** Seconds between two checkpoints (config.audit.checkpointIntervalSeconds). */
  intervalSeconds: number;
  logger: Logger;
  /** What the sink is called in the log: the file's path (AUDIT_CHECKPOINT_FILE), never the database's URL. */
  sinkName: string;
}

export interface RunningCheckpoints {
  /** Writes a checkpoint now, after any still being written. */
  write(): Promise<CheckpointOutcome>;
  /** Stops the timer and writes the last checkpoint. */
  stop(): Promise<void>;
}

/** Starts the timer after a first checkpoint; a sink that cannot be written fails the start. */
export async function startCheckpoints(
  sql: Sql,
  options: CheckpointOptions,
  timer: CheckpointTimerOptions,
): Promise<RunningCheckpoints> {
  const { logger } = timer;
  let last: Promise<unknown> = Promise.resolve();

  const write = (): Promise<CheckpointOutcome> => {
    const next = last.then(() => writeCheckpoint(sql, options));
    last = next.catch(() => undefined);
    // Failures are counted for the alert on checkpoint age and failures (docs/operations.md).
    next.catch(() => metrics.checkpointFailures.inc({ reason: 'failed' }));
    return next.then((outcome) => {
      if (outcome.written) {
        checkpointWritten();
        if (outcome.superseded) {
          // Only ids, hashes and a kid: what the line claims of the chain, never of a person.
          const { lastId = null, kid = null } = outcome.superseded;
          logger.error(
            { claimedLastId: lastId, claimedKid: kid },
            'access log checkpoint file held a line no known key signed (someone wrote to the file); a genuine checkpoint now follows it and the line stays in the file: keep a copy and look at the host that holds it',
          );
        }
        if (outcome.overExistingLog) {
          const { lastId, entries } = outcome.overExistingLog;
          logger.error(
            { file: timer.sinkName, lastId, entries },
            'access log checkpoint file held no checkpoint a known key signed while the access log holds entries: its first checkpoint takes them on trust, and a cut of the log before now cannot show against it (verifyAccessLog: checkpointOrigin). Expected once for a new replica or a restore onto a new file; otherwise the earlier file was lost or this is another one (the default name follows GATEWAY_DATABASE_URL as spelled): find it, and run verifyAccessLog with it',
          );
        }
        if (outcome.unverifiedCut) {
          logger.warn(
            { claimedLastId: outcome.unverifiedCut.lastId, claimedKid: outcome.unverifiedCut.kid },
            'access log checkpoint of an earlier start names an entry the chain no longer holds; its key was made at that start and is gone, so the hub cannot tell a cut from a replaced data directory, and verifyAccessLog checks against this start’s checkpoint only: compare the log with its last backup, and keep keys across starts (npm run keys, GATEWAY_SIGNING_KEY) so that a cut is caught',
          );
        }
        return outcome;
      }
      metrics.checkpointFailures.inc({ reason: 'refused' });
      // The newest checkpoint's entry is gone or changed: it stays the newest, as evidence, until resolved.
      if (outcome.reason === 'UNKNOWN_KEY_CHECKPOINT_NO_LONGER_HOLDS') {
        logger.error(
          { lastId: outcome.lastId, kid: outcome.kid, reason: outcome.reason },
          'access log checkpoint refused: a checkpoint line under a kid this gateway does not trust names an entry the chain no longer holds. If that kid is a key you retired, add its public key to GATEWAY_VERIFY_KEYS again and run verifyAccessLog; if no key of yours ever had it, someone wrote the line: keep a copy of the file, then remove the line (docs/operations.md)',
        );
        return outcome;
      }
      logger.error(
        { lastId: outcome.lastId, reason: outcome.reason },
        'access log checkpoint refused: the chain no longer holds the last checkpoint; run verifyAccessLog',
      );
      return outcome;
    });
  };

  const tick = () =>
    write().catch((error: unknown) => logger.error({ error: describeSafely(error) }, 'access log checkpoint failed'));

  await write().catch((error: unknown) => {
    const { code } = error as { code?: unknown };
    // Another session holding a lock on the log (a migration, VACUUM FULL) delays the first checkpoint, not
    // the start: the timer tries again, and /readyz says ACCESS_LOG_LOCKED meanwhile.
    if (code === LOCK_NOT_AVAILABLE) {
      logger.warn({}, 'access log checkpoint at start waits: another session holds a lock on hub.audit_log');
      return;
    }
    // The sink refusing the first line (a full disk, a read-only mount, a quota) is the operator's to mend,
    // told in one line as an unwritable AUDIT_CHECKPOINT_FILE is (requireCheckpointFile), not as a crash.
    if (typeof code !== 'string' || !SINK_REFUSALS.has(code)) throw error;
    throw new ConfigError(
      `invalid configuration\n  AUDIT_CHECKPOINT_FILE: the first checkpoint cannot be written (${code})`,
    );
  });
  const interval = setInterval(() => void tick(), timer.intervalSeconds * 1000);
  interval.unref();
  return {
    write,
    async stop() {
      clearInterval(interval);
      await tick();
    },
  };
}
