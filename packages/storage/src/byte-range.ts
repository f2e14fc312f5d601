import { InvalidRangeError } from './errors';

/**
 * Checks `getRange` arguments before any I/O: non-negative safe integers (else `RangeError`,
 * a programming error) with start <= end (else `InvalidRangeError`).
 */
export function assertByteRange(key: string, start: number, endInclusive: number): void {
  if (!Number.isSafeInteger(start) || start < 0)
    throw new RangeError(`range start must be a non-negative integer, got ${start}`);
  if (!Number.isSafeInteger(endInclusive) || endInclusive < 0) {
    throw new RangeError(`range end must be a non-negative integer, got ${endInclusive}`);
  }
  if (start > endInclusive) throw new InvalidRangeError(key, start, endInclusive);
}
