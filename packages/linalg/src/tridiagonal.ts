import type { Work, WorkProgress } from './cooperative';

/**
 * A symmetric matrix reduced to tridiagonal form, A = Q·T·Qᵀ, with Q = H₀·H₁·…·H_{d−3} kept as Householder
 * reflectors H_j = I − τ_j·v_j·v_jᵀ (v_j is zero up to index j, 1 at index j+1).
 */
export interface Tridiagonal {
  d: number;
  /** T's diagonal, length d. */
  diag: Float64Array;
  /** T's off-diagonal, length max(d−1, 0): off[i] = T[i][i+1] = T[i+1][i]. */
  off: Float64Array;
  /** Reflector j's vector in row j, columns j+1..d−1 (row-major d×d; the rest of the buffer is scratch). */
  reflectors: Float64Array;
  /** τ_j, length max(d−2, 0). */
  tau: Float64Array;
}

/**
 * Householder tridiagonalisation of the symmetric d×d row-major matrix `a` (only its upper triangle is read),
 * as resumable work. `a` is overwritten: it ends up holding the reflectors.
 *
 * Unblocked (LAPACK dsytd2-style), with the rank-2 update of step j fused with the symmetric matrix-vector
 * product of step j+1, so each step makes one pass over the remaining upper triangle: d³/6 elements in all,
 * 4 multiply-adds each (≈3.8 G for d = 1792). It yields once per column.
 */
export function* tridiagonaliseWork(a: Float64Array, d: number): Work<Tridiagonal> {
  if (a.length !== d * d) throw new RangeError(`tridiagonalise: expected ${d}×${d} values, got ${a.length}`);
  const diag = new Float64Array(d);
  const off = new Float64Array(Math.max(d - 1, 0));
  const tau = new Float64Array(Math.max(d - 2, 0));
  const progress: WorkProgress = { phase: 'tridiagonalise', done: 0, total: Math.max(d - 2, 0) };

  if (d >= 3) {
    let v = new Float64Array(d); // current reflector (dense, zero outside j+1..)
    let vNext = new Float64Array(d);
    const w = new Float64Array(d);
    let p = new Float64Array(d); // τ·A₂₂·v for the current reflector
    let pNext = new Float64Array(d);

    // Step 0's reflector and its product with the trailing block.
    let t = makeReflector(a, d, 0, v);
    tau[0] = t;
    off[0] = a[1]!;
    diag[0] = a[0]!;
    symmetricMatVec(a, d, 1, v, p, t);

    for (let j = 0; j <= d - 3; j++) {
      const j1 = j + 1;
      // w = p − (τ/2)(pᵀv)v on indices j+1..d−1.
      let pv = 0;
      for (let i = j1; i < d; i++) pv += p[i]! * v[i]!;
      const half = 0.5 * t * pv;
      for (let i = j1; i < d; i++) w[i] = p[i]! - half * v[i]!;

      // Row j+1 of the trailing block gets its rank-2 update; it is then final: T's entries, next reflector.
      rank2UpdateRow(a, d, j1, v, w);
      diag[j1] = a[j1 * d + j1]!;
      if (j1 <= d - 3) {
        vNext.fill(0);
        pNext.fill(0);
        const tNext = makeReflector(a, d, j1, vNext);
        tau[j1] = tNext;
        off[j1] = a[j1 * d + j1 + 1]!;
        // Fused pass: rank-2 update of rows j+2.. with (v, w) and pNext = τ'·A'₂₂·vNext with the updated values.
        fusedUpdateAndMatVec(a, d, j1 + 1, v, w, vNext, pNext, tNext);
        [v, vNext] = [vNext, v];
        [p, pNext] = [pNext, p];
        t = tNext;
      } else {
        // Last step (j1 = d−2): update the remaining 1×1 block and read off the last entries.
        rank2UpdateRow(a, d, d - 1, v, w);
        off[j1] = a[j1 * d + j1 + 1]!;
        diag[d - 1] = a[(d - 1) * d + d - 1]!;
      }
      progress.done = j + 1;
      yield progress;
    }
  } else {
    for (let i = 0; i < d; i++) diag[i] = a[i * d + i]!;
    if (d === 2) off[0] = a[1]!;
  }
  return { d, diag, off, reflectors: a, tau };
}

/**
 * Householder reflector for row j's part right of the diagonal, x = a[j][j+1..d−1] (LAPACK dlarfg): H·x = β·e₁
 * with H = I − τ·v·vᵀ, v₀ = 1. Writes β to a[j][j+1], v (with v₀ = 1) to a[j][j+1..] and the dense `v`; returns τ.
 */
function makeReflector(a: Float64Array, d: number, j: number, v: Float64Array): number {
  const o = j * d;
  const alpha = a[o + j + 1]!;
  let scale = 0;
  for (let i = j + 2; i < d; i++) scale = Math.max(scale, Math.abs(a[o + i]!));
  let tauValue = 0;
  let beta = alpha;
  let inv = 0;
  if (scale > 0) {
    // ‖x[1:]‖ with scaling against overflow/underflow.
    let ss = 0;
    for (let i = j + 2; i < d; i++) {
      const s = a[o + i]! / scale;
      ss += s * s;
    }
    const xnorm = scale * Math.sqrt(ss);
    const norm = Math.hypot(alpha, xnorm);
    beta = alpha >= 0 ? -norm : norm;
    tauValue = (beta - alpha) / beta;
    inv = 1 / (alpha - beta);
  }
  v[j + 1] = 1;
  for (let i = j + 2; i < d; i++) {
    const vi = a[o + i]! * inv; // inv = 0 when x[1:] = 0: H = I, v = e₁
    a[o + i] = vi;
    v[i] = vi;
  }
  // a[j][j+1] holds β (T's off-diagonal, read by the caller); v₀ = 1 is implicit wherever v is read back.
  a[o + j + 1] = beta;
  return tauValue;
}

/** p[i] = τ · Σ_k A[i][k]·v[k] for i, k in start..d−1, reading only the upper triangle of `a`. */
function symmetricMatVec(
  a: Float64Array,
  d: number,
  start: number,
  v: Float64Array,
  p: Float64Array,
  tauValue: number,
): void {
  p.fill(0);
  for (let i = start; i < d; i++) {
    const o = i * d;
    const vi = v[i]!;
    let s = a[o + i]! * vi;
    for (let k = i + 1; k < d; k++) {
      const aik = a[o + k]!;
      s += aik * v[k]!;
      p[k] = p[k]! + aik * vi;
    }
    p[i] = p[i]! + s;
  }
  for (let i = start; i < d; i++) p[i] = p[i]! * tauValue;
}

/** a[i][k] −= v[i]·w[k] + w[i]·v[k] for k = i..d−1. */
function rank2UpdateRow(a: Float64Array, d: number, i: number, v: Float64Array, w: Float64Array): void {
  const o = i * d;
  const vi = v[i]!;
  const wi = w[i]!;
  for (let k = i; k < d; k++) a[o + k] = a[o + k]! - vi * w[k]! - wi * v[k]!;
}

/**
 * For rows i = start..d−1 of the upper triangle: a[i][k] −= v[i]·w[k] + w[i]·v[k], then accumulate
 * pNext = τ'·A·vNext over the updated block (symmetric, rows/columns start..d−1).
 *
 * Rows go four at a time so that each load of w[k], v[k], vNext[k] and pNext[k] serves four rows: about twice as
 * fast in V8 as the one-row loop (which handles the last d − start mod 4 rows).
 */
function fusedUpdateAndMatVec(
  a: Float64Array,
  d: number,
  start: number,
  v: Float64Array,
  w: Float64Array,
  u: Float64Array,
  p: Float64Array,
  tauNext: number,
): void {
  const end = start + ((d - start) & ~3);
  for (let i = start; i < end; i += 4) {
    // The 4×4 corner (upper triangle) row by row.
    for (let r = 0; r < 4; r++) {
      const o = (i + r) * d;
      const vr = v[i + r]!;
      const wr = w[i + r]!;
      const ur = u[i + r]!;
      const diagonal = a[o + i + r]! - 2 * vr * wr;
      a[o + i + r] = diagonal;
      let s = diagonal * ur;
      for (let k = i + r + 1; k < i + 4; k++) {
        const b = a[o + k]! - vr * w[k]! - wr * v[k]!;
        a[o + k] = b;
        s += b * u[k]!;
        p[k] = p[k]! + b * ur;
      }
      p[i + r] = p[i + r]! + s;
    }
    // Columns right of the corner, four rows at once.
    const o0 = i * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    // prettier-ignore
    const v0 = v[i]!, v1 = v[i + 1]!, v2 = v[i + 2]!, v3 = v[i + 3]!;
    // prettier-ignore
    const w0 = w[i]!, w1 = w[i + 1]!, w2 = w[i + 2]!, w3 = w[i + 3]!;
    // prettier-ignore
    const u0 = u[i]!, u1 = u[i + 1]!, u2 = u[i + 2]!, u3 = u[i + 3]!;
    // prettier-ignore
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let k = i + 4; k < d; k++) {
      const wk = w[k]!;
      const vk = v[k]!;
      const uk = u[k]!;
      const b0 = a[o0 + k]! - v0 * wk - w0 * vk;
      const b1 = a[o1 + k]! - v1 * wk - w1 * vk;
      const b2 = a[o2 + k]! - v2 * wk - w2 * vk;
      const b3 = a[o3 + k]! - v3 * wk - w3 * vk;
      a[o0 + k] = b0;
      a[o1 + k] = b1;
      a[o2 + k] = b2;
      a[o3 + k] = b3;
      s0 += b0 * uk;
      s1 += b1 * uk;
      s2 += b2 * uk;
      s3 += b3 * uk;
      p[k] = p[k]! + b0 * u0 + b1 * u1 + b2 * u2 + b3 * u3;
    }
    p[i] = p[i]! + s0;
    p[i + 1] = p[i + 1]! + s1;
    p[i + 2] = p[i + 2]! + s2;
    p[i + 3] = p[i + 3]! + s3;
  }
  for (let i = end; i < d; i++) {
    const o = i * d;
    const vi = v[i]!;
    const wi = w[i]!;
    const ui = u[i]!;
    const diagonal = a[o + i]! - 2 * vi * wi;
    a[o + i] = diagonal;
    let s = diagonal * ui;
    for (let k = i + 1; k < d; k++) {
      const b = a[o + k]! - vi * w[k]! - wi * v[k]!;
      a[o + k] = b;
      s += b * u[k]!;
      p[k] = p[k]! + b * ui;
    }
    p[i] = p[i]! + s;
  }
  for (let i = start; i < d; i++) p[i] = p[i]! * tauNext;
}

/** Reflectors applied per pass over the vectors (their 16 × d doubles stay in L2 while the vectors stream by). */
const REFLECTOR_BLOCK = 16;

/**
 * Applies Q = H₀·H₁·…·H_{d−3} to `count` row vectors of length d stored row-major in `y` (in place): y_r ← Q·y_r.
 * Turns eigenvectors of T into eigenvectors of A. Cost count·d² multiply-adds. Reflectors are applied in blocks of
 * REFLECTOR_BLOCK to two vectors at a time, for cache reuse; yields every 64 vectors.
 */
export function* applyQWork(tri: Tridiagonal, y: Float64Array, count: number): Work<void> {
  const { d, reflectors, tau } = tri;
  if (y.length < count * d) throw new RangeError(`applyQ: expected ${count}×${d} values, got ${y.length}`);
  const progress: WorkProgress = { phase: 'backtransform', done: 0, total: tau.length };
  // H_j must be applied before H_{j−1}: blocks from the last reflector down, and descending within a block.
  for (let hi = tau.length - 1; hi >= 0; hi -= REFLECTOR_BLOCK) {
    const lo = Math.max(0, hi - REFLECTOR_BLOCK + 1);
    for (let r = 0; r < count; r += 2) {
      applyReflectorsToPair(reflectors, tau, d, lo, hi, y, r * d, r + 1 < count ? (r + 1) * d : -1);
      if ((r & 63) === 62) yield progress;
    }
    progress.done = tau.length - lo;
    yield progress;
  }
}

/** y ← H_lo·…·H_hi·y for the vectors at offsets yo and yo2 (yo2 = −1: just one vector). */
function applyReflectorsToPair(
  reflectors: Float64Array,
  tau: Float64Array,
  d: number,
  lo: number,
  hi: number,
  y: Float64Array,
  yo: number,
  yo2: number,
): void {
  for (let j = hi; j >= lo; j--) {
    const t = tau[j]!;
    if (t === 0) continue;
    const vo = j * d; // v = (1, reflectors[j][j+2..d−1]) on indices j+1..d−1
    if (yo2 >= 0) {
      let s = y[yo + j + 1]!;
      let s2 = y[yo2 + j + 1]!;
      for (let i = j + 2; i < d; i++) {
        const vi = reflectors[vo + i]!;
        s += vi * y[yo + i]!;
        s2 += vi * y[yo2 + i]!;
      }
      s *= t;
      s2 *= t;
      y[yo + j + 1] = y[yo + j + 1]! - s;
      y[yo2 + j + 1] = y[yo2 + j + 1]! - s2;
      for (let i = j + 2; i < d; i++) {
        const vi = reflectors[vo + i]!;
        y[yo + i] = y[yo + i]! - s * vi;
        y[yo2 + i] = y[yo2 + i]! - s2 * vi;
      }
    } else {
      let s = y[yo + j + 1]!;
      for (let i = j + 2; i < d; i++) s += reflectors[vo + i]! * y[yo + i]!;
      s *= t;
      y[yo + j + 1] = y[yo + j + 1]! - s;
      for (let i = j + 2; i < d; i++) y[yo + i] = y[yo + i]! - s * reflectors[vo + i]!;
    }
  }
}
