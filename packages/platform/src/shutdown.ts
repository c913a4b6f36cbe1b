// Stopping a service on SIGINT (Ctrl-C) or SIGTERM (a service manager): its parts are closed in order (the
// gateway writes the access log's last checkpoint after its last answer), then the process exits.

import { describeSafely } from './errors.js';
import type { Logger } from './logger.js';

/** How long closing may take before the process gives up on it and exits 1. */
const SHUTDOWN_TIMEOUT_MS = 15_000;

/**
 * Closes the process's services on the first SIGINT or SIGTERM, then exits 0 (1 if closing fails or takes
 * too long). A signal repeated while it closes is ignored: a wrapper such as tsx relays to its child the
 * signal the process group already sent it, and the second one would kill the process before the access
 * log's last checkpoint is written.
 */
export function closeOnSignals(logger: Logger, close: () => Promise<void>): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    try {
      await close();
    } catch (error) {
      logger.error({ error: describeSafely(error) }, 'shutdown failed');
      process.exit(1);
    }
    clearTimeout(timer);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
