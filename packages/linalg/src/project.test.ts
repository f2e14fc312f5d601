import { gaussianData, maxAbsDiff } from '../test/helpers';
import { fitPcaSync, type PcaModel } from './pca';
import { projectRows, projectRowsSync, whiteningFactors } from './project';
import { SeededRandom } from './random';

function naiveProject(model: PcaModel, x: ArrayLike<number>, n: number): Float64Array {
  const { dim: d, k } = model;
  const y = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += (x[r * d + i]! - model.mean[i]!) * model.components[j * d + i]!;
      y[r * k + j] = s;
    }
  }
  return y;
}

describe('projectRows', () => {
  const d = 37;
  const k = 11;
  const fitData = gaussianData(400, d, new SeededRandom(31), (i) => 1 + i / 4);
  const { model } = fitPcaSync(fitData, 400, d, k);

  it.each([1, 3, 32, 33, 250])('matches the naive (x − μ)·Wᵀ for %i rows (block edges included)', (n) => {
    const x = gaussianData(n, d, new SeededRandom(n), (i) => 1 + i / 4);
    const y = projectRowsSync(model, x, n);
    expect(y).toBeInstanceOf(Float32Array);
    expect(y.length).toBe(n * k);
    expect(maxAbsDiff(y, naiveProject(model, x, n))).toBeLessThan(1e-5);
  });

  it('L2-normalises output rows on request, leaving zero rows zero', () => {
    const n = 10;
    const x = gaussianData(n, d, new SeededRandom(2));
    x.set(model.mean, 4 * d); // row 4 is the mean: projects to exactly zero
    const y = projectRowsSync(model, x, n, { normalise: true });
    const raw = projectRowsSync(model, x, n);
    for (let r = 0; r < n; r++) {
      let ss = 0;
      let rawSs = 0;
      for (let j = 0; j < k; j++) {
        ss += y[r * k + j]! ** 2;
        rawSs += raw[r * k + j]! ** 2;
      }
      if (r === 4) expect(ss).toBe(0);
      else {
        expect(ss).toBeCloseTo(1, 6);
        for (let j = 0; j < k; j++) expect(y[r * k + j]!).toBeCloseTo(raw[r * k + j]! / Math.sqrt(rawSs), 6);
      }
    }
  });

  it('whitens: component j divided by λ_j^(p/2); the projected sample then has variance λ^(1−p) per component', () => {
    const n = 400;
    const full = projectRowsSync(model, fitData, n, { whiten: 1 });
    const half = projectRowsSync(model, fitData, n, { whiten: 0.5 });
    const plain = naiveProject(model, fitData, n);
    for (let j = 0; j < k; j++) {
      const variance = (y: ArrayLike<number>) => {
        let s = 0;
        for (let r = 0; r < n; r++) s += y[r * k + j]! ** 2;
        return s / (n - 1); // the sample is centred by the model's own mean
      };
      expect(variance(full)).toBeCloseTo(1, 4);
      expect(variance(half)).toBeCloseTo(Math.sqrt(model.explainedVariance[j]!), 3);
      expect(half[j]! * Math.pow(model.explainedVariance[j]!, 0.25)).toBeCloseTo(plain[j]!, 4);
    }
    expect(() => projectRowsSync(model, fitData, n, { whiten: 1.5 })).toThrow(/whiten must be in \[0, 1\]/);
    expect(whiteningFactors(model, 0)).toEqual(new Float64Array(k).fill(1));
  });

  it('writes into a caller-supplied array', () => {
    const x = gaussianData(5, d, new SeededRandom(3));
    const out = new Float32Array(5 * k);
    expect(projectRowsSync(model, x, 5, { out })).toBe(out);
    expect(out).toEqual(projectRowsSync(model, x, 5));
    expect(() => projectRowsSync(model, x, 5, { out: new Float32Array(3) })).toThrow(RangeError);
  });

  it('async gives the same result and yields between blocks', async () => {
    const n = 2000;
    const x = gaussianData(n, d, new SeededRandom(4));
    let progressCalls = 0;
    const y = await projectRows(model, x, n, {
      normalise: true,
      yieldEvery: 0,
      onProgress: () => progressCalls++,
    });
    expect(y).toEqual(projectRowsSync(model, x, n, { normalise: true }));
    expect(progressCalls).toBe(Math.ceil(n / 32));
  });

  it('rejects shape mismatches and non-finite input', () => {
    const x = gaussianData(4, d, new SeededRandom(5));
    expect(() => projectRowsSync(model, x, 5)).toThrow(/expected 5×37/);
    expect(() => projectRowsSync({ ...model, mean: new Float32Array(3) }, x, 4)).toThrow(
      /inconsistent model/,
    );
    x[2 * d + 7] = NaN;
    expect(() => projectRowsSync(model, x, 4)).toThrow(/non-finite value NaN at row 2, column 7/);
  });
});
