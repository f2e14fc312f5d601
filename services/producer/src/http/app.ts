import express from 'express';
import type { CredentialVerifier, Logger, ModelUrlPolicy } from '@lookalike/core';
import type { ServiceMetrics } from '@lookalike/observability';
import type { ObjectStore } from '@lookalike/storage';
import type { RebuildService } from '../rebuild-service';
import type { SimilarArticles } from '../similar-articles';
import type { CustomerRecommendations } from '../customer-recommendations';
import { requireApiAccess, requireMetricsAccess } from './auth/access-middleware';
import { DASHBOARD_PATH } from './dashboard';
import { errorHandler, unknownRoute } from './error-handler';
import { renderRebuildsPage } from './rebuilds-page';
import { articleRoutes } from './routes/articles';
import { customerRoutes } from './routes/customers';
import { rebuildFileRoutes } from './routes/rebuild-files';
import { rebuildRoutes } from './routes/rebuilds';

export { submitBodySchema } from './routes/rebuilds';

export interface AppDeps {
  /** The working store: galleries and manifests are served from it. */
  store?: ObjectStore;
  /** Mounted at /admin/queues (see dashboard.ts). */
  dashboard?: { router: express.Router };
  /** Who may use every route but /healthz (see access-rules.ts in core). */
  credentials: CredentialVerifier;
  /** Where a rebuild's inputs and model may come from. */
  inputPolicy: ModelUrlPolicy;
  rebuilds: RebuildService;
  similar: SimilarArticles;
  customers?: CustomerRecommendations;
  metrics: ServiceMetrics;
  logger: Logger;
  health: () => Promise<{ ok: boolean; [k: string]: unknown }>;
}

/**
 * The producer's HTTP API: /healthz without credentials, /metrics behind its scrape token, and
 * behind the API credentials the rebuilds page, the dashboard and one router per resource
 * (routes/: rebuilds, a rebuild's files, articles, customers).
 */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');

  // The one route without credentials: liveness and readiness probes.
  app.get('/healthz', async (_req, res) => {
    const report = await deps.health();
    res.status(report.ok ? 200 : 503).json(report);
  });
  app.get('/metrics', requireMetricsAccess(deps.credentials), async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  // Everything else, unknown routes included; bodies are parsed only for authenticated requests.
  app.use(requireApiAccess(deps.credentials));
  app.use(express.json({ limit: '1mb' }));

  if (deps.dashboard) app.use(DASHBOARD_PATH, deps.dashboard.router);

  app.get('/', async (_req, res) => {
    res.type('html').send(renderRebuildsPage(await deps.rebuilds.list(), DASHBOARD_PATH));
  });
  app.use(rebuildFileRoutes(deps.store));
  app.use(rebuildRoutes(deps));
  app.use(articleRoutes(deps.similar));
  app.use(customerRoutes(deps.customers));

  app.use(unknownRoute);
  app.use(errorHandler(deps.logger));
  return app;
}
