/** Anything indexable by number with a length: typed arrays and plain arrays. */
export type NumericArray = ArrayLike<number>;

/** Dot product of `length` elements of `a` (from `aOffset`) and `b` (from `bOffset`), accumulated in double precision. */
export function dot(
  a: NumericArray,
  b: NumericArray,
  length: number = a.length,
  aOffset = 0,
  bOffset = 0,
): number {
  if (
    aOffset + length > a.length ||
    bOffset + length > b.length ||
    aOffset < 0 ||
    bOffset < 0 ||
    length < 0
  ) {
    throw new RangeError(
      `dot: range out of bounds (length ${length}, offsets ${aOffset}/${bOffset}, sizes ${a.length}/${b.length})`,
    );
  }
  let s = 0;
  for (let i = 0; i < length; i++) s += a[aOffset + i]! * b[bOffset + i]!;
  return s;
}

/** Euclidean norm of `length` elements of `v` from `offset`, accumulated in double precision. */
export function l2Norm(v: NumericArray, length: number = v.length, offset = 0): number {
  return Math.sqrt(dot(v, v, length, offset, offset));
}

/**
 * L2-normalises every row of a row-major `rows` matrix (`rows.length / dim` rows of `dim` values) in place.
 *
 * Rows whose norm is exactly zero are left as they are (all zeros): they have no direction, and leaving them
 * zero keeps them at cosine 0 from everything, which is what a nearest-neighbour search should see. A row that
 * contains NaN or ±Infinity throws a RangeError (the data is corrupt; silently writing NaNs would poison an index).
 *
 * @returns the number of all-zero rows that were left unchanged.
 */
export function l2Normalise(rows: Float32Array | Float64Array, dim: number): number {
  if (!Number.isInteger(dim) || dim <= 0)
    throw new RangeError(`l2Normalise: dim must be a positive integer, got ${dim}`);
  if (rows.length % dim !== 0)
    throw new RangeError(`l2Normalise: length ${rows.length} is not a multiple of dim ${dim}`);
  const n = rows.length / dim;
  let zeroRows = 0;
  for (let r = 0; r < n; r++) {
    const o = r * dim;
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const v = rows[o + j]!;
      s += v * v;
    }
    if (!(s > 1e-290 && s < Infinity)) {
      // Zero, non-finite, or (for Float64Array input) squares that under- or overflow: look at the magnitudes.
      let max = 0;
      for (let j = 0; j < dim; j++) max = Math.max(max, Math.abs(rows[o + j]!));
      if (!Number.isFinite(max)) throw new RangeError(`l2Normalise: row ${r} contains a non-finite value`);
      if (max === 0) {
        zeroRows++;
        continue;
      }
      s = 0;
      for (let j = 0; j < dim; j++) {
        const v = rows[o + j]! / max;
        s += v * v;
      }
      const invMax = 1 / max;
      const invNorm = 1 / Math.sqrt(s);
      for (let j = 0; j < dim; j++) rows[o + j] = rows[o + j]! * invMax * invNorm;
      continue;
    }
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < dim; j++) rows[o + j] = rows[o + j]! * inv;
  }
  return zeroRows;
}

/**
 * Signed power normalisation, in place: v ← sign(v)·|v|^p for every value (p = 1 leaves the rows as they are,
 * p = 0.5 is the signed square root that evens out bursty CNN activations before PCA).
 */
export function signedPower(values: Float32Array | Float64Array, power: number): void {
  if (!(power > 0 && power <= 1)) throw new RangeError(`power must be in (0, 1], got ${power}`);
  if (power === 1) return;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    values[i] = v < 0 ? -Math.pow(-v, power) : Math.pow(v, power);
  }
}
