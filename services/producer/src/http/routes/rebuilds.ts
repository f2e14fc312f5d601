import { Router } from 'express';
import {
  checkModelUrl,
  checkSpecLocations,
  rebuildIdSchema,
  rebuildSpecSchema,
  type CancelResponse,
  type ErrorResponse,
  type RebuildListResponse,
  type RebuildStatusResponse,
  type RetryResponse,
  type SubmitConflictResponse,
  type SubmitResponse,
} from '@lookalike/core';
import type { AppDeps } from '../app';
import { principalOf } from '../auth/access-middleware';
import { badRequest, notFound, rebuildIdOf } from '../request-errors';

/** `POST /rebuilds` body: a rebuild spec, plus an optional client-chosen id (idempotency key). */
export const submitBodySchema = rebuildSpecSchema.extend({ id: rebuildIdSchema.optional() });

type RebuildDeps = Pick<AppDeps, 'rebuilds' | 'inputPolicy' | 'logger'>;

/** `POST /rebuilds`: a new rebuild (202), the same again (200) or another spec under its id (409). */
function submitRoute(router: Router, deps: RebuildDeps): void {
  router.post('/rebuilds', async (req, res) => {
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
}

/** `GET /rebuilds` (the list) and `GET /rebuilds/:id` (one rebuild's status). */
function readRoutes(router: Router, deps: RebuildDeps): void {
  router.get('/rebuilds', async (_req, res) => {
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

  router.get('/rebuilds/:id', async (req, res) => {
    const id = rebuildIdOf(req, res);
    if (id === undefined) return;
    const status = await deps.rebuilds.status(id);
    if (!status) return notFound(res, `unknown rebuild ${id}`);
    res.json(status satisfies RebuildStatusResponse);
  });
}

/** `POST /rebuilds/:id/cancel` and `POST /rebuilds/:id/retry`. */
function controlRoutes(router: Router, deps: RebuildDeps): void {
  router.post('/rebuilds/:id/cancel', async (req, res) => {
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

  router.post('/rebuilds/:id/retry', async (req, res) => {
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
}

/** The rebuild resource: submit, list, status, cancel, retry. */
export function rebuildRoutes(deps: RebuildDeps): Router {
  const router = Router();
  submitRoute(router, deps);
  readRoutes(router, deps);
  controlRoutes(router, deps);
  return router;
}
