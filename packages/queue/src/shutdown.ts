import type { Logger } from '@lookalike/core';

export type Closer = () => Promise<unknown>;

/** How long a service may take to shut down before it exits anyway (deployments' grace periods must be longer). */
export const SHUTDOWN_TIMEOUT_MS = 60_000;

/**
 * Graceful shutdown on SIGTERM/SIGINT: runs the closers in order (e.g. `worker.close()` lets
 * active jobs finish, then servers and connections close), then exits. A second signal, or
 * `timeoutMs` passing, exits at once; unfinished jobs are then picked up again by other workers
 * when their locks expire.
 */
export function installGracefulShutdown(
  closers: Closer[],
  logger: Logger,
  timeoutMs = SHUTDOWN_TIMEOUT_MS,
): () => Promise<void> {
  let shuttingDown: Promise<void> | undefined;
  const shutdown = (signal: string) => {
    if (shuttingDown) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out: exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    shuttingDown = (async () => {
      for (const close of closers) {
        try {
          await close();
        } catch (err) {
          logger.error({ err: (err as Error).message }, 'error during shutdown');
        }
      }
      clearTimeout(timer);
      logger.info('shut down');
    })();
    return shuttingDown;
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM').then(() => process.exit(0)));
  process.once('SIGINT', () => void shutdown('SIGINT').then(() => process.exit(0)));
  return () => shutdown('manual');
}
