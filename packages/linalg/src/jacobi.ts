// Cyclic Jacobi eigen-solver: a slow, simple reference that the tests check the fast solver against (not exported).
/** A full eigendecomposition of a symmetric matrix. */
export interface EigenDecomposition {
  /** All d eigenvalues, largest first. */
  values: Float64Array;
  /** Unit eigenvectors, row-major d×d, row i for values[i]. */
  vectors: Float64Array;
  /** Sweeps used. */
  sweeps: number;
}

/**
 * Full eigendecomposition of the symmetric d×d row-major matrix `a` by the cyclic Jacobi method (rotations applied
 * to the whole matrix, sweeps until the off-diagonal mass is below ε²·‖A‖²_F). Very accurate (eigenvectors are
 * orthonormal to rounding) but O(d³) per sweep with ~6–10 sweeps: meant for small d (≲ 300) and as the reference
 * the faster solver is tested against. `a` is not modified.
 */
export function jacobiEigen(a: Float64Array, d: number, maxSweeps = 100): EigenDecomposition {
  if (!Number.isInteger(d) || d < 1)
    throw new RangeError(`jacobiEigen: d must be a positive integer, got ${d}`);
  if (a.length !== d * d) throw new RangeError(`jacobiEigen: expected ${d}×${d} values, got ${a.length}`);
  const m = Float64Array.from(a);
  // Symmetrise (the upper triangle wins) so that small asymmetries in the input do not matter.
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) m[j * d + i] = m[i * d + j]!;
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;

  let frob = 0;
  for (let i = 0; i < d * d; i++) frob += m[i]! * m[i]!;
  const threshold = Number.EPSILON * Number.EPSILON * frob;
  let sweeps = 0;
  for (; sweeps < maxSweeps; sweeps++) {
    let offMass = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) offMass += m[p * d + q]! * m[p * d + q]!;
    if (offMass <= threshold) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q]!;
        if (apq === 0) continue;
        const app = m[p * d + p]!;
        const aqq = m[q * d + q]!;
        // Rotation angle that zeroes m[p][q]: t = tan θ, the smaller root of t² + 2τt − 1 = 0.
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < d; r++) {
          // Columns p and q.
          const mrp = m[r * d + p]!;
          const mrq = m[r * d + q]!;
          m[r * d + p] = c * mrp - s * mrq;
          m[r * d + q] = s * mrp + c * mrq;
        }
        for (let r = 0; r < d; r++) {
          // Rows p and q.
          const mpr = m[p * d + r]!;
          const mqr = m[q * d + r]!;
          m[p * d + r] = c * mpr - s * mqr;
          m[q * d + r] = s * mpr + c * mqr;
        }
        m[p * d + q] = 0;
        m[q * d + p] = 0;
        for (let r = 0; r < d; r++) {
          const vrp = v[r * d + p]!;
          const vrq = v[r * d + q]!;
          v[r * d + p] = c * vrp - s * vrq;
          v[r * d + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  if (sweeps === maxSweeps) throw new Error(`jacobiEigen: no convergence in ${maxSweeps} sweeps`);

  const order = Array.from({ length: d }, (_, i) => i).sort((x, y) => m[y * d + y]! - m[x * d + x]! || x - y);
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  order.forEach((col, i) => {
    values[i] = m[col * d + col]!;
    for (let r = 0; r < d; r++) vectors[i * d + r] = v[r * d + col]!;
  });
  return { values, vectors, sweeps };
}
