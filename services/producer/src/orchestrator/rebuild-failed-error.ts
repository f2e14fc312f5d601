import { UnrecoverableError } from 'bullmq';

/** A rebuild that cannot succeed (bad input, a stage whose jobs failed after their retries). */
export class RebuildFailedError extends UnrecoverableError {
  constructor(message: string) {
    super(message);
    this.name = 'RebuildFailedError';
  }
}
