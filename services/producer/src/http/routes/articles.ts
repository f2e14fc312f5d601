import { Router } from 'express';
import { z } from 'zod';
import type { SimilarResponse } from '@lookalike/core';
import type { SimilarArticles } from '../../similar-articles';
import { badRequest, notFound, paramIssues } from '../request-errors';

const similarQuerySchema = z.object({
  k: z.coerce.number({ message: 'expected an integer' }).int().min(1).max(1000).default(20),
});

const articleIdSchema = z.string().regex(/^\d{10}$/, 'expected a 10-digit article id');

/** `GET /articles/:id/similar?k=`: an article's neighbours in the published rebuild. */
export function articleRoutes(similar: SimilarArticles): Router {
  const router = Router();
  router.get('/articles/:id/similar', async (req, res) => {
    const id = articleIdSchema.safeParse(req.params.id);
    if (!id.success) return badRequest(res, paramIssues('id', id.error));
    const query = similarQuerySchema.safeParse(req.query);
    if (!query.success) return badRequest(res, query.error);
    const answer = await similar.similar(id.data, query.data.k);
    if (!answer) {
      const current = await similar.currentRebuild();
      return notFound(
        res,
        current
          ? `article ${id.data} is not in the published rebuild ${current}`
          : 'no rebuild is published yet',
      );
    }
    res.json({ articleId: id.data, ...answer } satisfies SimilarResponse);
  });
  return router;
}
