import { assertDim } from './validate';
import { AnnInputError } from './errors';

/**
 * Scales each row of a row-major n x dim matrix to unit L2 norm, in place (norms accumulated in
 * float64), and returns the same array. All-zero rows are left as zeros; their count is returned
 * in `zeroRows` so callers can decide whether that is an error.
 */
export function l2NormalizeRows(
  vectors: Float32Array,
  dim: number,
): { vectors: Float32Array; zeroRows: number } {
  assertDim(dim);
  if (vectors.length % dim !== 0) {
    throw new AnnInputError(`vectors has length ${vectors.length}, not a multiple of the dimension ${dim}`);
  }
  let zeroRows = 0;
  for (let base = 0; base < vectors.length; base += dim) {
    let sum = 0;
    for (let j = 0; j < dim; j++) sum += vectors[base + j]! * vectors[base + j]!;
    if (sum === 0) {
      zeroRows++;
      continue;
    }
    const inv = 1 / Math.sqrt(sum);
    for (let j = 0; j < dim; j++) vectors[base + j]! *= inv;
  }
  return { vectors, zeroRows };
}
