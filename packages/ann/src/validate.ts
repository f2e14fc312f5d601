import { types } from 'node:util';
import { AnnInputError } from './errors';

/** Throws unless `dim` is a positive integer. */
export function assertDim(dim: number, what = 'dim'): void {
  if (!Number.isInteger(dim) || dim < 1)
    throw new AnnInputError(`${what} must be a positive integer, got ${dim}`);
}

/**
 * Throws unless `vectors` is a Float32Array holding whole rows of `dim` finite values.
 * Returns the number of rows.
 */
export function assertMatrix(
  vectors: Float32Array,
  dim: number,
  what: string,
  options: { allowEmpty?: boolean } = {},
): number {
  // util.types works across realms (jest's sandbox, vm contexts), unlike instanceof.
  if (!types.isFloat32Array(vectors)) {
    throw new AnnInputError(`${what} must be a Float32Array (row-major n x ${dim})`);
  }
  if (vectors.length % dim !== 0) {
    throw new AnnInputError(`${what} has length ${vectors.length}, not a multiple of the dimension ${dim}`);
  }
  const rows = vectors.length / dim;
  if (rows === 0 && !options.allowEmpty) throw new AnnInputError(`${what} is empty`);
  const bad = firstNonFinite(vectors);
  if (bad >= 0) {
    const row = Math.floor(bad / dim);
    throw new AnnInputError(
      `${what} has a non-finite value (${vectors[bad]}) at row ${row}, column ${bad - row * dim}`,
    );
  }
  return rows;
}

/** Index of the first NaN or +-Infinity in `values`, or -1. */
export function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // v - v is NaN exactly for NaN and +-Infinity.
    if (v - v !== 0) return i;
  }
  return -1;
}

/** Throws unless 1 <= k <= max (max: how many results can exist). */
export function assertK(k: number, max: number, what = 'k'): void {
  if (!Number.isInteger(k) || k < 1) throw new AnnInputError(`${what} must be a positive integer, got ${k}`);
  if (k > max) throw new AnnInputError(`${what} = ${k} exceeds the ${max} vectors that can be returned`);
}

/** Throws unless 0 <= start <= end <= ntotal, all integers. */
export function assertRowRange(start: number, end: number, ntotal: number): void {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > ntotal) {
    throw new AnnInputError(`row range [${start}, ${end}) is not within [0, ${ntotal}]`);
  }
}
