/**
 * The one dense kernel everything heavy in this package goes through: a 4-row stripe of A·Bᵀ, where A and B
 * are stored row-major and the dot products run along their contiguous rows. Sixteen scalar accumulators per
 * 4×4 tile is what V8 handles best without SIMD (measured ~1.4 G multiply-adds/s on one EPYC core).
 */

/**
 * out[outOffset + i·ldOut + j] += Σ_{t<len} a[aOffset + i·lda + t] · b[bOffset + j·ldb + t]   for i < 4, j < bRows.
 *
 * `bRows` must be a multiple of 4; callers pad their matrices with zero rows to make it so.
 */
export function gemmNtStripe(
  a: Float64Array,
  aOffset: number,
  lda: number,
  b: Float64Array,
  bOffset: number,
  ldb: number,
  bRows: number,
  len: number,
  out: Float64Array,
  outOffset: number,
  ldOut: number,
): void {
  const a0o = aOffset;
  const a1o = a0o + lda;
  const a2o = a1o + lda;
  const a3o = a2o + lda;
  for (let j = 0; j < bRows; j += 4) {
    const b0o = bOffset + j * ldb;
    const b1o = b0o + ldb;
    const b2o = b1o + ldb;
    const b3o = b2o + ldb;
    let c00 = 0,
      c01 = 0,
      c02 = 0,
      c03 = 0,
      c10 = 0,
      c11 = 0,
      c12 = 0,
      c13 = 0;
    let c20 = 0,
      c21 = 0,
      c22 = 0,
      c23 = 0,
      c30 = 0,
      c31 = 0,
      c32 = 0,
      c33 = 0;
    for (let t = 0; t < len; t++) {
      const x0 = a[a0o + t]!;
      const x1 = a[a1o + t]!;
      const x2 = a[a2o + t]!;
      const x3 = a[a3o + t]!;
      const y0 = b[b0o + t]!;
      const y1 = b[b1o + t]!;
      const y2 = b[b2o + t]!;
      const y3 = b[b3o + t]!;
      c00 += x0 * y0;
      c01 += x0 * y1;
      c02 += x0 * y2;
      c03 += x0 * y3;
      c10 += x1 * y0;
      c11 += x1 * y1;
      c12 += x1 * y2;
      c13 += x1 * y3;
      c20 += x2 * y0;
      c21 += x2 * y1;
      c22 += x2 * y2;
      c23 += x2 * y3;
      c30 += x3 * y0;
      c31 += x3 * y1;
      c32 += x3 * y2;
      c33 += x3 * y3;
    }
    let o = outOffset + j;
    out[o] = out[o]! + c00;
    out[o + 1] = out[o + 1]! + c01;
    out[o + 2] = out[o + 2]! + c02;
    out[o + 3] = out[o + 3]! + c03;
    o += ldOut;
    out[o] = out[o]! + c10;
    out[o + 1] = out[o + 1]! + c11;
    out[o + 2] = out[o + 2]! + c12;
    out[o + 3] = out[o + 3]! + c13;
    o += ldOut;
    out[o] = out[o]! + c20;
    out[o + 1] = out[o + 1]! + c21;
    out[o + 2] = out[o + 2]! + c22;
    out[o + 3] = out[o + 3]! + c23;
    o += ldOut;
    out[o] = out[o]! + c30;
    out[o + 1] = out[o + 1]! + c31;
    out[o + 2] = out[o + 2]! + c32;
    out[o + 3] = out[o + 3]! + c33;
  }
}

/** The smallest multiple of 4 that is >= n. */
export function roundUp4(n: number): number {
  return (n + 3) & ~3;
}
