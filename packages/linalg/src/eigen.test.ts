import { absCos, randomOrthonormalRows } from '../test/helpers';
import { jacobiEigen } from './jacobi';
import { SeededRandom } from './random';
import { symmetricTopEigen } from './symmetric-eigen';
import { tridiagonalTopEigenWork } from './tridiagonal-eigen';
import { runToCompletion } from './cooperative';

function randomSymmetric(d: number, rng: SeededRandom): Float64Array {
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = rng.nextGaussian();
      a[i * d + j] = v;
      a[j * d + i] = v;
    }
  }
  return a;
}

/** Q·diag(values)·Qᵀ for orthonormal rows Q. */
function withSpectrum(q: Float64Array, values: number[], d: number): Float64Array {
  const a = new Float64Array(d * d);
  values.forEach((lambda, r) => {
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) a[i * d + j] = a[i * d + j]! + lambda * q[r * d + i]! * q[r * d + j]!;
  });
  return a;
}

/** max_i ‖A·v_i − λ_i·v_i‖ and max |VVᵀ − I| for k rows. */
function check(
  a: Float64Array,
  d: number,
  values: Float64Array,
  vectors: Float64Array,
  k: number,
): { residual: number; orthogonality: number } {
  let residual = 0;
  let orthogonality = 0;
  for (let r = 0; r < k; r++) {
    let ss = 0;
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += a[i * d + j]! * vectors[r * d + j]!;
      const e = s - values[r]! * vectors[r * d + i]!;
      ss += e * e;
    }
    residual = Math.max(residual, Math.sqrt(ss));
    for (let q = r; q < k; q++) {
      let dp = 0;
      for (let i = 0; i < d; i++) dp += vectors[r * d + i]! * vectors[q * d + i]!;
      orthogonality = Math.max(orthogonality, Math.abs(dp - (q === r ? 1 : 0)));
    }
  }
  return { residual, orthogonality };
}

describe('jacobiEigen', () => {
  it('solves a known 3×3 matrix', () => {
    const a = Float64Array.from([2, 1, 0, 1, 2, 1, 0, 1, 2]);
    const { values, vectors } = jacobiEigen(a, 3);
    expect(values[0]).toBeCloseTo(2 + Math.SQRT2, 14);
    expect(values[1]).toBeCloseTo(2, 14);
    expect(values[2]).toBeCloseTo(2 - Math.SQRT2, 14);
    const expected = [
      Float64Array.from([0.5, Math.SQRT1_2, 0.5]),
      Float64Array.from([Math.SQRT1_2, 0, -Math.SQRT1_2]),
      Float64Array.from([0.5, -Math.SQRT1_2, 0.5]),
    ];
    expected.forEach((e, r) => expect(absCos(vectors, r, e, 0, 3)).toBeCloseTo(1, 14));
  });

  it('decomposes a random symmetric matrix to rounding', () => {
    const d = 40;
    const a = randomSymmetric(d, new SeededRandom(1));
    const { values, vectors } = jacobiEigen(a, d);
    for (let i = 1; i < d; i++) expect(values[i]!).toBeLessThanOrEqual(values[i - 1]!);
    const { residual, orthogonality } = check(a, d, values, vectors, d);
    expect(residual).toBeLessThan(1e-12);
    expect(orthogonality).toBeLessThan(1e-13);
  });
});

describe('symmetricTopEigen (Householder + bisection + inverse iteration)', () => {
  it.each([1, 2, 3, 5, 17, 64])(
    'agrees with Jacobi on a random symmetric matrix of size %i, all eigenpairs',
    (d) => {
      const a = randomSymmetric(d, new SeededRandom(d));
      const before = Float64Array.from(a);
      const ref = jacobiEigen(a, d);
      const got = symmetricTopEigen(a, d, d);
      expect(a).toEqual(before); // the sync wrapper decomposes a copy
      for (let i = 0; i < d; i++) expect(got.values[i]!).toBeCloseTo(ref.values[i]!, 11);
      for (let i = 0; i < d; i++)
        expect(absCos(got.vectors, i, ref.vectors, i, d)).toBeGreaterThan(1 - 1e-10);
      const { residual, orthogonality } = check(a, d, got.values, got.vectors, d);
      expect(residual).toBeLessThan(1e-11);
      expect(orthogonality).toBeLessThan(1e-12);
      expect(got.unconverged).toBe(0);
    },
  );

  it('returns only the top k, matching the full decomposition', () => {
    const d = 64;
    const a = randomSymmetric(d, new SeededRandom(7));
    const ref = jacobiEigen(a, d);
    const got = symmetricTopEigen(a, d, 10);
    expect(got.values.length).toBe(10);
    expect(got.vectors.length).toBe(10 * d);
    for (let i = 0; i < 10; i++) {
      expect(got.values[i]!).toBeCloseTo(ref.values[i]!, 11);
      expect(absCos(got.vectors, i, ref.vectors, i, d)).toBeGreaterThan(1 - 1e-10);
    }
  });

  it('recovers a known spectrum with repeated eigenvalues (an orthonormal basis for each eigenspace)', () => {
    const d = 30;
    const q = randomOrthonormalRows(d, d, new SeededRandom(3));
    const spectrum = [9, 9, 9, 5, 4, 4, ...Array.from({ length: d - 6 }, () => 1)];
    const a = withSpectrum(q, spectrum, d);
    const got = symmetricTopEigen(a, d, d);
    spectrum.forEach((v, i) => expect(got.values[i]!).toBeCloseTo(v, 12));
    const { residual, orthogonality } = check(a, d, got.values, got.vectors, d);
    expect(residual).toBeLessThan(1e-12);
    expect(orthogonality).toBeLessThan(1e-12);
    // The single eigenvalue 5 has a unique axis.
    expect(absCos(got.vectors, 3, q, 3, d)).toBeGreaterThan(1 - 1e-12);
  });

  it('handles diagonal and block-diagonal matrices (the tridiagonal form splits)', () => {
    const d = 8;
    const diagOnly = new Float64Array(d * d);
    [3, 1, 4, 1, 5, 9, 2, 6].forEach((v, i) => (diagOnly[i * d + i] = v));
    const got = symmetricTopEigen(diagOnly, d, 4);
    expect(Array.from(got.values)).toEqual([9, 6, 5, 4]);
    expect(Math.abs(got.vectors[0 * d + 5]!)).toBe(1);
    expect(Math.abs(got.vectors[1 * d + 7]!)).toBe(1);

    const zero = symmetricTopEigen(new Float64Array(d * d), d, d);
    expect(Array.from(zero.values)).toEqual(new Array(d).fill(0));
    expect(check(new Float64Array(d * d), d, zero.values, zero.vectors, d).orthogonality).toBe(0);
  });

  it('works directly on a tridiagonal matrix with a tight cluster', () => {
    // Wilkinson's W21+: pairs of eigenvalues agreeing to many digits.
    const m = 21;
    const diag = Float64Array.from({ length: m }, (_, i) => Math.abs(10 - i));
    const off = new Float64Array(m - 1).fill(1);
    const { values, vectors, unconverged, maxResidual } = runToCompletion(
      tridiagonalTopEigenWork(diag, off, m),
    );
    expect(unconverged).toBe(0);
    expect(maxResidual).toBeLessThan(1e-13);
    expect(values[0]).toBeCloseTo(10.746194182903393, 12);
    expect(values[1]).toBeCloseTo(10.746194182903322, 12);
    const t = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      t[i * m + i] = diag[i]!;
      if (i < m - 1) t[i * m + i + 1] = t[(i + 1) * m + i] = 1;
    }
    expect(check(t, m, values, vectors, m).orthogonality).toBeLessThan(1e-12);
  });

  it.each([
    [
      'a near-multiple of the identity (one huge cluster)',
      Array.from({ length: 80 }, (_, i) => 2 + 1e-13 * i),
    ],
    ['rank one plus identity', [50, ...Array.from({ length: 79 }, () => 1)]],
    [
      'pairs equal to 1e-14',
      Array.from({ length: 80 }, (_, i) => 10 - Math.floor(i / 2) * 0.1 + (i % 2) * 1e-13),
    ],
    [
      'a wide dynamic range and exact zeros',
      Array.from({ length: 80 }, (_, i) => (i < 30 ? 1e6 / (i + 1) : 0)),
    ],
    ['geometric decay over 12 decades', Array.from({ length: 80 }, (_, i) => 10 ** ((-12 * i) / 79))],
  ])('stays accurate and orthogonal for %s', (_name, spectrum) => {
    const d = spectrum.length;
    const a = withSpectrum(randomOrthonormalRows(d, d, new SeededRandom(d)), spectrum, d);
    const got = symmetricTopEigen(a, d, d);
    expect(got.unconverged).toBe(0);
    const { residual, orthogonality } = check(a, d, got.values, got.vectors, d);
    expect(residual).toBeLessThan(1e-12 * Math.max(...spectrum));
    expect(orthogonality).toBeLessThan(1e-12);
  });

  it('rejects bad arguments', () => {
    expect(() => symmetricTopEigen(new Float64Array(4), 2, 0)).toThrow(RangeError);
    expect(() => symmetricTopEigen(new Float64Array(4), 2, 3)).toThrow(RangeError);
    expect(() => symmetricTopEigen(new Float64Array(5), 2, 1)).toThrow(RangeError);
  });
});
