/**
 * Wall time and peak memory of sample generation (not a unit test). Default: the competition's sizes, CSVs only.
 *
 * Run from the repository root:
 *   node_modules/.bin/tsc -p packages/sample-data/bench/tsconfig.json && \
 *     node packages/sample-data/dist/bench/bench/generate.js [outDir] [scale] [--images]
 * (or `pnpm --filter @lookalike/sample-data bench`). `scale` multiplies H&M's sizes (0.1: a 10% run).
 */
import { performance } from 'node:perf_hooks';
import { generateSample, HM_SIZE } from '../src';

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const outDir = args[0] ?? '.lookalike/sample-full';
  const scale = Number(args[1] ?? '1');
  const images = process.argv.includes('--images');
  const size = {
    articles: Math.round(HM_SIZE.articles * scale),
    customers: Math.round(HM_SIZE.customers * scale),
    transactions: Math.round(HM_SIZE.transactions * scale),
  };
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  let lastPhase = '';
  const summary = await generateSample({
    outDir,
    ...size,
    images,
    overwrite: true,
    onProgress: (p) => {
      if (p.phase !== lastPhase || p.done === p.total) {
        process.stderr.write(
          `${((performance.now() - started) / 1000).toFixed(1)}s ${p.phase} ${p.done}/${p.total}\n`,
        );
        lastPhase = p.phase;
      }
    },
  });
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const cpu = process.cpuUsage(cpu0);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`sizes: ${JSON.stringify(size)} images: ${images}`);
  console.log(
    `wall ${s(summary.timingsMs.total)} (articles ${s(summary.timingsMs.articles)}, customers ${s(summary.timingsMs.customers)}, transactions ${s(summary.timingsMs.transactions)}, images ${s(summary.timingsMs.images)}); CPU ${s((cpu.user + cpu.system) / 1000)}; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
  );
  console.log(
    `files: ${summary.files.map((f) => `${f.path} ${(f.bytes / 2 ** 20).toFixed(1)} MiB`).join(', ')}`,
  );
  console.log(
    `last week: ${JSON.stringify(summary.lastWeek)}; repeat purchases ${summary.counts.repeatPurchases}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
