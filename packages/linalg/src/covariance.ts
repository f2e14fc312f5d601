import { runToCompletion, type Work, type WorkProgress } from './cooperative';
import { gemmNtStripe, roundUp4 } from './kernels';

/** Input matrices: row-major, `n` rows of `d` values. */
export type RowMatrix = Float32Array | Float64Array;

export interface Covariance {
  /** Column means, length d. */
  mean: Float64Array;
  /** The sample covariance (X−μ)ᵀ(X−μ)/(n−1), d×d row-major, full (both triangles). */
  cov: Float64Array;
}

/** Rows per panel: the centred panel (d × PANEL doubles, ≈3.7 MB for d=1792) stays in the last-level cache. */
const PANEL_ROWS = 256;

/** Throws unless `x` is an n×d matrix. */
export function checkMatrixShape(what: string, x: RowMatrix, n: number, d: number): void {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`${what}: n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`${what}: d must be a positive integer, got ${d}`);
  if (x.length !== n * d)
    throw new RangeError(`${what}: expected ${n}×${d} = ${n * d} values, got ${x.length}`);
}

/** Throws a RangeError naming the first NaN/±Infinity in `x` (row, column), if there is one. */
export function assertFinite(what: string, x: RowMatrix, d: number): void {
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) {
      throw new RangeError(`${what}: non-finite value ${x[i]} at row ${Math.floor(i / d)}, column ${i % d}`);
    }
  }
}

/**
 * Column means and sample covariance of the n×d matrix `x`, in double precision, as resumable work.
 *
 * The data is centred panel by panel (PANEL_ROWS rows at a time, transposed into a feature-major double buffer)
 * and the upper triangle of the Gram matrix is accumulated with {@link gemmNtStripe}; the lower triangle is a mirror.
 * Cost: n·d²/2 multiply-adds (32 G for 20 000 × 1792). Throws on NaN/Infinity in the input.
 */
export function* covarianceWork(x: RowMatrix, n: number, d: number): Work<Covariance> {
  checkMatrixShape('covariance', x, n, d);
  if (n < 2) throw new RangeError(`covariance: need at least 2 rows, got ${n}`);
  const progress: WorkProgress = { phase: 'mean', done: 0, total: n };

  // Column means (double accumulation). Non-finite input shows up as a non-finite sum.
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let i = 0; i < d; i++) mean[i] = mean[i]! + x[o + i]!;
    if ((r & 1023) === 1023) {
      progress.done = r + 1;
      yield progress;
    }
  }
  for (let i = 0; i < d; i++) {
    if (!Number.isFinite(mean[i]!)) assertFinite('covariance', x, d);
    mean[i] = mean[i]! / n;
  }

  const dPad = roundUp4(d);
  const gram = new Float64Array(dPad * dPad);
  const panel = new Float64Array(dPad * PANEL_ROWS); // feature-major: panel[i·PANEL_ROWS + r]; padding rows stay 0
  progress.phase = 'covariance';
  progress.done = 0;
  progress.total = n;
  for (let r0 = 0; r0 < n; r0 += PANEL_ROWS) {
    const rows = Math.min(PANEL_ROWS, n - r0);
    fillCentredPanel(x, d, r0, rows, mean, panel);
    for (let ib = 0; ib < dPad; ib += 4) {
      // Upper triangle: the 4-row stripe ib against rows ib.. of the panel (the diagonal tile is computed whole).
      gemmNtStripe(
        panel,
        ib * PANEL_ROWS,
        PANEL_ROWS,
        panel,
        ib * PANEL_ROWS,
        PANEL_ROWS,
        dPad - ib,
        PANEL_ROWS,
        gram,
        ib * dPad + ib,
        dPad,
      );
      if ((ib & 15) === 12) yield progress;
    }
    progress.done = r0 + rows;
    yield progress;
  }

  // Scale, mirror the upper triangle into the lower one, and drop the padding.
  const scale = 1 / (n - 1);
  const cov = dPad === d ? gram : new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = gram[i * dPad + j]! * scale;
      cov[i * d + j] = v;
      cov[j * d + i] = v;
    }
    if ((i & 63) === 63) yield progress;
  }
  return { mean, cov };
}

/** Copies rows [r0, r0+rows) of x, centred, into the feature-major panel; unused panel columns are zeroed. */
function fillCentredPanel(
  x: RowMatrix,
  d: number,
  r0: number,
  rows: number,
  mean: Float64Array,
  panel: Float64Array,
): void {
  for (let r = 0; r < rows; r++) {
    const o = (r0 + r) * d;
    for (let i = 0; i < d; i++) panel[i * PANEL_ROWS + r] = x[o + i]! - mean[i]!;
  }
  if (rows < PANEL_ROWS) {
    for (let i = 0; i < d; i++) panel.fill(0, i * PANEL_ROWS + rows, (i + 1) * PANEL_ROWS);
  }
}

/** Column means and sample covariance of the n×d matrix `x` (synchronous; see {@link covarianceWork}). */
export function covariance(x: RowMatrix, n: number, d: number): Covariance {
  return runToCompletion(covarianceWork(x, n, d));
}
