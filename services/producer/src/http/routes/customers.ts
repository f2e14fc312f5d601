import { Router } from 'express';
import { z } from 'zod';
import type { CustomerRecommendationsResponse } from '@lookalike/core';
import { DEFAULT_METHOD } from '@lookalike/recsys';
import type { CustomerRecommendations } from '../../customer-recommendations';
import { badRequest, notFound, paramIssues } from '../request-errors';

const customerIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'expected a customer id');

/** `GET /customers/:id/recommendations`: a customer's articles from the published rebuild's model. */
export function customerRoutes(customers: CustomerRecommendations | undefined): Router {
  const router = Router();
  router.get('/customers/:id/recommendations', async (req, res) => {
    const id = customerIdSchema.safeParse(req.params.id);
    if (!id.success) return badRequest(res, paramIssues('id', id.error));
    const answer = customers ? await customers.recommend(id.data) : 'no-model';
    if (answer === 'no-model') return notFound(res, 'no published rebuild has recommendations');
    if (!answer) return notFound(res, `unknown customer ${id.data} in the published rebuild`);
    res.json({
      customerId: id.data,
      method: DEFAULT_METHOD,
      ...answer,
    } satisfies CustomerRecommendationsResponse);
  });
  return router;
}
