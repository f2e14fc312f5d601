// Diagnostic for benchmark (b): where an embed job's time goes, without the queue or a second
// process. One process, one Embedder; variants alternate (A B C A B C ...) so drift from other
// load on the box hits them alike:
//   A  raw:      embedder.embed(all images) in one call (images already in memory)
//   B  rounds:   embedder.embed() per round of 64 images (the embed handler's ROUND), no I/O
//   C  handler:  the real `embed` handler (services/embedder/dist/embed-shard.js) on plan shards
//                in a fresh store prefix (cold cache): reads, sha256, cache lookups + puts, shard writes
// --store fs (default) or s3 (s3rver; its CPU is added to the variant's).
//
//   pnpm --filter @lookalike/bench run embedding:breakdown [-- --images 512 --repeat 2 --store s3]
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { load, REPO_ROOT, serviceMain, specDefault } from './lib/resolve.mjs';
import { machineFacts, parseArgs, procCpuSeconds, round, startWindow, writeResult } from './lib/machine.mjs';
import { startStack } from './lib/stack.mjs';
import { ensureCorpus } from './lib/corpus.mjs';

const { Embedder } = load('@lookalike/vision');
const { embedJobSchema, forEachLimit, silentLogger } = load('@lookalike/core');
const { planShardKey, putJson } = load('@lookalike/storage');
serviceMain('embedder'); // checks that it is built
const { createEmbedShardHandler } = createRequire(import.meta.url)(
  join(REPO_ROOT, 'services', 'embedder', 'dist', 'embed-shard.js'),
);

const opts = parseArgs(process.argv.slice(2), {
  images: 512,
  seed: 7,
  shardSize: 64,
  batchSize: specDefault('batchSize', 32),
  repeat: 2,
  store: 'fs',
  corpusDir: join(tmpdir(), 'lookalike-bench-corpus'),
});

function log(msg) {
  console.log(`[embedding-breakdown ${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

async function main() {
  const machine = machineFacts();
  log(`machine: ${machine.nproc} cpus, load ${machine.loadavg.join(' ')}`);
  const corpus = await ensureCorpus(opts.corpusDir, { count: opts.images, seed: opts.seed });
  const images = [];
  for (const item of corpus.items) images.push(await readFile(item.path));
  const embedder = await Embedder.create({
    batchSize: opts.batchSize,
    backend: process.env.LOOKALIKE_BACKEND || 'auto',
  });
  log(`embedder: ${embedder.modelId} on ${embedder.backend}, batch ${opts.batchSize}`);
  // Warm the model and sharp once (not timed).
  await embedder.embed(images.slice(0, opts.batchSize));

  // Storage for the handler variants: a fresh prefix per run (cold cache), fs or s3rver.
  const stack = await startStack(opts.store, 'breakdown');
  let sourceUrl = pathToFileURL(opts.corpusDir).href;
  if (opts.store === 's3') {
    sourceUrl = 's3://bench/corpus';
    const up = stack.openStore(sourceUrl);
    await forEachLimit(corpus.items, 8, async (item) => up.put(item.key, await readFile(item.path)));
    await up.close();
  }
  const source = stack.openStore(sourceUrl);
  let runNo = 0;
  const runHandler = (name, create) => async () => {
    const store = stack.openStore(`${stack.storageUrl}/run-${++runNo}`);
    try {
      const rebuildId = `breakdown-${runNo}`;
      const shards = Math.ceil(corpus.items.length / opts.shardSize);
      for (let s = 0; s < shards; s++) {
        const items = corpus.items
          .slice(s * opts.shardSize, (s + 1) * opts.shardSize)
          .map(({ articleId, key }) => ({ articleId, key }));
        await putJson(store, planShardKey(rebuildId, s), { rebuildId, shard: s, source: sourceUrl, items });
      }
      const handler = create({ store, openSource: () => source, embedderFor: async () => embedder });
      const job = { updateProgress: async () => undefined };
      const t = performance.now();
      let cached = 0;
      for (let s = 0; s < shards; s++) {
        const r = await handler.handle(
          embedJobSchema.parse({ rebuildId, shard: s, batchSize: opts.batchSize }),
          job,
          undefined,
          silentLogger,
        );
        cached += r.cached;
      }
      const ms = performance.now() - t; // plan writes above are not timed
      if (cached !== 0) throw new Error(`cache was not cold (${cached} hits)`);
      return ms;
    } finally {
      await store.close();
    }
  };
  const variants = {
    raw: async () => {
      await embedder.embed(images);
    },
    rounds: async () => {
      for (let s = 0; s < images.length; s += 64) await embedder.embed(images.slice(s, s + 64));
    },
    handler: runHandler('handler', createEmbedShardHandler),
  };
  const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  const cpu = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  const other = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  const s3cpu = () => (stack.s3 ? (procCpuSeconds(stack.s3.pid) ?? 0) : 0);
  for (let r = 0; r < opts.repeat; r++) {
    for (const [name, fn] of Object.entries(variants)) {
      const w = startWindow();
      const s0 = s3cpu();
      const t = performance.now();
      const inner = await fn();
      const ms = typeof inner === 'number' ? inner : performance.now() - t;
      const serverCpu = s3cpu() - s0;
      const win = w.end(serverCpu);
      times[name].push(ms);
      cpu[name].push(win.driverCpuS + serverCpu);
      other[name].push(win.otherCpuS);
      log(
        `${name}: ${(ms / 1000).toFixed(2)} s, ${(opts.images / (ms / 1000)).toFixed(1)} images/s, cpu ${win.driverCpuS} s, others ${win.otherCpuS} cpu-s`,
      );
    }
  }
  const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
  const summary = Object.fromEntries(
    Object.keys(times).map((k) => [
      k,
      {
        meanMs: round(mean(times[k]), 0),
        imagesPerS: round(opts.images / (mean(times[k]) / 1000), 2),
        cpuMsPerImage: round((mean(cpu[k]) / opts.images) * 1000, 2),
        otherCpuS: round(mean(other[k]), 1),
      },
    ]),
  );
  console.log('\nvariant    images/s   vs raw   CPU ms/image   others cpu-s');
  for (const [k, v] of Object.entries(summary)) {
    console.log(
      `${k.padEnd(10)} ${String(v.imagesPerS).padStart(8)}   ${(v.imagesPerS / summary.raw.imagesPerS).toFixed(3).padStart(6)}   ${String(v.cpuMsPerImage).padStart(12)}   ${String(v.otherCpuS).padStart(12)}`,
    );
  }
  console.log(
    `rounds of 64 cost ${(summary.rounds.meanMs - summary.raw.meanMs).toFixed(0)} ms over raw; the handler's I/O, hashing and cache add ${(summary.handler.meanMs - summary.rounds.meanMs).toFixed(0)} ms more (${opts.images} images, ${opts.store} store)`,
  );
  const path = writeResult('embedding-breakdown', {
    bench: 'embedding-breakdown',
    options: opts,
    machine,
    times,
    cpu,
    other,
    summary,
    machineEnd: machineFacts(),
  });
  log(`result written to ${path}`);
  await embedder.dispose();
  await source.close();
  await stack.stop();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
