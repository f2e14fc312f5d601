import {
  runCooperatively,
  runToCompletion,
  type CooperativeOptions,
  type Work,
  type WorkProgress,
} from './cooperative';
import { checkMatrixShape, type RowMatrix } from './covariance';
import { gemmNtStripe, roundUp4 } from './kernels';
import type { PcaModel } from './pca';

export interface ProjectOptions {
  /** L2-normalise each output row (rows that project to exactly zero stay zero). Default false. */
  normalise?: boolean;
  /** Write into this array (length n·k) instead of allocating one. */
  out?: Float32Array;
  /**
   * Whitening: divide component j by λ_j^(whiten/2) (λ_j its explained variance) before any normalisation.
   * 0 = plain PCA (default), 1 = full whitening, in between a partial one (equalises the components' scales).
   */
  whiten?: number;
}

/** Per-component factors λ_j^(−p/2) of a whitening power p (1 when p = 0; 0 for a component without variance). */
export function whiteningFactors(model: PcaModel, power: number): Float64Array {
  if (!(power >= 0 && power <= 1)) throw new RangeError(`whiten must be in [0, 1], got ${power}`);
  const factors = new Float64Array(model.k).fill(1);
  if (power === 0) return factors;
  for (let j = 0; j < model.k; j++) {
    const variance = model.explainedVariance[j]!;
    factors[j] = variance > 0 ? Math.pow(variance, -power / 2) : 0;
  }
  return factors;
}

/** Rows centred and projected per step: 32 × 1792 × 256 ≈ 15 M multiply-adds, ~10–20 ms. */
const BLOCK_ROWS = 32;

/**
 * Projects the n×model.dim row-major matrix `x` onto the model's components: Y = (X − μ)·Wᵀ, an n×k Float32Array,
 * without blocking the event loop for more than about `yieldEvery` ms (default 100) at a time. Arithmetic is in
 * double precision; only the result is rounded to float32. Throws RangeError for a shape mismatch or NaN/Infinity
 * in `x`. Bit-identical to {@link projectRowsSync}.
 */
export async function projectRows(
  model: PcaModel,
  x: RowMatrix,
  n: number,
  options: ProjectOptions & CooperativeOptions = {},
): Promise<Float32Array> {
  return (await runCooperatively(projectRowsWork(model, x, n, options), options)).value;
}

/** {@link projectRows} in one synchronous call. */
export function projectRowsSync(
  model: PcaModel,
  x: RowMatrix,
  n: number,
  options: ProjectOptions = {},
): Float32Array {
  return runToCompletion(projectRowsWork(model, x, n, options));
}

/** The projection as resumable work (yields once per block of 32 rows). */
export function* projectRowsWork(
  model: PcaModel,
  x: RowMatrix,
  n: number,
  options: ProjectOptions = {},
): Work<Float32Array> {
  const { dim: d, k } = model;
  checkMatrixShape('projectRows', x, n, d);
  if (model.mean.length !== d || model.components.length !== k * d) {
    throw new RangeError(
      `projectRows: inconsistent model (dim ${d}, k ${k}, mean ${model.mean.length}, components ${model.components.length})`,
    );
  }
  const out = options.out ?? new Float32Array(n * k);
  if (out.length !== n * k)
    throw new RangeError(`projectRows: out must have ${n}×${k} = ${n * k} values, got ${out.length}`);
  const normalise = options.normalise ?? false;
  const factors = whiteningFactors(model, options.whiten ?? 0);

  const kPad = roundUp4(k);
  const w = new Float64Array(kPad * d);
  w.set(model.components);
  const mean = Float64Array.from(model.mean);
  const block = new Float64Array(roundUp4(BLOCK_ROWS) * d);
  const acc = new Float64Array(BLOCK_ROWS * kPad);
  const progress: WorkProgress = { phase: 'project', done: 0, total: n };

  for (let r0 = 0; r0 < n; r0 += BLOCK_ROWS) {
    const rows = Math.min(BLOCK_ROWS, n - r0);
    const rowsPad = roundUp4(rows);
    for (let r = 0; r < rows; r++) {
      const xo = (r0 + r) * d;
      const bo = r * d;
      for (let i = 0; i < d; i++) block[bo + i] = x[xo + i]! - mean[i]!;
    }
    block.fill(0, rows * d, rowsPad * d);
    acc.fill(0);
    for (let r = 0; r < rowsPad; r += 4) gemmNtStripe(block, r * d, d, w, 0, d, kPad, d, acc, r * kPad, kPad);

    for (let r = 0; r < rows; r++) {
      const ao = r * kPad;
      const oo = (r0 + r) * k;
      let ss = 0;
      for (let j = 0; j < k; j++) {
        const v = (acc[ao + j]! *= factors[j]!);
        ss += v * v;
      }
      if (!Number.isFinite(ss)) throw nonFinite(x, r0 + r, d);
      const scale = normalise && ss > 0 ? 1 / Math.sqrt(ss) : 1;
      for (let j = 0; j < k; j++) out[oo + j] = acc[ao + j]! * scale;
    }
    progress.done = r0 + rows;
    yield progress;
  }
  return out;
}

function nonFinite(x: RowMatrix, row: number, d: number): RangeError {
  for (let i = 0; i < d; i++) {
    const v = x[row * d + i]!;
    if (!Number.isFinite(v))
      return new RangeError(`projectRows: non-finite value ${v} at row ${row}, column ${i}`);
  }
  return new RangeError(`projectRows: row ${row} projects to a non-finite vector`);
}
