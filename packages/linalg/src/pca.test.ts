import {
  absCos,
  gaussianData,
  latentData,
  maxAbsDiff,
  naiveCovariance,
  randomOrthonormalRows,
} from '../test/helpers';
import { encodePcaModel } from './codec';
import { covariance } from './covariance';
import { jacobiEigen } from './jacobi';
import { fitPca, fitPcaSync, PCA_FIT_PHASES, type PcaModel } from './pca';
import { projectRowsSync } from './project';
import { SeededRandom } from './random';

/** Covariance (divisor n − 1) of an n×k matrix. */
function covarianceOf(y: ArrayLike<number>, n: number, k: number): Float64Array {
  return naiveCovariance(y, n, k).cov;
}

function expectUnitOrthogonalRows(model: PcaModel, tol: number): void {
  const { k, dim: d, components } = model;
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += components[i * d + t]! * components[j * d + t]!;
      expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(tol);
    }
  }
}

describe('covariance', () => {
  it.each([
    [50, 13],
    [300, 64],
    [700, 9],
  ])('matches the naive two-pass computation (n=%i, d=%i)', (n, d) => {
    const x = gaussianData(n, d, new SeededRandom(n + d), (i) => 1 + i / 4);
    const ref = naiveCovariance(x, n, d);
    const got = covariance(x, n, d);
    expect(maxAbsDiff(got.mean, ref.mean)).toBeLessThan(1e-12);
    expect(maxAbsDiff(got.cov, ref.cov)).toBeLessThan(1e-11);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) expect(got.cov[i * d + j]).toBe(got.cov[j * d + i]);
  });
});

describe('fitPca', () => {
  it('recovers a known orthonormal basis and its variances', () => {
    const d = 48;
    const n = 6000;
    const rng = new SeededRandom(11);
    const basis = randomOrthonormalRows(6, d, rng);
    const variances = [100, 50, 25, 12, 6, 3];
    const noise = 0.1;
    const x = latentData(n, d, basis, variances, noise, rng);
    const { model, diagnostics } = fitPcaSync(x, n, d, 6);
    expect(model).toMatchObject({ dim: d, k: 6, sampleCount: n });
    for (let i = 0; i < 6; i++) {
      expect(absCos(model.components, i, basis, i, d)).toBeGreaterThan(0.999);
      // Sample variance of n Gaussian draws has relative sd √(2/n) ≈ 1.8 %.
      expect(Math.abs(model.explainedVariance[i]! / (variances[i]! + noise * noise) - 1)).toBeLessThan(0.06);
    }
    // Mean: offset + 0.1·i per column.
    for (let i = 0; i < d; i++) expect(model.mean[i]!).toBeCloseTo(3 + 0.1 * i, 0);
    const expectedTotal = variances.reduce((s, v) => s + v, 0) + d * noise * noise;
    expect(Math.abs(model.totalVariance / expectedTotal - 1)).toBeLessThan(0.06);
    const ratioSum = model.explainedVarianceRatio.reduce((s, v) => s + v, 0);
    expect(ratioSum).toBeGreaterThan(0.99);
    expect(ratioSum).toBeLessThan(1);
    expect(diagnostics.maxRelativeResidual).toBeLessThan(1e-12);
    expect(diagnostics.maxOrthogonalityError).toBeLessThan(1e-12);
    expect(diagnostics.unconverged).toBe(0);
  });

  it('agrees with a full Jacobi eigendecomposition of the covariance (d = 64, top 20)', () => {
    const n = 400;
    const d = 64;
    const k = 20;
    const x = gaussianData(n, d, new SeededRandom(5), (i) => 0.5 + (i % 7));
    const ref = jacobiEigen(naiveCovariance(x, n, d).cov, d);
    const { model } = fitPcaSync(x, n, d, k);
    let refTotal = 0;
    for (let i = 0; i < d; i++) refTotal += ref.values[i]!;
    expect(model.totalVariance).toBeCloseTo(refTotal, 9);
    for (let i = 0; i < k; i++) {
      expect(Math.abs(model.explainedVariance[i]! - ref.values[i]!)).toBeLessThan(1e-10 * ref.values[0]!);
      expect(absCos(model.components, i, ref.vectors, i, d)).toBeGreaterThan(1 - 1e-6); // float32 components
      expect(model.explainedVarianceRatio[i]).toBe(model.explainedVariance[i]! / model.totalVariance);
    }
    expectUnitOrthogonalRows(model, 1e-6);
  });

  it('keeps every direction when k = d, and projecting reconstructs the sample exactly', () => {
    const n = 120;
    const d = 24;
    const x = gaussianData(n, d, new SeededRandom(8), (i) => 1 + i);
    const { model } = fitPcaSync(x, n, d, d);
    expect(model.explainedVarianceRatio.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    const y = projectRowsSync(model, x, n);
    let worst = 0;
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < d; i++) {
        let v = model.mean[i]!;
        for (let j = 0; j < d; j++) v += y[r * d + j]! * model.components[j * d + i]!;
        worst = Math.max(worst, Math.abs(v - x[r * d + i]!));
      }
    }
    expect(worst).toBeLessThan(1e-4 * 24);
  });

  it('gives decorrelated projections with variances λ, and the expected reconstruction residual', () => {
    const n = 1500;
    const d = 40;
    const k = 8;
    const rng = new SeededRandom(21);
    const basis = randomOrthonormalRows(12, d, rng);
    const x = latentData(n, d, basis, [40, 30, 20, 15, 10, 8, 6, 5, 4, 3, 2, 1], 0.3, rng);
    const { model } = fitPcaSync(x, n, d, k);
    const y = projectRowsSync(model, x, n);

    const c = covarianceOf(y, n, k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        if (i === j) expect(Math.abs(c[i * k + j]! / model.explainedVariance[i]! - 1)).toBeLessThan(1e-5);
        else expect(Math.abs(c[i * k + j]!)).toBeLessThan(1e-5 * model.explainedVariance[0]!);
      }
    }
    // Projected means are 0 (the model's mean is the sample mean).
    for (let j = 0; j < k; j++) {
      let m = 0;
      for (let r = 0; r < n; r++) m += y[r * k + j]!;
      expect(Math.abs(m / n)).toBeLessThan(1e-4);
    }

    // Σ‖x − x̂‖²/(n − 1) = total variance − Σ_{i<k} λ_i (the variance in the dropped directions).
    let ss = 0;
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < d; i++) {
        let v = model.mean[i]!;
        for (let j = 0; j < k; j++) v += y[r * k + j]! * model.components[j * d + i]!;
        const e = x[r * d + i]! - v;
        ss += e * e;
      }
    }
    const kept = model.explainedVariance.reduce((s, v) => s + v, 0);
    const expected = model.totalVariance - kept;
    expect(Math.abs(ss / (n - 1) / expected - 1)).toBeLessThan(1e-3);
  });

  it('is deterministic: the same input gives a bit-identical model, sync and async alike', async () => {
    const n = 300;
    const d = 50;
    const x = gaussianData(n, d, new SeededRandom(2), (i) => 1 + (i % 5));
    const a = fitPcaSync(x, n, d, 10).model;
    const b = fitPcaSync(Float32Array.from(x), n, d, 10).model;
    const c = (await fitPca(x, n, d, 10, { yieldEvery: 0 })).model;
    expect(encodePcaModel(b).equals(encodePcaModel(a))).toBe(true);
    expect(encodePcaModel(c).equals(encodePcaModel(a))).toBe(true);
    expect(c).toEqual(a);
    const unverified = fitPcaSync(x, n, d, 10, { verify: false });
    expect(unverified.model).toEqual(a);
    expect(unverified.diagnostics.maxRelativeResidual).toBeNaN();
    expect(unverified.diagnostics.phaseMs.verify).toBeUndefined();
  });

  it('signs each component so that its largest-magnitude entry is positive', () => {
    const n = 200;
    const d = 30;
    const x = gaussianData(n, d, new SeededRandom(4), (i) => 1 + i / 3);
    const { model } = fitPcaSync(x, n, d, 12);
    for (let r = 0; r < model.k; r++) {
      let best = 0;
      for (let i = 0; i < d; i++)
        if (Math.abs(model.components[r * d + i]!) > Math.abs(best)) best = model.components[r * d + i]!;
      expect(best).toBeGreaterThan(0);
    }
    // Negating the data flips every axis; the sign convention flips them back.
    const neg = fitPcaSync(
      x.map((v) => -v),
      n,
      d,
      12,
    ).model;
    expect(maxAbsDiff(neg.components, model.components)).toBeLessThan(1e-6);
  });

  it('accepts Float64Array input, d = 1 and n = 2', () => {
    const x64 = Float64Array.from(gaussianData(50, 6, new SeededRandom(9)));
    expect(fitPcaSync(x64, 50, 6, 3).model.components.length).toBe(18);
    const one = fitPcaSync(Float32Array.from([1, 2, 4]), 3, 1, 1).model;
    expect(Array.from(one.components)).toEqual([1]);
    expect(one.explainedVariance[0]).toBeCloseTo(7 / 3, 12);
    const two = fitPcaSync(Float32Array.from([0, 0, 3, 4]), 2, 2, 1).model;
    expect(two.components[0]).toBeCloseTo(0.6, 6);
    expect(two.components[1]).toBeCloseTo(0.8, 6);
    expect(two.explainedVariance[0]).toBeCloseTo(12.5, 10);
  });

  it('handles a rank-deficient sample (n − 1 < d) and constant data', () => {
    const n = 10;
    const d = 40;
    const x = gaussianData(n, d, new SeededRandom(12));
    const { model, diagnostics } = fitPcaSync(x, n, d, 9);
    expect(model.explainedVarianceRatio.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 10);
    expect(diagnostics.maxRelativeResidual).toBeLessThan(1e-10);
    expectUnitOrthogonalRows(model, 1e-6);

    const constant = new Float32Array(5 * 4).fill(2.5);
    const flat = fitPcaSync(constant, 5, 4, 2).model;
    expect(Array.from(flat.explainedVariance)).toEqual([0, 0]);
    expect(Array.from(flat.explainedVarianceRatio)).toEqual([0, 0]);
    expect(flat.totalVariance).toBe(0);
    expectUnitOrthogonalRows(flat, 1e-15);
  });

  it('rejects bad arguments with clear errors', () => {
    const x = new Float32Array(5 * 4);
    expect(() => fitPcaSync(x, 1, 20, 1)).toThrow(/at least 2 sample rows/);
    expect(() => fitPcaSync(x, 5, 4, 0)).toThrow(/positive integer/);
    expect(() => fitPcaSync(x, 5, 4, 1.5)).toThrow(/positive integer/);
    expect(() => fitPcaSync(x, 5, 4, 5)).toThrow(/exceeds the input dimension/);
    expect(() => fitPcaSync(new Float32Array(3 * 4), 3, 4, 3)).toThrow(/exceeds n − 1/);
    expect(() => fitPcaSync(x, 5, 3, 1)).toThrow(/expected 5×3 = 15 values, got 20/);
    const bad = new Float32Array(5 * 4);
    bad[2 * 4 + 3] = NaN;
    expect(() => fitPcaSync(bad, 5, 4, 2)).toThrow(/non-finite value NaN at row 2, column 3/);
    bad[2 * 4 + 3] = Infinity;
    expect(() => fitPcaSync(bad, 5, 4, 2)).toThrow(/non-finite value Infinity at row 2, column 3/);
    return expect(fitPca(bad, 5, 4, 2)).rejects.toThrow(RangeError);
  });

  it('keeps the event loop responsive while fitting (async API)', async () => {
    const n = 3000;
    const d = 384;
    const x = gaussianData(n, d, new SeededRandom(13), (i) => 1 + i / 50);
    let ticks = 0;
    let maxGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      ticks++;
    }, 5);
    const phases: string[] = [];
    try {
      const { diagnostics } = await fitPca(x, n, d, 32, {
        yieldEvery: 20,
        onProgress: (p) => {
          if (phases[phases.length - 1] !== p.phase) phases.push(p.phase);
          expect(p.done).toBeLessThanOrEqual(p.total);
        },
      });
      expect(diagnostics.yields).toBeGreaterThan(5);
      expect(ticks).toBeGreaterThan(5);
      expect(diagnostics.maxBlockMs).toBeLessThan(500); // 20 ms asked for; generous for a loaded CI machine
      expect(Object.keys(diagnostics.phaseMs)).toEqual(
        expect.arrayContaining(['covariance', 'tridiagonalise', 'backtransform', 'verify']),
      );
    } finally {
      clearInterval(timer);
    }
    expect(maxGap).toBeLessThan(600);
    for (const p of phases) expect(PCA_FIT_PHASES).toContain(p);
    expect(phases).toContain('covariance');
  });

  it('stops at the next checkpoint when aborted', async () => {
    const n = 2000;
    const d = 256;
    const x = gaussianData(n, d, new SeededRandom(14));
    const controller = new AbortController();
    const fit = fitPca(x, n, d, 16, {
      yieldEvery: 1,
      signal: controller.signal,
      onProgress: () => controller.abort(new Error('shutting down')),
    });
    await expect(fit).rejects.toThrow('shutting down');
  });
});
