import { timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Request, RequestHandler, Response, NextFunction, Router } from 'express';

export const DASHBOARD_PATH = '/admin/queues';

export interface DashboardOptions {
  queues: Queue[];
  credentials?: { user: string; password: string };
  /** Read-only: pause, retry, promote and remove are refused (405). */
  readOnly: boolean;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** HTTP Basic authentication against one user; 401 with a challenge otherwise. */
export function basicAuth(credentials: { user: string; password: string }, realm = 'lookalike'): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const [scheme, encoded] = header.split(' ');
    if (scheme?.toLowerCase() === 'basic' && encoded) {
      const decoded = Buffer.from(encoded, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0 && same(decoded.slice(0, colon), credentials.user) && same(decoded.slice(colon + 1), credentials.password)) {
        return next();
      }
    }
    res.setHeader('WWW-Authenticate', `Basic realm="${realm}", charset="UTF-8"`);
    res.status(401).json({ error: 'authentication required' });
  };
}

/** The Bull dashboard (bull-board) for every queue of the system, behind Basic auth when configured. */
export function createDashboard(options: DashboardOptions): { handlers: RequestHandler[]; router: Router } {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: options.queues.map((q) => new BullMQAdapter(q, { readOnlyMode: options.readOnly })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'lookalike' } },
  });
  const router = serverAdapter.getRouter() as Router;
  return { handlers: options.credentials ? [basicAuth(options.credentials)] : [], router };
}

/** A producer reachable from other machines must not expose the dashboard and API without credentials. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
