import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queue } from 'bullmq';

/** The Prometheus metrics every service exposes on `/metrics`. */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly jobsTotal: Counter<'queue' | 'name' | 'status'>;
  readonly jobSeconds: Histogram<'queue' | 'name'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.jobsTotal = new Counter({
      name: 'lookalike_jobs_total',
      help: 'Jobs finished by this process, by queue, job name and status (completed|failed|lock-lost)',
      labelNames: ['queue', 'name', 'status'],
      registers: [this.registry],
    });
    this.jobSeconds = new Histogram({
      name: 'lookalike_job_duration_seconds',
      help: 'Wall time of jobs processed by this process',
      labelNames: ['queue', 'name'],
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
      registers: [this.registry],
    });
  }

  /**
   * Queue depth by state, read with getJobCounts at scrape time. Scale workers on this gauge,
   * not on `LLEN wait` (prioritised jobs are not in the wait list). Only the producer calls this
   * (for every queue), so that there is one series per queue and state whatever the number of
   * workers; with several producer replicas, aggregate with `max by (queue, state)`.
   */
  watchQueues(queues: Queue[]): void {
    new Gauge({
      name: 'lookalike_queue_jobs',
      help: 'Jobs in each queue by state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const queue of queues) {
          const counts = await queue.getJobCounts(
            'wait',
            'active',
            'delayed',
            'prioritized',
            'waiting-children',
            'completed',
            'failed',
          );
          for (const [state, count] of Object.entries(counts)) this.set({ queue: queue.name, state }, count);
        }
      },
    });
  }
}
