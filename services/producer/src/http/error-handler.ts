import type { NextFunction, Request, Response } from 'express';
import { classifyFailure, type Logger } from '@lookalike/core';

/** The answer to a route nobody serves. */
export function unknownRoute(req: Request, res: Response): void {
  res.status(404).json({ error: `not found: ${req.method} ${req.path}` });
}

/**
 * Express 5 forwards rejected promises here: bad JSON and client errors keep their 4xx; storage or
 * Redis away is a 503 with retry-after (the CLI's --follow waits it out); anything else a 500.
 */
export function errorHandler(logger: Logger) {
  return (
    err: Error & { status?: number; type?: string },
    _req: Request,
    res: Response,
    _next: NextFunction,
  ) => {
    if (err.type === 'entity.parse.failed')
      return res.status(400).json({ error: `invalid JSON body: ${err.message}` });
    if (err.status && err.status >= 400 && err.status < 500)
      return res.status(err.status).json({ error: err.message });
    const failure = classifyFailure(err);
    if (failure.kind === 'transient') {
      logger.warn({ err: err.message, waitingFor: failure.waitingFor }, 'request failed: dependency away');
      return res
        .status(503)
        .set('retry-after', '5')
        .json({
          error: `waiting for ${failure.waitingFor === 'redis' ? 'Redis' : failure.waitingFor}: ${err.message}`,
          waiting: { for: failure.waitingFor },
        });
    }
    logger.error({ err: err.message, stack: err.stack }, 'request failed');
    res.status(500).json({ error: 'internal error' });
  };
}
