import type { AddressInfo } from 'node:net';
import { ALL_QUEUES, CredentialVerifier, isLoopbackHost, modelUrlPolicyFor, QUEUES } from '@lookalike/core';
import {
  CancellationRegistry,
  createQueue,
  createWorker,
  installGracefulShutdown,
  RebuildClaims,
  RetryPolicy,
  WaitingRegistry,
} from '@lookalike/queue';
import { createServiceContext } from '@lookalike/service-runtime';
import { createApp } from './http/app';
import { createDashboard, DASHBOARD_PATH } from './http/dashboard';
import { ManifestRepository } from './orchestrator/manifest-repository';
import { createRebuildOrchestrator } from './orchestrator/rebuild-orchestrator';
import { RebuildService } from './rebuild-service';
import { SimilarArticles } from './similar-articles';
import { CustomerRecommendations } from './customer-recommendations';

/** The producer: HTTP API + the rebuild orchestrator (a worker on the `rebuild` queue). */
async function main(): Promise<void> {
  const ctx = createServiceContext('producer');
  const { config, connection, logger, store } = ctx;
  const { user, password, readOnly } = config.dashboard;
  const credentials = new CredentialVerifier({
    apiTokens: config.apiTokens,
    ...(user !== undefined && password !== undefined ? { basic: { user, password, readOnly } } : {}),
    ...(config.metricsTokenSha256 !== undefined ? { metricsTokenSha256: config.metricsTokenSha256 } : {}),
  });
  if (!credentials.hasApiCredentials && !isLoopbackHost(config.http.host)) {
    logger.fatal(
      { host: config.http.host },
      'refusing to listen on a non-loopback address without credentials: set LOOKALIKE_API_TOKENS and/or LOOKALIKE_DASHBOARD_USER and LOOKALIKE_DASHBOARD_PASSWORD',
    );
    process.exit(2);
  }
  const queueCtx = { connection, prefix: config.queuePrefix };
  const queues = {
    rebuild: createQueue(QUEUES.rebuild, queueCtx),
    embed: createQueue(QUEUES.embed, queueCtx),
    reduce: createQueue(QUEUES.reduce, queueCtx),
    index: createQueue(QUEUES.index, queueCtx),
    recommend: createQueue(QUEUES.recommend, queueCtx),
  };
  ctx.metrics.watchQueues(Object.values(queues));
  const manifests = new ManifestRepository(store);
  const cancellation = new CancellationRegistry(connection, config.queuePrefix);
  const waiting = new WaitingRegistry(connection, config.queuePrefix);
  const orchestrator = createWorker(QUEUES.rebuild, {
    connection,
    prefix: config.queuePrefix,
    logger,
    handlers: {
      rebuild: createRebuildOrchestrator({
        store,
        openSource: ctx.openSource,
        manifests,
        cancellation,
        queues,
      }),
    },
    // Many rebuilds can wait on their children at once; only active steps hold a slot.
    concurrency: 4,
    retry: new RetryPolicy({ budgetMs: config.retryBudgetMs }),
    waiting,
    worker: { lockDuration: config.lockMs, stalledInterval: config.stalledIntervalMs },
  });
  const rebuilds = new RebuildService({
    rebuildQueue: queues.rebuild,
    manifests,
    cancellation,
    claims: new RebuildClaims(connection, config.queuePrefix),
    waiting,
    connection,
    store,
  });
  const app = createApp({
    // Every queue of the system, including those this process does not use itself.
    dashboard: createDashboard({ queues: ALL_QUEUES.map((name) => queues[name]), readOnly }),
    credentials,
    inputPolicy: modelUrlPolicyFor(config),
    store,
    rebuilds,
    similar: new SimilarArticles(store, manifests),
    customers: new CustomerRecommendations(store, manifests),
    metrics: ctx.metrics,
    logger,
    health: async () => ({
      ok: orchestrator.isRunning() && connection.status === 'ready',
      service: 'producer',
      redis: connection.status,
      storage: store.url,
    }),
  });
  const server = app.listen(config.http.port, config.http.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.http.host}:${port}`;
  const auth = credentials.hasApiCredentials
    ? {
        apiTokens: config.apiTokens.length,
        basic: credentials.hasBasic,
        metricsToken: credentials.hasMetricsToken,
      }
    : 'none (loopback only)';
  logger.info({ url, dashboard: `${url}${DASHBOARD_PATH}`, storage: store.url, auth }, 'producer ready');
  installGracefulShutdown(
    [
      () => new Promise<void>((resolve) => server.close(() => resolve())),
      () => orchestrator.close(),
      ...Object.values(queues).map((q) => () => q.close()),
      () => ctx.close(),
    ],
    logger,
  );
}

main().catch((err) => {
  process.stderr.write(`producer: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
