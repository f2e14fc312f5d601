import { SeededRandom } from '../src/random';

/** m orthonormal rows of length d (Gram–Schmidt, twice, on Gaussian vectors). */
export function randomOrthonormalRows(m: number, d: number, rng: SeededRandom): Float64Array {
  const q = new Float64Array(m * d);
  for (let r = 0; r < m; r++) {
    const o = r * d;
    for (let i = 0; i < d; i++) q[o + i] = rng.nextGaussian();
    for (let pass = 0; pass < 2; pass++) {
      for (let s = 0; s < r; s++) {
        let dp = 0;
        for (let i = 0; i < d; i++) dp += q[o + i]! * q[s * d + i]!;
        for (let i = 0; i < d; i++) q[o + i] = q[o + i]! - dp * q[s * d + i]!;
      }
    }
    let nn = 0;
    for (let i = 0; i < d; i++) nn += q[o + i]! * q[o + i]!;
    const inv = 1 / Math.sqrt(nn);
    for (let i = 0; i < d; i++) q[o + i] = q[o + i]! * inv;
  }
  return q;
}

/**
 * n rows: offset + Σ_j √variances[j]·z_j·basis_j + noise·ε, with z, ε standard normal. The sample covariance then
 * has eigenvalues ≈ variances[j] + noise² along basis_j and ≈ noise² elsewhere.
 */
export function latentData(
  n: number,
  d: number,
  basis: Float64Array,
  variances: number[],
  noise: number,
  rng: SeededRandom,
  offset = 3,
): Float32Array {
  const x = new Float32Array(n * d);
  const row = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) row[i] = offset + 0.1 * i + noise * rng.nextGaussian();
    variances.forEach((v, j) => {
      const z = Math.sqrt(v) * rng.nextGaussian();
      for (let i = 0; i < d; i++) row[i] = row[i]! + z * basis[j * d + i]!;
    });
    for (let i = 0; i < d; i++) x[r * d + i] = row[i]!;
  }
  return x;
}

/** Gaussian n×d data with independent columns of the given standard deviations. */
export function gaussianData(
  n: number,
  d: number,
  rng: SeededRandom,
  scale: (column: number) => number = () => 1,
): Float32Array {
  const x = new Float32Array(n * d);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) x[r * d + i] = 1 + scale(i) * rng.nextGaussian();
  return x;
}

/** Straightforward two-pass double-precision sample covariance (the reference for the blocked one). */
export function naiveCovariance(
  x: ArrayLike<number>,
  n: number,
  d: number,
): { mean: Float64Array; cov: Float64Array } {
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) mean[i] = mean[i]! + x[r * d + i]!;
  for (let i = 0; i < d; i++) mean[i] = mean[i]! / n;
  const cov = new Float64Array(d * d);
  const c = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) c[i] = x[r * d + i]! - mean[i]!;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j] = cov[i * d + j]! + c[i]! * c[j]!;
  }
  for (let i = 0; i < d * d; i++) cov[i] = cov[i]! / (n - 1);
  return { mean, cov };
}

/** |cos| between row a of `x` and row b of `y` (both length d). */
export function absCos(x: ArrayLike<number>, a: number, y: ArrayLike<number>, b: number, d: number): number {
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (let i = 0; i < d; i++) {
    const u = x[a * d + i]!;
    const v = y[b * d + i]!;
    xy += u * v;
    xx += u * u;
    yy += v * v;
  }
  return Math.abs(xy) / Math.sqrt(xx * yy);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
