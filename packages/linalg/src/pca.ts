import { performance } from 'node:perf_hooks';
import {
  runCooperatively,
  runToCompletion,
  type CooperativeOptions,
  type Work,
  type WorkProgress,
} from './cooperative';
import { checkMatrixShape, covarianceWork, type RowMatrix } from './covariance';
import { gemmNtStripe, roundUp4 } from './kernels';
import { symmetricTopEigenWork } from './symmetric-eigen';

/**
 * A fitted PCA: y = (x − mean)·Wᵀ, with W's rows the principal axes.
 *
 * Conventions: components are unit length, orthogonal, sorted by explained variance (largest first), and each
 * is signed so that its largest-magnitude entry (the first one, on an exact tie) is positive, so that the same
 * data always gives the same model.
 */
export interface PcaModel {
  /** Input dimension d. */
  dim: number;
  /** Output dimension k (number of components), 1 ≤ k ≤ d. */
  k: number;
  /** Rows the model was fitted on (n). */
  sampleCount: number;
  /** Column means of the fitted sample, length d. */
  mean: Float32Array;
  /** Principal axes, row-major k×d. */
  components: Float32Array;
  /** Variance of the sample along each component (covariance eigenvalues, divisor n − 1), length k. */
  explainedVariance: Float64Array;
  /** explainedVariance / totalVariance, length k (0 when totalVariance is 0). */
  explainedVarianceRatio: Float64Array;
  /** Total variance of the sample: the trace of its covariance (sum over all d directions). */
  totalVariance: number;
}

/** How a fit went; not part of the model (not serialised). */
export interface PcaFitDiagnostics {
  /**
   * max_i ‖C·w_i − λ_i·w_i‖₂ / λ₁ over the k components, C the sample covariance (computed in double precision
   * before the components are rounded to float32). ~1e-15 normally; NaN when `verify` is false.
   */
  maxRelativeResidual: number;
  /** max_{i,j} |w_i·w_j − δ_ij| of the double-precision components; NaN when `verify` is false. */
  maxOrthogonalityError: number;
  /** Eigenvectors inverse iteration could not certify (0 normally). */
  unconverged: number;
  /** Wall time of each phase, ms (for the async fit this includes time other tasks ran in between). */
  phaseMs: Record<string, number>;
  /** CPU time (user + system, whole process) of each phase, ms: unlike wall time, not inflated by a busy machine. */
  phaseCpuMs: Record<string, number>;
  /** Longest stretch the fit held the event loop, ms (the whole fit for the sync API). */
  maxBlockMs: number;
  /** Times the async fit yielded to the event loop (0 for the sync API). */
  yields: number;
  /** Total wall time, ms. */
  elapsedMs: number;
}

export interface PcaFit {
  model: PcaModel;
  diagnostics: PcaFitDiagnostics;
}

export interface FitPcaOptions extends CooperativeOptions {
  /**
   * Check the eigenpairs against the covariance (residual and orthogonality; costs k·d² multiply-adds, ≈ 0.6 s for
   * d = 1792, k = 256, plus a copy of the covariance). Default true.
   */
  verify?: boolean;
  /** Throw if the relative residual exceeds this (default 1e-6; a healthy fit is ~1e-12). Only with `verify`. */
  maxRelativeResidual?: number;
}

/** The phases a fit reports through `onProgress`, in order. */
export const PCA_FIT_PHASES = [
  'mean',
  'covariance',
  'tridiagonalise',
  'eigenvalues',
  'eigenvectors',
  'backtransform',
  'verify',
] as const;

/**
 * Fits a k-component PCA to the n×d row-major sample `x` without blocking the event loop for more than about
 * `yieldEvery` ms (default 100) at a time. Throws RangeError for bad shapes (n < 2, k < 1, k > min(n − 1, d)) or
 * NaN/Infinity in `x`, and Error if the eigen-solver fails its check. The model is bit-identical to {@link fitPcaSync}'s.
 *
 * Method: covariance in double precision (n·d²/2 multiply-adds), then its k largest eigenpairs exactly by Householder
 * tridiagonalisation, bisection and inverse iteration ({@link symmetricTopEigenWork}). For n = 20 000, d = 1792,
 * k = 256 the covariance dominates (≈ 32 G multiply-adds).
 */
export async function fitPca(
  x: RowMatrix,
  n: number,
  d: number,
  k: number,
  options: FitPcaOptions = {},
): Promise<PcaFit> {
  const phaseMs: Record<string, number> = {};
  const phaseCpuMs: Record<string, number> = {};
  const { value, stats } = await runCooperatively(
    fitPcaWork(x, n, d, k, options, phaseMs, phaseCpuMs),
    options,
  );
  return {
    model: value.model,
    diagnostics: {
      ...value.checks,
      phaseMs,
      phaseCpuMs,
      maxBlockMs: stats.maxBlockMs,
      yields: stats.yields,
      elapsedMs: stats.elapsedMs,
    },
  };
}

/** {@link fitPca} in one synchronous call (blocks the event loop for the whole fit). */
export function fitPcaSync(
  x: RowMatrix,
  n: number,
  d: number,
  k: number,
  options: Pick<FitPcaOptions, 'verify' | 'maxRelativeResidual'> = {},
): PcaFit {
  const phaseMs: Record<string, number> = {};
  const phaseCpuMs: Record<string, number> = {};
  const start = performance.now();
  const value = runToCompletion(fitPcaWork(x, n, d, k, options, phaseMs, phaseCpuMs));
  const elapsedMs = performance.now() - start;
  return {
    model: value.model,
    diagnostics: { ...value.checks, phaseMs, phaseCpuMs, maxBlockMs: elapsedMs, yields: 0, elapsedMs },
  };
}

interface Checks {
  maxRelativeResidual: number;
  maxOrthogonalityError: number;
  unconverged: number;
}

/** Throws unless (n, d, k) describe a fit this module can do. */
export function checkPcaArguments(x: RowMatrix, n: number, d: number, k: number): void {
  checkMatrixShape('fitPca', x, n, d);
  if (n < 2) throw new RangeError(`fitPca: need at least 2 sample rows, got ${n}`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`fitPca: k must be a positive integer, got ${k}`);
  if (k > d) throw new RangeError(`fitPca: k = ${k} exceeds the input dimension d = ${d}`);
  if (k > n - 1)
    throw new RangeError(
      `fitPca: k = ${k} exceeds n − 1 = ${n - 1} (a sample of n rows has at most n − 1 directions of variance)`,
    );
}

/** The fit as resumable work (what {@link fitPca} and {@link fitPcaSync} run); records phase times into `phaseMs`/`phaseCpuMs`. */
export function* fitPcaWork(
  x: RowMatrix,
  n: number,
  d: number,
  k: number,
  options: Pick<FitPcaOptions, 'verify' | 'maxRelativeResidual'> = {},
  phaseMs: Record<string, number> = {},
  phaseCpuMs: Record<string, number> = {},
): Work<{ model: PcaModel; checks: Checks }> {
  checkPcaArguments(x, n, d, k);
  const verify = options.verify ?? true;
  const residualLimit = options.maxRelativeResidual ?? 1e-6;

  // Time phases by the progress records flowing through (covarianceWork starts with 'mean').
  let phase = 'mean';
  let phaseStart = performance.now();
  let phaseCpuStart = cpuMs();
  const timed = function* <T>(work: Work<T>): Work<T> {
    for (;;) {
      const step = work.next();
      if (step.done) return step.value;
      if (step.value.phase !== phase) switchPhase(step.value.phase);
      yield step.value;
    }
  };
  const switchPhase = (next: string): void => {
    const now = performance.now();
    const cpu = cpuMs();
    if (phase) {
      phaseMs[phase] = (phaseMs[phase] ?? 0) + (now - phaseStart);
      phaseCpuMs[phase] = (phaseCpuMs[phase] ?? 0) + (cpu - phaseCpuStart);
    }
    phase = next;
    phaseStart = now;
    phaseCpuStart = cpu;
  };

  const { mean, cov } = yield* timed(covarianceWork(x, n, d));
  let totalVariance = 0;
  for (let i = 0; i < d; i++) totalVariance += cov[i * d + i]!;
  const covCopy = verify ? Float64Array.from(cov) : undefined;
  yield { phase: 'covariance', done: n, total: n };

  const eig = yield* timed(symmetricTopEigenWork(cov, d, k));
  const vectors = eig.vectors;
  fixSigns(vectors, k, d);

  let checks: Checks = { maxRelativeResidual: NaN, maxOrthogonalityError: NaN, unconverged: eig.unconverged };
  if (covCopy) {
    switchPhase('verify');
    checks = {
      ...(yield* verifyEigenpairs(covCopy, d, eig.values, vectors, k)),
      unconverged: eig.unconverged,
    };
    if (
      !(checks.maxRelativeResidual <= residualLimit) ||
      !(checks.maxOrthogonalityError <= Math.max(residualLimit, 1e-9))
    ) {
      throw new Error(
        `fitPca: eigen-solver check failed (relative residual ${checks.maxRelativeResidual}, orthogonality error ` +
          `${checks.maxOrthogonalityError}, ${eig.unconverged} unconverged vectors)`,
      );
    }
  }
  switchPhase('');

  const explainedVariance = new Float64Array(k);
  const explainedVarianceRatio = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    // Rounding can leave the eigenvalues of a (near-)singular covariance a hair below zero.
    const v = Math.max(0, eig.values[i]!);
    explainedVariance[i] = v;
    explainedVarianceRatio[i] = totalVariance > 0 ? v / totalVariance : 0;
  }
  const model: PcaModel = {
    dim: d,
    k,
    sampleCount: n,
    mean: Float32Array.from(mean),
    components: Float32Array.from(vectors),
    explainedVariance,
    explainedVarianceRatio,
    totalVariance,
  };
  return { model, checks };
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Flips each of the k rows so that its largest-magnitude entry (first one on a tie) is positive. */
function fixSigns(vectors: Float64Array, k: number, d: number): void {
  for (let r = 0; r < k; r++) {
    const o = r * d;
    let best = 0;
    let at = 0;
    for (let i = 0; i < d; i++) {
      const a = Math.abs(vectors[o + i]!);
      if (a > best) {
        best = a;
        at = i;
      }
    }
    if (vectors[o + at]! < 0) for (let i = 0; i < d; i++) vectors[o + i] = -vectors[o + i]!;
  }
}

/** Residual ‖C·w − λ·w‖/λ₁ and orthogonality of the k eigenvectors (rows of `vectors`), as resumable work. */
function* verifyEigenpairs(
  cov: Float64Array,
  d: number,
  values: Float64Array,
  vectors: Float64Array,
  k: number,
): Work<Omit<Checks, 'unconverged'>> {
  const progress: WorkProgress = { phase: 'verify', done: 0, total: k };
  const dPad = roundUp4(d);
  const kPad = roundUp4(k);
  // Both operands padded with zero rows to multiples of 4; the product rows are C·w_i (C symmetric: w_iᵀC = (C·w_i)ᵀ).
  const w = new Float64Array(kPad * d);
  w.set(vectors.subarray(0, k * d));
  const c = cov.length === dPad * d ? cov : new Float64Array(dPad * d);
  if (c !== cov) c.set(cov);
  const cw = new Float64Array(kPad * dPad);
  let maxResidual = 0;
  for (let i = 0; i < kPad; i += 4) {
    gemmNtStripe(w, i * d, d, c, 0, d, dPad, d, cw, i * dPad, dPad);
    for (let r = i; r < Math.min(i + 4, k); r++) {
      let ss = 0;
      for (let j = 0; j < d; j++) {
        const e = cw[r * dPad + j]! - values[r]! * w[r * d + j]!;
        ss += e * e;
      }
      maxResidual = Math.max(maxResidual, Math.sqrt(ss));
    }
    progress.done = Math.min(i + 4, k);
    yield progress;
  }
  const gram = new Float64Array(kPad * kPad);
  for (let i = 0; i < kPad; i += 4) {
    gemmNtStripe(w, i * d, d, w, i * d, d, kPad - i, d, gram, i * kPad + i, kPad);
    yield progress;
  }
  let maxOrthogonalityError = 0;
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++)
      maxOrthogonalityError = Math.max(
        maxOrthogonalityError,
        Math.abs(gram[i * kPad + j]! - (i === j ? 1 : 0)),
      );
  }
  const scale = Math.abs(values[0]!) > 0 ? Math.abs(values[0]!) : 1;
  return { maxRelativeResidual: maxResidual / scale, maxOrthogonalityError };
}
