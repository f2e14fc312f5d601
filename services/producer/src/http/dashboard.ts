import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Router } from 'express';

export const DASHBOARD_PATH = '/admin/queues';

export interface DashboardOptions {
  queues: Queue[];
  /** Read-only: pause, retry, promote and remove are refused (405). */
  readOnly: boolean;
}

/** The Bull dashboard (bull-board) for every queue of the system; the app puts it behind its credentials. */
export function createDashboard(options: DashboardOptions): { router: Router } {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: options.queues.map((q) => new BullMQAdapter(q, { readOnlyMode: options.readOnly })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'lookalike' } },
  });
  const router = serverAdapter.getRouter() as Router;
  return { router };
}
