/**
 * Timing check for the PCA fit at production size (not a unit test):
 *   n = 20 000 sample rows, d = 1792 (MobileNetV2 features), k = 256.
 *
 * Run from the repository root:
 *   node_modules/.bin/tsc -p packages/linalg/bench/tsconfig.json && node packages/linalg/dist/bench/bench/pca-fit.js
 * (or `pnpm --filter @lookalike/linalg bench`). Optional arguments: n d k yieldEveryMs.
 *
 * It fits with the async API while two independent observers watch the event loop: a 10 ms interval timer
 * (largest gap between ticks) and perf_hooks.monitorEventLoopDelay (largest delay). It then projects a
 * 10 000-row shard the same way. Data: synthetic, ReLU-like (non-negative) features with a power-law spectrum.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fitPca, projectRows, SeededRandom, encodePcaModel } from '../src';

function syntheticFeatures(n: number, d: number, seed: number): Float32Array {
  // x = relu(Z·B + noise·s): 64 latent factors plus per-feature noise with power-law scales.
  const rng = new SeededRandom(seed);
  const factors = 64;
  const basis = new Float64Array(factors * d);
  for (let i = 0; i < basis.length; i++) basis[i] = rng.nextGaussian() / Math.sqrt(1 + Math.floor(i / d));
  const scale = Float64Array.from({ length: d }, (_, i) => 0.5 / Math.sqrt(1 + ((i * 7919) % d) / 8));
  const x = new Float32Array(n * d);
  const z = new Float64Array(factors);
  for (let r = 0; r < n; r++) {
    for (let f = 0; f < factors; f++) z[f] = rng.nextGaussian();
    const o = r * d;
    for (let i = 0; i < d; i++) {
      let v = 0.3 + scale[i]! * rng.nextGaussian();
      for (let f = 0; f < factors; f++) v += z[f]! * basis[f * d + i]! * 0.2;
      x[o + i] = v > 0 ? v : 0;
    }
  }
  return x;
}

async function watchEventLoop<T>(what: string, run: () => Promise<T>): Promise<T> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let last = performance.now();
  let maxGap = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    ticks++;
  }, 10);
  try {
    return await run();
  } finally {
    clearInterval(timer);
    histogram.disable();
    console.log(
      `${what}: event loop observed from outside: 10 ms timer fired ${ticks} times, max gap between ticks ` +
        `${maxGap.toFixed(1)} ms; monitorEventLoopDelay max ${(histogram.max / 1e6).toFixed(1)} ms, p99 ${(histogram.percentile(99) / 1e6).toFixed(1)} ms`,
    );
  }
}

async function main(): Promise<void> {
  const [n = 20_000, d = 1792, k = 256, yieldEvery = 100] = process.argv.slice(2).map(Number);
  console.log(`node ${process.version}; n=${n} d=${d} k=${k} yieldEvery=${yieldEvery} ms`);
  let t = performance.now();
  const x = syntheticFeatures(n, d, 42);
  console.log(`generated ${n}×${d} sample in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const phases: string[] = [];
  const cpuBefore = process.cpuUsage();
  const { model, diagnostics } = await watchEventLoop('fit', () =>
    fitPca(x, n, d, k, {
      yieldEvery,
      onProgress: (p) => {
        if (phases[phases.length - 1] !== p.phase) phases.push(p.phase);
      },
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  console.log(
    `fit: ${(diagnostics.elapsedMs / 1000).toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU (a shared machine shows wall > CPU); phases (wall / CPU s): ${Object.entries(
      diagnostics.phaseMs,
    )
      .map(
        ([p, ms]) =>
          `${p} ${(ms / 1000).toFixed(2)} / ${((diagnostics.phaseCpuMs[p] ?? 0) / 1000).toFixed(2)}`,
      )
      .join(', ')}`,
  );
  console.log(
    `fit: worst blocking stretch measured by the fit itself ${diagnostics.maxBlockMs.toFixed(1)} ms over ${diagnostics.yields} yields`,
  );
  console.log(
    `fit: max relative residual ${diagnostics.maxRelativeResidual.toExponential(2)}, orthogonality error ${diagnostics.maxOrthogonalityError.toExponential(2)}, unconverged ${diagnostics.unconverged}`,
  );
  const captured = model.explainedVarianceRatio.reduce((s, v) => s + v, 0);
  console.log(
    `fit: top-${k} components explain ${(100 * captured).toFixed(2)}% of the variance; λ1=${model.explainedVariance[0]!.toFixed(4)} λ${k}=${model.explainedVariance[k - 1]!.toFixed(6)}; model ${encodePcaModel(model).length} bytes`,
  );

  const shard = x.subarray(0, Math.min(n, 10_000) * d);
  const rows = shard.length / d;
  t = performance.now();
  const y = await watchEventLoop('project', () =>
    projectRows(model, shard, rows, { normalise: true, yieldEvery }),
  );
  console.log(
    `project: ${rows}×${d} → ${rows}×${k} (L2-normalised) in ${((performance.now() - t) / 1000).toFixed(2)} s; checksum ${y.reduce((s, v) => s + v, 0).toFixed(3)}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
