import type { Worker } from 'bullmq';
import type { QueueName } from '@lookalike/core';
import { startOpsServer, type OpsServer } from '@lookalike/observability';
import {
  assertHandlers,
  CancellationRegistry,
  createWorker,
  installGracefulShutdown,
  RetryPolicy,
  WaitingRegistry,
  type JobHandler,
} from '@lookalike/queue';
import { createServiceContext, type ServiceContext } from './service-context';

export interface WorkerServiceDefinition {
  /** Service name in logs and metrics, e.g. `embedder`. */
  service: string;
  queue: QueueName;
  /**
   * Handlers by job name, built once the context exists (they may hold caches, models …): one for every
   * job of `queue` in the job registry and no other, or the service refuses to start.
   */
  handlers: (ctx: ServiceContext) => Promise<Record<string, JobHandler>> | Record<string, JobHandler>;
  /** Released after the worker has stopped taking jobs (e.g. dispose a model). */
  dispose?: () => Promise<void>;
}

export interface RunningWorkerService {
  ctx: ServiceContext;
  worker: Worker;
  ops: OpsServer;
  stop(): Promise<void>;
}

/**
 * Runs a long-lived worker process: a BullMQ worker on `queue` with the configured concurrency,
 * `/healthz` + `/metrics` on LOOKALIKE_HTTP_HOST:LOOKALIKE_HTTP_PORT (its `/metrics` reads nothing
 * from Redis, so it answers while Redis is away), and a graceful shutdown on
 * SIGTERM that lets active jobs finish before closing connections.
 */
export async function runWorkerService(definition: WorkerServiceDefinition): Promise<RunningWorkerService> {
  const ctx = createServiceContext(definition.service);
  let handlers: Record<string, JobHandler>;
  try {
    handlers = await definition.handlers(ctx);
    // Before the worker exists: a missing or misnamed handler stops the process at start, not at its first job.
    assertHandlers(definition.queue, handlers);
  } catch (err) {
    await definition.dispose?.();
    await ctx.close();
    throw err;
  }
  const worker = createWorker(definition.queue, {
    connection: ctx.connection,
    prefix: ctx.config.queuePrefix,
    logger: ctx.logger,
    handlers,
    concurrency: ctx.config.concurrency,
    cancellation: new CancellationRegistry(ctx.connection, ctx.config.queuePrefix),
    retry: new RetryPolicy({ budgetMs: ctx.config.retryBudgetMs }),
    waiting: new WaitingRegistry(ctx.connection, ctx.config.queuePrefix),
    // Every end, also of a job whose lock was lost (completed here, but BullMQ recorded nothing).
    onOutcome: ({ job, status, seconds }) => {
      ctx.metrics.jobsTotal.inc({ queue: definition.queue, name: job.name, status });
      if (status !== 'failed')
        ctx.metrics.jobSeconds.observe({ queue: definition.queue, name: job.name }, seconds);
    },
    worker: { lockDuration: ctx.config.lockMs, stalledInterval: ctx.config.stalledIntervalMs },
  });
  // Queue depth (`lookalike_queue_jobs`) is exported by the producer alone, for every queue: one
  // series per queue and state however many workers run (none, when a Deployment is scaled to zero).
  const ops = await startOpsServer({
    host: ctx.config.http.host,
    port: ctx.config.http.port,
    metrics: ctx.metrics,
    ...(ctx.config.metricsTokenSha256 !== undefined
      ? { metricsTokenSha256: ctx.config.metricsTokenSha256 }
      : {}),
    health: () => ({
      ok: worker.isRunning() && ctx.connection.status === 'ready',
      service: definition.service,
      queue: definition.queue,
      redis: ctx.connection.status,
      concurrency: ctx.config.concurrency,
    }),
  });
  ctx.logger.info(
    { queue: definition.queue, concurrency: ctx.config.concurrency, port: ops.port, storage: ctx.store.url },
    `${definition.service} ready`,
  );
  const stop = installGracefulShutdown(
    [() => worker.close(), async () => definition.dispose?.(), () => ops.close(), () => ctx.close()],
    ctx.logger,
  );
  return { ctx, worker, ops, stop };
}
