import type { Work, WorkProgress } from './cooperative';
import { SeededRandom } from './random';

/** The k largest eigenpairs of a symmetric tridiagonal matrix. */
export interface TridiagonalEigenpairs {
  /** Eigenvalues, largest first, length k. */
  values: Float64Array;
  /** Unit eigenvectors, row-major k×d, row i for values[i]. */
  vectors: Float64Array;
  /** Vectors inverse iteration could not certify within its iteration limit (LAPACK dstein's INFO); 0 normally. */
  unconverged: number;
  /** max_i ‖T·y_i − λ_i·y_i‖₂. */
  maxResidual: number;
}

const EPS = Number.EPSILON; // 2⁻⁵², LAPACK's dlamch('P')
const SAFE_MIN = 2 ** -1022;
const MAX_ITERATIONS = 5; // inverse iteration, per vector (dstein MAXITS)
const EXTRA_ITERATIONS = 2; // iterations after the growth test first passes (dstein EXTRA)
const RESCALE_ABOVE = 1e150;

/**
 * Largest k eigenpairs of the symmetric tridiagonal T (diagonal `diag`, off-diagonal `off`), as resumable work.
 *
 * T is split into unreduced blocks at negligible off-diagonal entries. Each block's largest eigenvalues are found by
 * bisection on Sturm counts (LAPACK dstebz: absolute accuracy ≈ ε·‖T‖), the global top k are picked, and their
 * eigenvectors are computed by inverse iteration on their block (LAPACK dstein: partial-pivoting LU of T − λI,
 * up to 5 iterations, re-orthogonalisation by modified Gram–Schmidt within clusters closer than 10⁻³·‖T‖).
 * Cost O(d·k) plus O(d·c²) for a cluster of c eigenvalues. Deterministic: start vectors come from `seed`.
 */
export function* tridiagonalTopEigenWork(
  diag: Float64Array,
  off: Float64Array,
  k: number,
  seed = 0x5eed,
): Work<TridiagonalEigenpairs> {
  const d = diag.length;
  if (off.length !== Math.max(d - 1, 0))
    throw new RangeError(`tridiagonal eigen: off-diagonal must have ${d - 1} entries, got ${off.length}`);
  if (!Number.isInteger(k) || k < 1 || k > d)
    throw new RangeError(`tridiagonal eigen: k must be an integer in 1..${d}, got ${k}`);
  const progress: WorkProgress = { phase: 'eigenvalues', done: 0, total: k };

  // Unreduced blocks [start, end).
  const blockStart: number[] = [];
  const blockEnd: number[] = [];
  let start = 0;
  for (let i = 0; i < d - 1; i++) {
    const e = off[i]!;
    if (e * e <= EPS * EPS * Math.abs(diag[i]! * diag[i + 1]!) + SAFE_MIN) {
      blockStart.push(start);
      blockEnd.push(i + 1);
      start = i + 1;
    }
  }
  blockStart.push(start);
  blockEnd.push(d);

  // Each block's largest min(k, m) eigenvalues.
  const candidates: { value: number; block: number }[] = [];
  for (let bi = 0; bi < blockStart.length; bi++) {
    const b = blockStart[bi]!;
    const m = blockEnd[bi]! - b;
    if (m === 1) {
      candidates.push({ value: diag[b]!, block: bi });
      continue;
    }
    const bounds = gershgorin(diag, off, b, m);
    const want = Math.min(k, m);
    for (let idx = m - 1; idx >= m - want; idx--) {
      candidates.push({ value: bisect(diag, off, b, m, idx, bounds), block: bi });
      if ((idx & 15) === 0) yield progress;
    }
  }
  candidates.sort((x, y) => y.value - x.value || x.block - y.block);
  const chosen = candidates.slice(0, k);

  const values = new Float64Array(k);
  const vectors = new Float64Array(k * d);
  const rng = new SeededRandom(seed);
  let unconverged = 0;
  let maxResidual = 0;
  progress.phase = 'eigenvectors';
  progress.done = 0;

  // Group the chosen eigenvalues by block, keeping their global rank (descending order within each block).
  const ranksByBlock = new Map<number, number[]>();
  chosen.forEach((c, rank) => {
    values[rank] = c.value;
    const list = ranksByBlock.get(c.block);
    if (list) list.push(rank);
    else ranksByBlock.set(c.block, [rank]);
  });

  const blocks = [...ranksByBlock.keys()].sort((x, y) => x - y);
  for (const bi of blocks) {
    const ranks = ranksByBlock.get(bi)!;
    const b = blockStart[bi]!;
    const m = blockEnd[bi]! - b;
    if (m === 1) {
      vectors[ranks[0]! * d + b] = 1;
      progress.done++;
      continue;
    }
    const solver = new InverseIteration(diag, off, b, m);
    let previousShift = 0;
    let clusterStart = 0; // index into `ranks` of the first vector in the current cluster
    for (let jb = 0; jb < ranks.length; jb++) {
      const rank = ranks[jb]!;
      const lambda = values[rank]!;
      let shift = lambda;
      if (jb > 0) {
        // Separate (numerically) equal eigenvalues so that each gets its own shift.
        const pertol = 10 * Math.abs(EPS * shift);
        if (previousShift - shift < pertol) shift = previousShift - pertol;
        if (Math.abs(shift - previousShift) > solver.orthogonalityTolerance) clusterStart = jb;
      }
      const clusterRanks = ranks.slice(clusterStart, jb);
      const ok = solver.solve(shift, rng, vectors, d, rank, clusterRanks);
      if (!ok) unconverged++;
      maxResidual = Math.max(maxResidual, residual(diag, off, b, m, lambda, vectors, rank * d));
      previousShift = shift;
      progress.done++;
      yield progress;
    }
  }
  return { values, vectors, unconverged, maxResidual };
}

interface Bounds {
  lower: number;
  upper: number;
  pivmin: number;
  absTol: number;
}

function gershgorin(diag: Float64Array, off: Float64Array, b: number, m: number): Bounds {
  let lower = Infinity;
  let upper = -Infinity;
  let maxE2 = 1;
  for (let i = 0; i < m; i++) {
    const left = i > 0 ? Math.abs(off[b + i - 1]!) : 0;
    const right = i < m - 1 ? Math.abs(off[b + i]!) : 0;
    lower = Math.min(lower, diag[b + i]! - left - right);
    upper = Math.max(upper, diag[b + i]! + left + right);
    if (i < m - 1) maxE2 = Math.max(maxE2, right * right);
  }
  const pivmin = SAFE_MIN * maxE2;
  const tnorm = Math.max(Math.abs(lower), Math.abs(upper));
  const fudge = 2.1 * tnorm * EPS * m + 4.2 * pivmin;
  return { lower: lower - fudge, upper: upper + fudge, pivmin, absTol: EPS * tnorm };
}

/** Number of eigenvalues of the block that are < x (Sturm count via the LDLᵀ pivots of T − x·I). */
function countBelow(
  diag: Float64Array,
  off: Float64Array,
  b: number,
  m: number,
  x: number,
  pivmin: number,
): number {
  let q = diag[b]! - x;
  if (Math.abs(q) < pivmin) q = -pivmin;
  let count = q <= 0 ? 1 : 0;
  for (let i = 1; i < m; i++) {
    const e = off[b + i - 1]!;
    q = diag[b + i]! - x - (e * e) / q;
    if (Math.abs(q) < pivmin) q = -pivmin;
    if (q <= 0) count++;
  }
  return count;
}

/** The idx-th smallest (0-based) eigenvalue of the block, by bisection. */
function bisect(
  diag: Float64Array,
  off: Float64Array,
  b: number,
  m: number,
  idx: number,
  bounds: Bounds,
): number {
  let lo = bounds.lower;
  let hi = bounds.upper;
  for (;;) {
    const mid = 0.5 * (lo + hi);
    if (hi - lo <= bounds.absTol + 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi)) || mid <= lo || mid >= hi)
      return mid;
    if (countBelow(diag, off, b, m, mid, bounds.pivmin) <= idx) lo = mid;
    else hi = mid;
  }
}

/** ‖T_block·y − λ·y‖₂ for the vector at vectors[offset + b .. offset + b + m). */
function residual(
  diag: Float64Array,
  off: Float64Array,
  b: number,
  m: number,
  lambda: number,
  vectors: Float64Array,
  offset: number,
): number {
  let ss = 0;
  for (let i = 0; i < m; i++) {
    const g = b + i;
    let r = (diag[g]! - lambda) * vectors[offset + g]!;
    if (i > 0) r += off[g - 1]! * vectors[offset + g - 1]!;
    if (i < m - 1) r += off[g]! * vectors[offset + g + 1]!;
    ss += r * r;
  }
  return Math.sqrt(ss);
}

/** Inverse iteration on one unreduced block of T (LAPACK dstein, with dlagtf/dlagts-style factor and solve). */
class InverseIteration {
  readonly orthogonalityTolerance: number;
  private readonly norm1: number;
  private readonly growthTarget: number;
  // LU of T − σI with partial pivoting: U has diagonal u1, super-diagonals u2, u3; multipliers l; swaps.
  private readonly u1: Float64Array;
  private readonly u2: Float64Array;
  private readonly u3: Float64Array;
  private readonly l: Float64Array;
  private readonly swapped: Uint8Array;
  private readonly y: Float64Array;
  private pivotTol = 0;

  constructor(
    private readonly diag: Float64Array,
    private readonly off: Float64Array,
    private readonly b: number,
    private readonly m: number,
  ) {
    let norm1 = 0;
    for (let i = 0; i < m; i++) {
      const left = i > 0 ? Math.abs(off[b + i - 1]!) : 0;
      const right = i < m - 1 ? Math.abs(off[b + i]!) : 0;
      norm1 = Math.max(norm1, Math.abs(diag[b + i]!) + left + right);
    }
    this.norm1 = norm1 > 0 ? norm1 : SAFE_MIN;
    this.orthogonalityTolerance = 1e-3 * this.norm1;
    this.growthTarget = Math.sqrt(0.1 / m);
    this.u1 = new Float64Array(m);
    this.u2 = new Float64Array(m);
    this.u3 = new Float64Array(m);
    this.l = new Float64Array(m);
    this.swapped = new Uint8Array(m);
    this.y = new Float64Array(m);
  }

  /**
   * Computes the eigenvector for `shift` into vectors[rank·d + b ..] (zero elsewhere), orthogonal to the vectors of
   * `clusterRanks`. Returns false if the growth test did not pass within the iteration limit.
   */
  solve(
    shift: number,
    rng: SeededRandom,
    vectors: Float64Array,
    d: number,
    rank: number,
    clusterRanks: number[],
  ): boolean {
    const { m, b, y } = this;
    this.factor(shift);
    for (let i = 0; i < m; i++) y[i] = rng.nextSigned();
    let converged = false;
    let growthChecks = 0;
    for (let it = 0; it < MAX_ITERATIONS; it++) {
      // Scale the right-hand side so that a converged solve has a large infinity norm (growth test below).
      const top = maxAbs(y, m);
      if (top === 0) y[0] = 1;
      const scale = (m * this.norm1 * Math.max(EPS, Math.abs(this.u1[m - 1]!))) / (top === 0 ? 1 : top);
      for (let i = 0; i < m; i++) y[i] = y[i]! * scale;
      this.solveInPlace();
      for (const other of clusterRanks) {
        const o = other * d + b;
        let s = 0;
        for (let i = 0; i < m; i++) s += y[i]! * vectors[o + i]!;
        for (let i = 0; i < m; i++) y[i] = y[i]! - s * vectors[o + i]!;
      }
      if (maxAbs(y, m) < this.growthTarget) continue;
      growthChecks++;
      if (growthChecks < EXTRA_ITERATIONS + 1) continue;
      converged = true;
      break;
    }
    let ss = 0;
    for (let i = 0; i < m; i++) ss += y[i]! * y[i]!;
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    const o = rank * d + b;
    for (let i = 0; i < m; i++) vectors[o + i] = y[i]! * inv;
    return converged && inv !== 0;
  }

  /** LU factorisation with partial pivoting of the block's T − σI (LAPACK dlagtf). */
  private factor(shift: number): void {
    const { diag, off, b, m, u1, u2, u3, l, swapped } = this;
    let a = diag[b]! - shift; // current pivot row: (a, bk, 0) in columns k, k+1, k+2
    let bk = off[b]!;
    let umax = 0;
    for (let k = 0; k < m - 1; k++) {
      const c = off[b + k]!; // row k+1, column k
      const aNext = diag[b + k + 1]! - shift;
      const bNext = k + 1 < m - 1 ? off[b + k + 1]! : 0;
      if (Math.abs(a) >= Math.abs(c)) {
        swapped[k] = 0;
        const mult = a === 0 ? 0 : c / a;
        l[k] = mult;
        u1[k] = a;
        u2[k] = bk;
        u3[k] = 0;
        a = aNext - mult * bk;
        bk = bNext;
      } else {
        swapped[k] = 1;
        const mult = a / c;
        l[k] = mult;
        u1[k] = c;
        u2[k] = aNext;
        u3[k] = bNext;
        a = bk - mult * aNext;
        bk = -mult * bNext;
      }
      umax = Math.max(umax, Math.abs(u1[k]!), Math.abs(u2[k]!), Math.abs(u3[k]!));
    }
    u1[m - 1] = a;
    umax = Math.max(umax, Math.abs(a));
    this.pivotTol = umax > 0 ? EPS * umax : EPS;
  }

  /** Solves (T − σI)·x = y in place with the factorisation, perturbing tiny pivots (LAPACK dlagts, job −1). */
  private solveInPlace(): void {
    const { m, u1, u2, u3, l, swapped, y } = this;
    for (let k = 0; k < m - 1; k++) {
      if (swapped[k]) {
        const t = y[k]!;
        y[k] = y[k + 1]!;
        y[k + 1] = t;
      }
      y[k + 1] = y[k + 1]! - l[k]! * y[k]!;
    }
    for (let k = m - 1; k >= 0; k--) {
      let v = y[k]!;
      if (k + 1 < m) v -= u2[k]! * y[k + 1]!;
      if (k + 2 < m) v -= u3[k]! * y[k + 2]!;
      let pivot = u1[k]!;
      if (Math.abs(pivot) < this.pivotTol) pivot = pivot >= 0 ? this.pivotTol : -this.pivotTol;
      v /= pivot;
      y[k] = v;
      if (Math.abs(v) > RESCALE_ABOVE) {
        // Keep the (linear) solve finite: scale the whole partial solution and the remaining right-hand side.
        const s = 1 / Math.abs(v);
        for (let i = 0; i < m; i++) y[i] = y[i]! * s;
      }
    }
  }
}

function maxAbs(y: Float64Array, m: number): number {
  let top = 0;
  for (let i = 0; i < m; i++) top = Math.max(top, Math.abs(y[i]!));
  return top;
}
