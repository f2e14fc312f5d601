// Diagnostic for benchmark (b): where an embed job's time goes, without the queue or a second
// process. One process, one Embedder; variants alternate (A B C A B C ...) so drift from other
// load on the box hits them alike:
//   A  raw:      embedder.embed(all images) in one call (images already in memory)
//   B  rounds:   embedder.embed() per round of 64 images (the embed handler's ROUND), no I/O
//   C  handler:  the real `embed` handler (services/embedder/dist/embed-shard.js) on plan shards
//                in a fresh fs store (cold cache): reads, sha256, cache lookups + puts, shard writes
//
//   pnpm --filter @lookalike/bench run embedding:breakdown [-- --images 512 --repeat 2]
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { load, REPO_ROOT, serviceMain } from './lib/resolve.mjs';
import { machineFacts, parseArgs, round, startWindow, writeResult } from './lib/machine.mjs';
import { ensureCorpus } from './lib/corpus.mjs';

const { Embedder } = load('@lookalike/vision');
const { embedJobSchema, silentLogger } = load('@lookalike/core');
const { openObjectStore, planShardKey, putJson } = load('@lookalike/storage');
serviceMain('embedder'); // checks that it is built
const { createEmbedShardHandler } = createRequire(import.meta.url)(
  join(REPO_ROOT, 'services', 'embedder', 'dist', 'embed-shard.js'),
);

const opts = parseArgs(process.argv.slice(2), {
  images: 512,
  seed: 7,
  shardSize: 64,
  batchSize: 32,
  repeat: 2,
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

  const variants = {
    raw: async () => {
      await embedder.embed(images);
    },
    rounds: async () => {
      for (let s = 0; s < images.length; s += 64) await embedder.embed(images.slice(s, s + 64));
    },
    handler: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'lookalike-bench-breakdown-'));
      const store = openObjectStore(pathToFileURL(dir).href);
      const source = openObjectStore(pathToFileURL(opts.corpusDir).href);
      try {
        const rebuildId = `breakdown-${Date.now().toString(36)}`;
        const shards = Math.ceil(corpus.items.length / opts.shardSize);
        for (let s = 0; s < shards; s++) {
          const items = corpus.items
            .slice(s * opts.shardSize, (s + 1) * opts.shardSize)
            .map(({ articleId, key }) => ({ articleId, key }));
          await putJson(store, planShardKey(rebuildId, s), {
            rebuildId,
            shard: s,
            source: source.url,
            items,
          });
        }
        const handler = createEmbedShardHandler({
          store,
          openSource: () => source,
          embedderFor: async () => embedder,
        });
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
        if (cached !== 0) throw new Error(`cache was not cold (${cached} hits)`);
        return performance.now() - t; // plan writes above are not timed
      } finally {
        await store.close();
        await source.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
  const times = { raw: [], rounds: [], handler: [] };
  const cpu = { raw: [], rounds: [], handler: [] };
  const other = { raw: [], rounds: [], handler: [] };
  for (let r = 0; r < opts.repeat; r++) {
    for (const [name, fn] of Object.entries(variants)) {
      const w = startWindow();
      const t = performance.now();
      const inner = await fn();
      const ms = typeof inner === 'number' ? inner : performance.now() - t;
      const win = w.end();
      times[name].push(ms);
      cpu[name].push(win.driverCpuS);
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
    `\nrounds of 64 cost ${(summary.rounds.meanMs - summary.raw.meanMs).toFixed(0)} ms over raw; the handler's I/O, hashing and cache add ${(summary.handler.meanMs - summary.rounds.meanMs).toFixed(0)} ms more (${opts.images} images)`,
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
  embedder.dispose();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
