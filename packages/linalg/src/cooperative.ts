import { performance } from 'node:perf_hooks';

/**
 * Cooperative scheduling for long numeric jobs.
 *
 * The heavy algorithms in this package are written as generators that `yield` a progress record at cheap,
 * frequent checkpoints (every few milliseconds of work at most). A generator can then be run either
 *  - synchronously ({@link runToCompletion}): the checkpoints cost almost nothing, or
 *  - cooperatively ({@link runCooperatively}): whenever `yieldEvery` ms have passed since the event loop last got
 *    control, it awaits a `setImmediate` turn, so timers, I/O and lock renewals (BullMQ) keep running.
 * Both give bit-identical results: yielding never changes the arithmetic.
 */

/** Where a long job is. `done` and `total` count phase-specific units (rows, columns, vectors). */
export interface WorkProgress {
  phase: string;
  done: number;
  total: number;
}

/** A resumable computation that returns a T and pauses at checkpoints. */
export type Work<T> = Generator<WorkProgress, T, void>;

export interface CooperativeOptions {
  /** Give the event loop a turn at least this often (milliseconds of work; default 100). */
  yieldEvery?: number;
  /** Called (with a copy of the progress record) each time the job gives the event loop a turn. */
  onProgress?: (progress: WorkProgress) => void;
  /** Stops the job at its next checkpoint with the signal's reason. */
  signal?: AbortSignal;
}

/** How the cooperative run went. */
export interface CooperativeStats {
  /** Longest stretch, in ms, that the job held the event loop without yielding. */
  maxBlockMs: number;
  /** How many times it yielded to the event loop. */
  yields: number;
  /** Wall time of the whole run, in ms (including the time other tasks ran in between). */
  elapsedMs: number;
}

export const DEFAULT_YIELD_EVERY_MS = 100;

/** Runs `work` to the end without yielding to the event loop. */
export function runToCompletion<T>(work: Work<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs `work`, yielding to the event loop (a `setImmediate` turn) whenever `yieldEvery` ms of work have passed. */
export async function runCooperatively<T>(
  work: Work<T>,
  options: CooperativeOptions = {},
): Promise<{ value: T; stats: CooperativeStats }> {
  const yieldEvery = options.yieldEvery ?? DEFAULT_YIELD_EVERY_MS;
  if (!(yieldEvery >= 0)) throw new RangeError(`yieldEvery must be >= 0 ms, got ${yieldEvery}`);
  const { onProgress, signal } = options;
  signal?.throwIfAborted();
  const start = performance.now();
  let sliceStart = start;
  let maxBlockMs = 0;
  let yields = 0;
  for (;;) {
    const step = work.next();
    const now = performance.now();
    if (step.done) {
      maxBlockMs = Math.max(maxBlockMs, now - sliceStart);
      return { value: step.value, stats: { maxBlockMs, yields, elapsedMs: now - start } };
    }
    if (now - sliceStart >= yieldEvery) {
      if (onProgress) onProgress({ ...step.value });
      maxBlockMs = Math.max(maxBlockMs, performance.now() - sliceStart);
      await nextTurn();
      yields++;
      signal?.throwIfAborted();
      sliceStart = performance.now();
    }
  }
}
