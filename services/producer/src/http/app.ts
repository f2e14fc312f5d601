import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  checkModelUrl,
  classifyFailure,
  checkSpecLocations,
  describeIssues,
  rebuildIdSchema,
  rebuildSpecSchema,
  type CancelResponse,
  type CredentialVerifier,
  type CustomerRecommendationsResponse,
  type ErrorResponse,
  type Logger,
  type ModelUrlPolicy,
  type RebuildListResponse,
  type RebuildStatusResponse,
  type RequestIssue,
  type RetryResponse,
  type SimilarResponse,
  type SubmitConflictResponse,
  type SubmitResponse,
} from '@lookalike/core';
import type { ServiceMetrics } from '@lookalike/observability';
import { DEFAULT_METHOD } from '@lookalike/recsys';
import type { RebuildService } from '../rebuild-service';
import type { SimilarArticles } from '../similar-articles';
import type { CustomerRecommendations } from '../customer-recommendations';
import { principalOf, requireApiAccess, requireMetricsAccess } from './auth/access-middleware';
import { DASHBOARD_PATH } from './dashboard';
import { renderRebuildsPage } from './rebuilds-page';
import {
  galleryPageKey,
  galleryThumbKey,
  manifestKey,
  ObjectNotFoundError,
  type ObjectStore,
} from '@lookalike/storage';

/** `POST /rebuilds` body: a rebuild spec, plus an optional client-chosen id (idempotency key). */
export const submitBodySchema = rebuildSpecSchema.extend({ id: rebuildIdSchema.optional() });

const similarQuerySchema = z.object({
  k: z.coerce.number({ message: 'expected an integer' }).int().min(1).max(1000).default(20),
});

const articleIdSchema = z.string().regex(/^\d{10}$/, 'expected a 10-digit article id');

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

function badRequest(res: Response, error: z.ZodError | RequestIssue[]) {
  const issues = Array.isArray(error) ? error : describeIssues(error);
  const body: ErrorResponse = {
    error: `invalid request: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
    issues,
  };
  res.status(400).json(body);
}

/** A route parameter's problems as issues naming it (`id`, not the zod path of the bare value). */
function paramIssues(field: string, error: z.ZodError): RequestIssue[] {
  return error.issues.map((issue) => ({ field, message: issue.message }));
}

const notFound = (res: Response, error: string) => res.status(404).json({ error } satisfies ErrorResponse);

/** The producer's HTTP API. */
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

  const CONTENT_TYPES: Record<string, string> = {
    html: 'text/html; charset=utf-8',
    jpg: 'image/jpeg',
    json: 'application/json',
  };
  const sendObject = async (res: express.Response, key: string) => {
    try {
      const bytes = await deps.store!.get(key);
      res.type(CONTENT_TYPES[key.slice(key.lastIndexOf('.') + 1)] ?? 'application/octet-stream').send(bytes);
    } catch (err) {
      if (err instanceof ObjectNotFoundError) res.status(404).json({ error: `not found: ${key}` });
      else throw err;
    }
  };
  /** The `:id` of a rebuild route, or a 400 naming it (never a 500 from the key layer). */
  const rebuildIdOf = (req: Request, res: Response): string | undefined => {
    const id = rebuildIdSchema.safeParse(String(req.params.id));
    if (id.success) return id.data;
    badRequest(res, paramIssues('id', id.error));
    return undefined;
  };

  app.get('/rebuilds/:id/manifest.json', async (req, res) => {
    const id = rebuildIdOf(req, res);
    if (id !== undefined) await sendObject(res, manifestKey(id));
  });
  // The page's image URLs are relative: serve it only under the trailing-slash URL.
  app.get('/rebuilds/:id/gallery', (req, res, next) =>
    req.path.endsWith('/') ? next() : res.redirect(`/rebuilds/${encodeURIComponent(req.params.id)}/gallery/`),
  );
  app.get(['/rebuilds/:id/gallery/', '/rebuilds/:id/gallery/*file'], async (req, res) => {
    const id = rebuildIdOf(req, res);
    if (id === undefined) return;
    const file = (req.params as { file?: string[] }).file?.join('/') || 'index.html';
    const thumb = /^thumbs\/(\d{10})\.jpg$/.exec(file);
    if (file !== 'index.html' && !thumb) return notFound(res, `not found: gallery/${file}`);
    await sendObject(res, thumb ? galleryThumbKey(id, thumb[1]!) : galleryPageKey(id));
  });

  app.post('/rebuilds', async (req, res) => {
    const parsed = submitBodySchema.safeParse(req.body ?? {});
    if (!parsed.success) return badRequest(res, parsed.error);
    const { id, ...spec } = parsed.data;
    const modelProblem =
      spec.modelUrl === undefined ? undefined : await checkModelUrl(spec.modelUrl, deps.inputPolicy);
    const refused = [
      ...(await checkSpecLocations(deps.inputPolicy.locations, spec)),
      ...(modelProblem === undefined ? [] : [{ field: 'modelUrl', message: modelProblem }]),
    ];
    if (refused.length > 0) return badRequest(res, refused);
    const result = await deps.rebuilds.submit(spec, id);
    const { rebuildId } = result;
    deps.logger.info({ rebuildId, outcome: result.outcome, by: principalOf(res) }, 'rebuild submitted');
    if (result.outcome === 'conflict') {
      return res.status(409).json({
        error: `rebuild ${rebuildId} exists with another spec (it differs in ${result.differences.join(', ')}); submit it under a new id`,
        rebuildId,
        status: result.status,
        differences: result.differences,
      } satisfies SubmitConflictResponse);
    }
    res.location(`/rebuilds/${rebuildId}`);
    if (result.outcome === 'created')
      return res.status(202).json({ rebuildId, created: true } satisfies SubmitResponse);
    res.status(200).json({ rebuildId, created: false, status: result.status } satisfies SubmitResponse);
  });

  app.get('/rebuilds', async (_req, res) => {
    const manifests = await deps.rebuilds.list();
    res.json({
      rebuilds: manifests.map((m) => ({
        rebuildId: m.rebuildId,
        status: m.status,
        step: m.step,
        createdAt: m.createdAt,
        finishedAt: m.finishedAt,
        counts: m.counts,
      })),
    } satisfies RebuildListResponse);
  });

  app.get('/rebuilds/:id', async (req, res) => {
    const id = rebuildIdOf(req, res);
    if (id === undefined) return;
    const status = await deps.rebuilds.status(id);
    if (!status) return notFound(res, `unknown rebuild ${id}`);
    res.json(status satisfies RebuildStatusResponse);
  });

  app.post('/rebuilds/:id/cancel', async (req, res) => {
    const id = rebuildIdOf(req, res);
    if (id === undefined) return;
    const result = await deps.rebuilds.cancel(id);
    if (result.outcome === 'not-found') return notFound(res, `unknown rebuild ${id}`);
    if (result.outcome === 'over') {
      return res
        .status(200)
        .json({ rebuildId: id, cancelling: false, status: result.status } satisfies CancelResponse);
    }
    deps.logger.info({ rebuildId: id, by: principalOf(res) }, 'rebuild cancelled');
    res.status(202).json({ rebuildId: id, cancelling: true } satisfies CancelResponse);
  });

  app.post('/rebuilds/:id/retry', async (req, res) => {
    const id = rebuildIdOf(req, res);
    if (id === undefined) return;
    const result = await deps.rebuilds.retry(id);
    if (result.outcome === 'not-found') return notFound(res, `unknown rebuild ${id}`);
    if (result.outcome === 'refused')
      return res.status(409).json({ error: result.reason, rebuildId: id } satisfies ErrorResponse);
    deps.logger.info({ rebuildId: id, step: result.step, by: principalOf(res) }, 'rebuild retried');
    res
      .status(202)
      .location(`/rebuilds/${id}`)
      .json({
        rebuildId: id,
        retrying: true,
        step: result.step,
        keptShards: result.keptShards,
      } satisfies RetryResponse);
  });

  app.get('/articles/:id/similar', async (req, res) => {
    const id = articleIdSchema.safeParse(req.params.id);
    if (!id.success) return badRequest(res, paramIssues('id', id.error));
    const query = similarQuerySchema.safeParse(req.query);
    if (!query.success) return badRequest(res, query.error);
    const answer = await deps.similar.similar(id.data, query.data.k);
    if (!answer) {
      const current = await deps.similar.currentRebuild();
      return notFound(
        res,
        current
          ? `article ${id.data} is not in the published rebuild ${current}`
          : 'no rebuild is published yet',
      );
    }
    res.json({ articleId: id.data, ...answer } satisfies SimilarResponse);
  });

  const customerIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'expected a customer id');
  app.get('/customers/:id/recommendations', async (req, res) => {
    const id = customerIdSchema.safeParse(req.params.id);
    if (!id.success) return badRequest(res, paramIssues('id', id.error));
    const answer = deps.customers ? await deps.customers.recommend(id.data) : 'no-model';
    if (answer === 'no-model') return notFound(res, 'no published rebuild has recommendations');
    if (!answer) return notFound(res, `unknown customer ${id.data} in the published rebuild`);
    res.json({
      customerId: id.data,
      method: DEFAULT_METHOD,
      ...answer,
    } satisfies CustomerRecommendationsResponse);
  });

  app.use((req, res) => {
    res.status(404).json({ error: `not found: ${req.method} ${req.path}` });
  });
  // Express 5 forwards rejected promises here.
  app.use(
    (err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
      if (err.type === 'entity.parse.failed')
        return res.status(400).json({ error: `invalid JSON body: ${err.message}` });
      if (err.status && err.status >= 400 && err.status < 500)
        return res.status(err.status).json({ error: err.message });
      // Storage or Redis away: the client may try again (the CLI's --follow waits it out).
      const failure = classifyFailure(err);
      if (failure.kind === 'transient') {
        deps.logger.warn(
          { err: err.message, waitingFor: failure.waitingFor },
          'request failed: dependency away',
        );
        return res
          .status(503)
          .set('retry-after', '5')
          .json({
            error: `waiting for ${failure.waitingFor === 'redis' ? 'Redis' : failure.waitingFor}: ${err.message}`,
            waiting: { for: failure.waitingFor },
          });
      }
      deps.logger.error({ err: err.message, stack: err.stack }, 'request failed');
      res.status(500).json({ error: 'internal error' });
    },
  );
  return app;
}
