// Benchmark (b): the embedding stage through the real `embed` queue + storage vs the raw model.
//
//   pnpm --filter @lookalike/bench run embedding [-- --images 512 --shard-size 64 --store fs ...]
//
// Raw: one process, one Embedder (wasm), every image's bytes read from disk first, then embedded in
// one call: images/s. Pipeline: the same images as a corpus folder (H&M layout), plan shards in a
// fresh store (so the embedding cache is cold), `embed` jobs on the `embed` queue of a real Redis,
// processed by ONE embedder process (node services/embedder/dist/main.js): images/s from the first
// enqueue to the last shard written. Then 2 embedder processes, for scaling. The raw run happens
// before and after the 1-worker pipeline; its baseline is their mean (the box is shared).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createHash } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { load, specDefault } from './lib/resolve.mjs';
import {
  machineFacts,
  parseArgs,
  printTable,
  procCpuSeconds,
  round,
  startWindow,
  writeResult,
} from './lib/machine.mjs';
import { ensureCorpus } from './lib/corpus.mjs';
import { startStack } from './lib/stack.mjs';
import { completedJobs, problems, startWorker } from './lib/workers.mjs';

const { jobId, JOB_NAMES, QUEUES, forEachLimit } = load('@lookalike/core');
const {
  decodeVectorShard,
  embeddingsShardKey,
  embeddingCacheKey,
  ObjectNotFoundError,
  planShardKey,
  putJson,
  encodeVectorShard,
} = load('@lookalike/storage');
const { decodeToRgb } = load('@lookalike/vision');

const opts = parseArgs(process.argv.slice(2), {
  images: 512,
  seed: 7,
  shardSize: 64,
  batchSize: specDefault('batchSize', 32),
  store: 'fs',
  scaling: true,
  repeat: 1,
  warmup: true,
  corpusDir: join(tmpdir(), 'lookalike-bench-corpus'),
  keep: false,
});
const TARGET = 0.9;
const WARM_IMAGES = 16; // extra images (not in the corpus) that load the model in each worker first

function log(msg) {
  console.log(`[embedding ${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

function runRaw(listFile, outFile) {
  return new Promise((resolve, reject) => {
    const script = fileURLToPath(new URL('./embedding-raw.mjs', import.meta.url));
    const child = spawn(process.execPath, [script, listFile, String(opts.batchSize), outFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    const window = startWindow();
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`raw embedding exited with ${code}: ${out}`));
      const res = JSON.parse(out.trim().split('\n').pop());
      resolve({ ...res, window: window.end(res.cpuS) });
    });
  });
}

async function main() {
  const machine = machineFacts();
  log(`machine: ${machine.nproc} cpus (${machine.cpuModel}), load ${machine.loadavg.join(' ')}`);
  const work = await mkdtemp(join(tmpdir(), 'lookalike-bench-emb-'));
  const result = { bench: 'embedding', startedAt: new Date().toISOString(), options: opts, machine };
  try {
    let t = performance.now();
    const corpus = await ensureCorpus(opts.corpusDir, { count: opts.images, seed: opts.seed });
    const warm = await ensureCorpus(opts.corpusDir, {
      count: WARM_IMAGES,
      seed: opts.seed + 1,
      firstId: 900_000,
    });
    log(
      `corpus: ${opts.images} images 600x900 in ${opts.corpusDir} (${corpus.generated ? 'generated' : 'reused'} in ${((performance.now() - t) / 1000).toFixed(1)} s)`,
    );
    let bytes = 0;
    for (const item of corpus.items) bytes += (await readFile(item.path)).length;
    result.corpus = {
      dir: opts.corpusDir,
      images: opts.images,
      meanKB: round(bytes / opts.images / 1024, 1),
    };
    const listFile = join(work, 'list.json');
    await writeFile(listFile, JSON.stringify(corpus.items.map((i) => i.path)));

    // raw, then (pipeline with 1 worker, raw) x repeat: every pipeline run sits between two raw runs.
    const raws = [];
    const pipes = [];
    const rawRun = async (label) => {
      const r = await runRaw(listFile, join(work, `raw-${raws.length}.f32`));
      raws.push(r);
      log(
        `raw (${label}): ${r.imagesPerS.toFixed(1)} images/s (${(r.embedMs / 1000).toFixed(1)} s, backend ${r.backend}, model load ${r.createMs.toFixed(0)} ms, cpu ${r.cpuS.toFixed(1)} s, others used ${r.window.otherCpuS} cpu-s)`,
      );
    };
    log('raw: one Embedder in its own process, all images in one call ...');
    await rawRun('1');
    for (let i = 0; i < opts.repeat; i++) {
      const p = await runPipeline(1, corpus.items, warm.items);
      pipes.push(p);
      log(
        `pipeline (1 worker, run ${i + 1}): ${p.imagesPerS.toFixed(1)} images/s (${(p.wallMs / 1000).toFixed(1)} s, cpu ${p.cpu.total} s, others used ${p.window.otherCpuS} cpu-s)`,
      );
      await rawRun(String(raws.length + 1));
    }
    let pipe2;
    if (opts.scaling) {
      pipe2 = await runPipeline(2, corpus.items, warm.items);
      log(
        `pipeline (2 workers): ${pipe2.imagesPerS.toFixed(1)} images/s aggregate (${(pipe2.wallMs / 1000).toFixed(1)} s)`,
      );
    }

    // --- correctness: same vectors as the raw model, nothing from the cache ------------------------
    const rawBytes = await readFile(join(work, 'raw-0.f32'));
    const rawVectors = new Float32Array(rawBytes.buffer, rawBytes.byteOffset, rawBytes.byteLength / 4);
    const all = [...pipes, ...(pipe2 ? [pipe2] : [])];
    const verify = {
      cachedHits: all.reduce((a, p) => a + p.cached, 0),
      failed: all.reduce((a, p) => a + p.failed, 0),
      maxAbsDiff: Math.max(...all.map((p) => maxAbsDiff(p.vectors, rawVectors))),
      maxAbsValue: rawVectors.reduce((m, v) => Math.max(m, Math.abs(v)), 0),
      idsInOrder: all.every(
        (p) =>
          p.ids.length === corpus.items.length && p.ids.every((id, i) => id === corpus.items[i].articleId),
      ),
    };
    log(
      `verify: cache hits ${verify.cachedHits} (must be 0), failures ${verify.failed}, ids in corpus order ${verify.idsInOrder}, max |pipeline - raw| ${verify.maxAbsDiff.toExponential(2)} (values up to ${verify.maxAbsValue.toFixed(2)})`,
    );

    const analysis = pipes[0].analysis;

    const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
    const rawRate = mean(raws.map((r) => r.imagesPerS));
    const pipeRate = mean(pipes.map((p) => p.imagesPerS));
    const rawCpuPerImage = (mean(raws.map((r) => r.cpuS)) / opts.images) * 1000;
    const pipeCpuPerImage = (mean(pipes.map((p) => p.cpu.total)) / opts.images) * 1000;
    const rows = [
      {
        metric: `images/s per worker, ${opts.images} images (mean of ${raws.length} raw / ${pipes.length} pipeline runs)`,
        raw: rawRate,
        pipeline: pipeRate,
        ratio: pipeRate / rawRate,
        target: `>= ${TARGET}`,
        pass: pipeRate / rawRate >= TARGET,
      },
      ...pipes.map((p, i) => ({
        metric: `  run ${i + 1}: pipeline vs mean of the raw runs around it`,
        raw: (raws[i].imagesPerS + raws[i + 1].imagesPerS) / 2,
        pipeline: p.imagesPerS,
        ratio: p.imagesPerS / ((raws[i].imagesPerS + raws[i + 1].imagesPerS) / 2),
        target: 'info',
      })),
      {
        metric: 'raw runs: slowest / fastest images/s',
        raw: Math.min(...raws.map((r) => r.imagesPerS)),
        pipeline: Math.max(...raws.map((r) => r.imagesPerS)),
        ratio: Math.max(...raws.map((r) => r.imagesPerS)) / Math.min(...raws.map((r) => r.imagesPerS)),
        target: 'noise',
      },
      {
        metric: 'CPU ms per image (raw process vs embedder + redis)',
        raw: rawCpuPerImage,
        pipeline: pipeCpuPerImage,
        ratio: pipeCpuPerImage / rawCpuPerImage,
        target: 'info',
      },
      {
        metric: "other sessions' CPU s per run",
        raw: mean(raws.map((r) => r.window.otherCpuS)),
        pipeline: mean(pipes.map((p) => p.window.otherCpuS)),
        target: 'noise',
      },
    ];
    if (pipe2) {
      rows.push({
        metric: '2 workers: images/s aggregate (vs raw x1)',
        raw: rawRate,
        pipeline: pipe2.imagesPerS,
        ratio: pipe2.imagesPerS / rawRate,
        target: 'info',
      });
      rows.push({
        metric: '2 workers: images/s per worker',
        raw: rawRate,
        pipeline: pipe2.imagesPerS / 2,
        ratio: pipe2.imagesPerS / 2 / rawRate,
        target: 'info',
      });
    }
    rows.push({
      metric: 'cold cache: images served from cache',
      raw: 0,
      pipeline: verify.cachedHits,
      target: '0',
      pass: verify.cachedHits === 0,
    });
    rows.push({
      metric: 'vectors equal raw: max |diff|',
      raw: 0,
      pipeline: verify.maxAbsDiff,
      target: '<= 1e-4',
      pass: verify.maxAbsDiff <= 1e-4 && verify.idsInOrder,
    });
    printTable(
      `Embedding stage vs raw model (${opts.store} store, shards of ${opts.shardSize}, batch ${opts.batchSize}, backend ${raws[0].backend})`,
      rows,
    );
    printBreakdown(pipes[0], pipe2, raws[0], analysis);

    Object.assign(result, {
      finishedAt: new Date().toISOString(),
      raw: { runs: raws, meanImagesPerS: rawRate },
      pipeline: { oneWorker: pipes.map(strip), twoWorkers: pipe2 && strip(pipe2), meanImagesPerS: pipeRate },
      verify,
      analysis,
      ratio: pipeRate / rawRate,
      target: TARGET,
      pass: pipeRate / rawRate >= TARGET,
      table: rows,
      machineEnd: machineFacts(),
    });
    const path = writeResult('embedding', result);
    log(`result written to ${path}`);
  } finally {
    if (!opts.keep) await rm(work, { recursive: true, force: true });
  }
}

function strip(p) {
  const { vectors: _v, ids: _i, ...rest } = p;
  return rest;
}

function maxAbsDiff(a, b) {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

async function runPipeline(workersCount, items, warmItems) {
  const stack = await startStack(opts.store, `emb${workersCount}`);
  try {
    return await runPipelineOn(stack, workersCount, items, warmItems);
  } finally {
    await stack.stop({ keep: opts.keep });
  }
}

async function runPipelineOn(stack, workersCount, items, warmItems) {
  // The corpus: the folder itself for `fs`; for `s3`, copied into the s3rver bucket (not timed).
  let source = pathToFileURL(opts.corpusDir).href;
  if (opts.store === 's3') {
    source = 's3://bench/corpus';
    const corpusStore = stack.openStore(source);
    await forEachLimit([...items, ...warmItems], 8, async (item) =>
      corpusStore.put(item.key, await readFile(item.path)),
    );
    await corpusStore.close();
  }
  const rebuildId = `bench-emb${workersCount}-${Date.now().toString(36)}`;
  const shards = Math.ceil(items.length / opts.shardSize);
  for (let s = 0; s < shards; s++) {
    const slice = items.slice(s * opts.shardSize, (s + 1) * opts.shardSize);
    await putJson(stack.store, planShardKey(rebuildId, s), {
      rebuildId,
      shard: s,
      source,
      items: slice.map(({ articleId, key }) => ({ articleId, key })),
    });
  }
  const workers = [];
  for (let i = 0; i < workersCount; i++)
    workers.push(await startWorker('embedder', `embedder-${i + 1}`, stack.env));
  log(
    `pipeline (${workersCount} worker${workersCount > 1 ? 's' : ''}): redis ${stack.redis.url}, storage ${stack.storageUrl}, ${shards} plan shards, pids ${workers.map((w) => w.pid).join(', ')}`,
  );
  const queue = stack.queue(QUEUES.embed);
  queue.setMaxListeners(0); // one 'closing' listener per job.waitUntilFinished
  const events = await stack.events(QUEUES.embed);
  try {
    // Warm-up: load the model in every worker with images that are not in the corpus. (The Embedder
    // logs 'embedder ready' with a modelId once its model is loaded; the service's own start-up line
    // has the same message without one.)
    let warmups = 0;
    if (opts.warmup) {
      const warmId = `${rebuildId}-warm`;
      const per = Math.max(1, Math.floor(warmItems.length / (workersCount * 2)));
      for (
        let round = 0;
        round < 4 && !workers.every((w) => w.logs.some((l) => l.msg === 'embedder ready' && l.modelId));
        round++
      ) {
        const jobs = [];
        for (let i = 0; i < workersCount; i++) {
          const shard = warmups++;
          const slice = warmItems.slice(
            (shard * per) % warmItems.length,
            ((shard * per) % warmItems.length) + per,
          );
          await putJson(stack.store, planShardKey(warmId, shard), {
            rebuildId: warmId,
            shard,
            source,
            items: slice.map(({ articleId, key }) => ({ articleId, key })),
          });
          jobs.push(
            await queue.add(
              JOB_NAMES.embed,
              { rebuildId: warmId, shard, batchSize: opts.batchSize },
              { jobId: jobId(warmId, 'embed', shard) },
            ),
          );
        }
        await Promise.all(jobs.map((j) => j.waitUntilFinished(events)));
      }
      const ready = workers.filter((w) => w.logs.some((l) => l.msg === 'embedder ready' && l.modelId)).length;
      log(
        `warm-up: ${warmups} jobs of ${per} other images, model loaded in ${ready}/${workersCount} workers (the raw run excludes model load too)`,
      );
    }
    const warmJobs = new Set(workers.flatMap(completedJobs).map((j) => j.jobId));

    const pids = [...workers.map((w) => w.pid), stack.redis.pid, ...(stack.s3 ? [stack.s3.pid] : [])];
    const cpu0 = pids.map((p) => procCpuSeconds(p) ?? 0);
    const window = startWindow();
    const t0 = performance.now();
    const jobs = await queue.addBulk(
      Array.from({ length: shards }, (_, shard) => ({
        name: JOB_NAMES.embed,
        data: { rebuildId, shard, batchSize: opts.batchSize },
        opts: { jobId: jobId(rebuildId, 'embed', shard) },
      })),
    );
    const results = await Promise.all(jobs.map((j) => j.waitUntilFinished(events)));
    const t1 = performance.now();
    const cpu1 = pids.map((p) => procCpuSeconds(p) ?? 0);
    const oursCpu = cpu1.reduce((a, v, i) => a + v - cpu0[i], 0);
    const win = window.end(oursCpu);

    const ids = [];
    const vectors = new Float32Array(items.length * 1792);
    let dim = 0;
    for (let s = 0; s < shards; s++) {
      const shard = decodeVectorShard(await stack.store.get(embeddingsShardKey(rebuildId, s)));
      dim = shard.dim;
      if (ids.length * dim + shard.vectors.length <= vectors.length)
        vectors.set(shard.vectors, ids.length * dim);
      ids.push(...shard.ids);
    }
    const byWorker = workers.map((w) => {
      const done = completedJobs(w).filter((j) => !warmJobs.has(j.jobId));
      return {
        worker: w.name,
        pid: w.pid,
        jobs: done.length,
        jobMs: done.map((j) => j.ms),
        busyMs: done.reduce((a, j) => a + j.ms, 0),
        warnings: problems(w).map((l) => l.msg),
      };
    });
    return {
      workers: workersCount,
      storage: opts.store,
      rebuildId,
      shards,
      wallMs: t1 - t0,
      imagesPerS: items.length / ((t1 - t0) / 1000),
      embedded: results.reduce((a, r) => a + r.embedded, 0),
      failed: results.reduce((a, r) => a + r.failed, 0),
      cached: results.reduce((a, r) => a + r.cached, 0),
      jobMs: results.map((r) => r.ms),
      byWorker,
      warmupJobs: warmups,
      cpu: {
        total: round(oursCpu, 2),
        byPid: pids.map((p, i) => ({ pid: p, cpuS: round(cpu1[i] - cpu0[i], 2) })),
      },
      window: win,
      ids,
      vectors: vectors.subarray(0, ids.length * dim),
      analysis: workersCount === 1 ? await analyseOverheads(stack, source, items) : undefined,
    };
  } finally {
    await events.close();
    await queue.close();
    await Promise.all(workers.map((w) => w.stop()));
  }
}

/**
 * The per-image work an embed job does besides the model, timed piece by piece in this process
 * against the run's own store (fs or s3rver) with another model name, so the cache is cold too
 * (ROUND = 64 images, I/O concurrency 8, as in services/embedder/src/embed-shard.ts). CPU is this
 * process's (the storage client) plus, for s3, the s3rver process's.
 */
async function analyseOverheads(stack, sourceUrl, items) {
  const round64 = items.slice(0, 64);
  const source = stack.openStore(sourceUrl);
  const store = stack.store;
  const model = 'bench-analysis-000000000000';
  const s3cpu = () => (stack.s3 ? (procCpuSeconds(stack.s3.pid) ?? 0) : 0);
  const measure = async (fn) => {
    const c0 = process.cpuUsage();
    const s0 = s3cpu();
    const t0 = performance.now();
    await fn();
    const c = process.cpuUsage(c0);
    return {
      ms: performance.now() - t0,
      cpuMs: (c.user + c.system) / 1000,
      serverCpuMs: (s3cpu() - s0) * 1000,
    };
  };
  const out = {};
  const fetched = [];
  const lookup = await measure(() =>
    forEachLimit(round64, 8, async (item, i) => {
      const bytes = await source.get(item.key);
      const hash = createHash('sha256').update(bytes).digest('hex');
      try {
        await store.get(embeddingCacheKey(model, hash));
      } catch (err) {
        if (!(err instanceof ObjectNotFoundError)) throw err;
      }
      fetched[i] = { bytes, hash };
    }),
  );
  out.readHashLookupMsPerRound = lookup.ms;
  out.readHashLookupCpuMsPerRound = lookup.cpuMs;
  out.readHashLookupServerCpuMsPerRound = lookup.serverCpuMs;
  const vector = new Float32Array(1792).fill(0.5);
  const puts = await measure(() =>
    forEachLimit(fetched, 8, async ({ hash }) =>
      store.put(embeddingCacheKey(model, hash), Buffer.from(vector.buffer)),
    ),
  );
  out.cachePutMsPerRound = puts.ms;
  out.cachePutCpuMsPerRound = puts.cpuMs;
  out.cachePutServerCpuMsPerRound = puts.serverCpuMs;
  let t = performance.now();
  for (const { bytes } of fetched.slice(0, 32)) await decodeToRgb(bytes, { width: 224, height: 224 });
  out.decodeMsPerImageSerial = (performance.now() - t) / 32;
  t = performance.now();
  await Promise.all(fetched.slice(0, 32).map(({ bytes }) => decodeToRgb(bytes, { width: 224, height: 224 })));
  out.decodeMsFirstChunkParallel = performance.now() - t;
  t = performance.now();
  const shard = encodeVectorShard({
    ids: round64.map((i) => i.articleId),
    dim: 1792,
    vectors: new Float32Array(64 * 1792),
  });
  await store.put('scratch/shard.vec', shard);
  out.shardEncodePutMs = performance.now() - t;
  if (source !== store) await source.close();
  for (const k of Object.keys(out)) out[k] = round(out[k], 1);
  return out;
}

function printBreakdown(p1, p2, raw, a) {
  const rounds = Math.ceil(opts.shardSize / 64) * p1.shards;
  console.log('Pipeline breakdown:');
  console.log(
    `  1 worker: ${p1.shards} jobs, job ms ${p1.jobMs.map((m) => m.toFixed(0)).join(', ')}; busy ${p1.byWorker[0].busyMs} of wall ${p1.wallMs.toFixed(0)} ms`,
  );
  if (p2)
    console.log(
      `  2 workers: jobs per worker ${p2.byWorker.map((w) => w.jobs).join(' / ')}, busy ms ${p2.byWorker.map((w) => w.busyMs).join(' / ')} of wall ${p2.wallMs.toFixed(0)} ms`,
    );
  console.log(
    `  raw: model load ${raw.createMs.toFixed(0)} ms (excluded on both sides: warm-up jobs), read ${opts.images} files ${raw.readMs.toFixed(0)} ms (excluded from raw)`,
  );
  console.log(
    `  per round of 64 images (${rounds} rounds), outside the model: read+sha256+cache lookup ${a.readHashLookupMsPerRound} ms, cache puts ${a.cachePutMsPerRound} ms, first chunk decode not overlapped with inference ~${a.decodeMsFirstChunkParallel} ms (serial ${a.decodeMsPerImageSerial} ms/image)`,
  );
  console.log(
    `  storage CPU per image: lookups ${(a.readHashLookupCpuMsPerRound / 64).toFixed(2)} ms client + ${(a.readHashLookupServerCpuMsPerRound / 64).toFixed(2)} ms server, cache puts ${(a.cachePutCpuMsPerRound / 64).toFixed(2)} ms client + ${(a.cachePutServerCpuMsPerRound / 64).toFixed(2)} ms server`,
  );
  console.log(`  per job: shard encode+put ${a.shardEncodePutMs} ms`);
  const io = rounds * (a.readHashLookupMsPerRound + a.cachePutMsPerRound);
  console.log(
    `  => I/O + hashing + cache outside the model, if fully serial: ~${io.toFixed(0)} ms for ${opts.images} images; pipeline run 1 - raw run 1 = ${(p1.wallMs - raw.embedMs).toFixed(0)} ms`,
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
