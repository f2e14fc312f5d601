import type { Job } from 'bullmq';
import type { JobOutcome } from './worker-factory';

/** How BullMQ reports finishing a job whose lock this worker no longer holds. */
const LOCK_LOST = ['Missing lock for job ', 'Lock mismatch for job '];

/** Entries BullMQ never reported on (a worker closing mid-way) are forgotten after this long. */
const FORGET_AFTER_MS = 3_600_000;

/**
 * Tells a worker's `onOutcome` how each job's end was recorded: jobs whose handler has returned or
 * thrown wait here until BullMQ reports them completed or failed — or reports, as a worker error,
 * that their lock was lost (then the job is `lock-lost`: another worker may have it now).
 */
export class JobOutcomes {
  private readonly finishing = new Map<
    string,
    { job: Job; started: number; status: 'completed' | 'failed' }
  >();
  /** Jobs just reported as lock-lost: BullMQ reports the lost lock twice (completing, then failing). */
  private readonly lost = new Set<string>();

  constructor(private readonly onOutcome?: (outcome: JobOutcome) => void) {}

  /** The handler of `job`, started at `started`, has returned (`completed`) or thrown (`failed`). */
  finished(job: Job, started: number, status: 'completed' | 'failed'): void {
    if (job.id === undefined) return;
    for (const [id, entry] of this.finishing)
      if (started - entry.started > FORGET_AFTER_MS) this.finishing.delete(id);
    this.finishing.set(job.id, { job, started, status });
  }

  /** BullMQ recorded the job's end. */
  report(id: string | undefined, status: JobOutcome['status']): void {
    const entry = id === undefined ? undefined : this.finishing.get(id);
    if (!entry) return;
    this.finishing.delete(id!);
    this.onOutcome?.({ job: entry.job, status, seconds: (Date.now() - entry.started) / 1000 });
  }

  /**
   * Whether a worker error is BullMQ's "lock lost" for a job of ours: undefined when it is not;
   * `{ job }` the first time (the job is reported lock-lost), `{}` for BullMQ's repeat report.
   */
  lockLost(error: Error): { job?: Job } | undefined {
    const prefix = LOCK_LOST.find((p) => error.message.startsWith(p));
    if (!prefix) return undefined;
    const rest = error.message.slice(prefix.length);
    const id = [...this.finishing.keys(), ...this.lost].find(
      (key) => rest.startsWith(`${key}.`) || rest.startsWith(`${key} `),
    );
    if (id === undefined) return undefined;
    const entry = this.finishing.get(id);
    if (!entry) return {};
    this.report(id, 'lock-lost');
    this.lost.add(id);
    if (this.lost.size > 1000) this.lost.delete(this.lost.values().next().value!);
    return { job: entry.job };
  }
}
