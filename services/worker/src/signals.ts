import { coerceError } from '@stratus/spec';
import type { Logger } from '@stratus/spec';

/**
 * For a CLI entry point: on the first SIGTERM or SIGINT run `close` and exit
 * 0 (1 if it fails); a second signal exits 1 at once. Returns a function
 * that starts the same stop for another reason (e.g. the parent going away),
 * and does nothing once stopping.
 */
export const closeOnSignals = (
  close: () => Promise<void>,
  logger: Logger,
): ((reason: string) => void) => {
  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ reason }, 'stopping');
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: coerceError(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return (reason) => {
    if (!stopping) stop(reason);
  };
};
