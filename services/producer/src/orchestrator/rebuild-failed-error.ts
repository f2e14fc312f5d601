import { UnrecoverableError } from 'bullmq';

/** A rebuild that cannot succeed (bad input, a stage whose jobs failed after their retries). */
export class RebuildFailedError extends UnrecoverableError {
  /**
   * Why, for the manifest's `errorKind`: `budget` when the failing jobs gave up waiting out an
   * outage (their retry budget was spent), else `permanent`.
   */
  readonly kind: 'permanent' | 'budget';

  constructor(message: string, kind: 'permanent' | 'budget' = 'permanent') {
    super(message);
    this.name = 'RebuildFailedError';
    this.kind = kind;
  }
}
