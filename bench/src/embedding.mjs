// Benchmark (b): the embedding stage through the real `embed` queue + storage vs the raw model, on ONNX Runtime,
// with TF.js wasm beside it.
//
//   pnpm --filter @lookalike/bench run embedding [-- --images 512 --shard-size 64 --stores fs,s3 ...]
//
// Raw: one process, one Embedder, every image's bytes read from disk first, then embedded in one call: images/s
// per thread, on TF.js wasm (once) and on ONNX Runtime CPU (one intra-op thread; before and after every 1-worker
// pipeline run, whose baseline is the mean of the two around it: the box is shared). Pipeline: the same images as
// a corpus folder (H&M layout; copied into an s3rver bucket for `s3`), plan shards in a fresh store (the embedding
// cache is cold), `embed` jobs on the `embed` queue of a real Redis, processed by ONE embedder process
// (node services/embedder/dist/main.js, LOOKALIKE_BACKEND=onnx): images/s from the first enqueue to the last
// shard written; then 2 embedder processes, for scaling. All of it in one run, for every store given.
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

const { jobId, QUEUES, forEachLimit } = load('@lookalike/core');
const {
  decodeVectorShard,
  embeddingsShardKey,
  embeddingPackKey,
  embeddingPackPrefix,
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
  stores: 'fs,s3',
  scaling: true,
  warmup: true,
  corpusDir: join(tmpdir(), 'lookalike-bench-corpus'),
  keep: false,
});
const TARGETS = { onnxVsWasm: 4, stageVsRaw: 0.9, twoVsOne: 1.8, maxLagMs: 100, cosine: 0.9999 };
const HM_IMAGES = 105_542;
/** The rebuild default, as the raw runs' Embedder uses it. */
const PADDING = specDefault('padding', 'edge');
const WARM_IMAGES = 16; // extra images (not in the corpus) that load the model in each worker first

function log(msg) {
  console.log(`[embedding ${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

function runRaw(listFile, outFile, backend, threads = 1) {
  return new Promise((resolve, reject) => {
    const script = fileURLToPath(new URL('./embedding-raw.mjs', import.meta.url));
    const child = spawn(process.execPath, [script, listFile, String(opts.batchSize), outFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, LOOKALIKE_BACKEND: backend, LOOKALIKE_THREADS: String(threads) },
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

    const stores = opts.stores.split(',').map((x) => x.trim()).filter(Boolean);
    const raws = [];
    const rawRun = async (backend, label, threads = 1) => {
      const r = await runRaw(listFile, join(work, `raw-${raws.length}.f32`), backend, threads);
      raws.push(r);
      log(
        `raw ${backend} (${label}): ${r.imagesPerS.toFixed(1)} images/s (${(r.embedMs / 1000).toFixed(1)} s, ${r.provider}, model load ${r.createMs.toFixed(0)} ms, cpu ${r.cpuS.toFixed(1)} s, others used ${r.window.otherCpuS} cpu-s)`,
      );
      return r;
    };
    log('raw: one Embedder in its own process, all images in one call ...');
    const wasm = await rawRun('wasm', 'TF.js wasm');
    const onnxRaws = [await rawRun('onnx', 'before')];
    const twoThreads = await rawRun('onnx', '2 intra-op threads', 2);
    const byStore = [];
    for (const store of stores) {
      const one = await runPipeline(store, 1, corpus.items, warm.items);
      log(
        `pipeline ${store} (1 worker): ${one.imagesPerS.toFixed(1)} images/s (${(one.wallMs / 1000).toFixed(1)} s, cpu ${one.cpu.total} s, max event-loop delay ${one.maxLagMs} ms, others used ${one.window.otherCpuS} cpu-s)`,
      );
      const before = onnxRaws.at(-1);
      const after = await rawRun('onnx', `after ${store} 1 worker`);
      onnxRaws.push(after);
      let two;
      if (opts.scaling) {
        two = await runPipeline(store, 2, corpus.items, warm.items);
        log(
          `pipeline ${store} (2 workers): ${two.imagesPerS.toFixed(1)} images/s aggregate (${(two.wallMs / 1000).toFixed(1)} s, max event-loop delay ${two.maxLagMs} ms)`,
        );
      }
      byStore.push({ store, one, two, rawAround: (before.imagesPerS + after.imagesPerS) / 2 });
    }

    // --- correctness: pipeline = raw ONNX; ONNX ≈ wasm; nothing from the cache -----------------------
    const f32 = async (i) => {
      const bytes = await readFile(join(work, `raw-${i}.f32`));
      return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    };
    const wasmVectors = await f32(raws.indexOf(wasm));
    const onnxVectors = await f32(raws.indexOf(onnxRaws[0]));
    const all = byStore.flatMap((b) => [b.one, ...(b.two ? [b.two] : [])]);
    const verify = {
      cachedHits: all.reduce((a, p) => a + p.cached, 0),
      failed: all.reduce((a, p) => a + p.failed, 0),
      maxAbsDiff: Math.max(...all.map((p) => maxAbsDiff(p.vectors, onnxVectors))),
      minCosineOnnxWasm: minRowCosine(onnxVectors, wasmVectors, 1792),
      maxLagMs: Math.max(...all.map((p) => p.maxLagMs)),
      idsInOrder: all.every(
        (p) => p.ids.length === corpus.items.length && p.ids.every((id, i) => id === corpus.items[i].articleId),
      ),
    };
    log(
      `verify: cache hits ${verify.cachedHits} (must be 0), failures ${verify.failed}, ids in corpus order ${verify.idsInOrder}, max |pipeline - raw onnx| ${verify.maxAbsDiff.toExponential(2)}, min cosine onnx/wasm ${verify.minCosineOnnxWasm.toFixed(6)}`,
    );

    const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
    const onnxRate = mean(onnxRaws.map((r) => r.imagesPerS));
    const rows = [
      {
        metric: `raw images/s per thread: ONNX Runtime CPU (mean of ${onnxRaws.length}) vs TF.js wasm`,
        raw: wasm.imagesPerS,
        pipeline: onnxRate,
        ratio: onnxRate / wasm.imagesPerS,
        target: `>= ${TARGETS.onnxVsWasm}`,
        pass: onnxRate / wasm.imagesPerS >= TARGETS.onnxVsWasm,
      },
      {
        metric: 'raw ONNX images/s per core: 2 intra-op threads vs 1 (LOOKALIKE_THREADS default)',
        raw: onnxRaws[0].imagesPerS,
        pipeline: twoThreads.imagesPerS / 2,
        ratio: twoThreads.imagesPerS / 2 / onnxRaws[0].imagesPerS,
        target: 'info',
      },
      {
        metric: 'raw ONNX runs: slowest / fastest images/s',
        raw: Math.min(...onnxRaws.map((r) => r.imagesPerS)),
        pipeline: Math.max(...onnxRaws.map((r) => r.imagesPerS)),
        ratio: Math.max(...onnxRaws.map((r) => r.imagesPerS)) / Math.min(...onnxRaws.map((r) => r.imagesPerS)),
        target: 'noise',
      },
    ];
    for (const b of byStore) {
      rows.push({
        metric: `${b.store}: stage, 1 embedder vs raw ONNX around it (images/s)`,
        raw: b.rawAround,
        pipeline: b.one.imagesPerS,
        ratio: b.one.imagesPerS / b.rawAround,
        target: `>= ${TARGETS.stageVsRaw}`,
        pass: b.one.imagesPerS / b.rawAround >= TARGETS.stageVsRaw,
      });
      if (b.two)
        rows.push({
          metric: `${b.store}: stage, 2 embedders vs 1 (images/s aggregate)`,
          raw: b.one.imagesPerS,
          pipeline: b.two.imagesPerS,
          ratio: b.two.imagesPerS / b.one.imagesPerS,
          target: `>= ${TARGETS.twoVsOne}`,
          pass: b.two.imagesPerS / b.one.imagesPerS >= TARGETS.twoVsOne,
        });
      rows.push({
        metric: `${b.store}: CPU ms per image (raw ONNX process vs embedder(s) + redis + store)`,
        raw: (mean(onnxRaws.map((r) => r.cpuS)) / opts.images) * 1000,
        pipeline: (b.one.cpu.total / opts.images) * 1000,
        ratio: b.one.cpu.total / mean(onnxRaws.map((r) => r.cpuS)),
        target: 'info',
      });
      rows.push({
        metric: `${b.store}: worst event-loop delay of an embedder during a shard (ms)`,
        raw: 0,
        pipeline: Math.max(b.one.maxLagMs, b.two?.maxLagMs ?? 0),
        target: `< ${TARGETS.maxLagMs}`,
        pass: Math.max(b.one.maxLagMs, b.two?.maxLagMs ?? 0) < TARGETS.maxLagMs,
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
      metric: 'stage vectors equal raw ONNX: max |diff|',
      raw: 0,
      pipeline: verify.maxAbsDiff,
      target: '<= 1e-4',
      pass: verify.maxAbsDiff <= 1e-4 && verify.idsInOrder,
    });
    rows.push({
      metric: 'ONNX vs wasm vectors: min cosine over images',
      raw: 1,
      pipeline: verify.minCosineOnnxWasm,
      target: `>= ${TARGETS.cosine}`,
      pass: verify.minCosineOnnxWasm >= TARGETS.cosine,
    });
    printTable(
      `Embedding: ONNX Runtime stage vs raw ONNX and TF.js wasm (${opts.images} images, shards of ${opts.shardSize}, batch ${opts.batchSize}, ${stores.join(' + ')})`,
      rows,
    );
    const best2 = Math.max(...byStore.map((b) => b.two?.imagesPerS ?? b.one.imagesPerS));
    const projection = {
      images: HM_IMAGES,
      twoEmbedders: { imagesPerS: best2, minutes: HM_IMAGES / best2 / 60 },
      wasmTwoProcesses: { imagesPerS: 2 * wasm.imagesPerS, minutes: HM_IMAGES / (2 * wasm.imagesPerS) / 60 },
    };
    console.log(
      `Projection for ${HM_IMAGES} H&M images on this 2-core box: ${projection.twoEmbedders.minutes.toFixed(1)} min with 2 ONNX embedders (${best2.toFixed(1)} images/s), vs ${projection.wasmTwoProcesses.minutes.toFixed(1)} min for 2 wasm processes at the raw wasm rate`,
    );
    for (const b of byStore) printBreakdown(b.one, b.two, onnxRaws[0], b.one.analysis, b.store);

    Object.assign(result, {
      finishedAt: new Date().toISOString(),
      raw: { wasm, onnx: onnxRaws, onnxTwoThreads: twoThreads, meanOnnxImagesPerS: onnxRate },
      pipeline: byStore.map((b) => ({ store: b.store, oneWorker: strip(b.one), twoWorkers: b.two && strip(b.two), rawAround: b.rawAround })),
      verify,
      projection,
      targets: TARGETS,
      pass: rows.every((r) => r.pass !== false),
      table: rows,
      machineEnd: machineFacts(),
    });
    const path = writeResult('embedding', result);
    log(`result written to ${path}`);
  } finally {
    if (!opts.keep) await rm(work, { recursive: true, force: true });
  }
}

function minRowCosine(a, b, dim) {
  let min = Infinity;
  for (let r = 0; r * dim < Math.min(a.length, b.length); r++) {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = r * dim; i < (r + 1) * dim; i++) {
      ab += a[i] * b[i];
      aa += a[i] * a[i];
      bb += b[i] * b[i];
    }
    min = Math.min(min, ab / Math.sqrt(aa * bb));
  }
  return min;
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

async function runPipeline(storeKind, workersCount, items, warmItems) {
  const stack = await startStack(storeKind, `emb${workersCount}`);
  try {
    return await runPipelineOn(stack, storeKind, workersCount, items, warmItems);
  } finally {
    await stack.stop({ keep: opts.keep });
  }
}

async function runPipelineOn(stack, storeKind, workersCount, items, warmItems) {
  // The corpus: the folder itself for `fs`; for `s3`, copied into the s3rver bucket (not timed).
  let source = pathToFileURL(opts.corpusDir).href;
  if (storeKind === 's3') {
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
    workers.push(
      await startWorker('embedder', `embedder-${i + 1}`, { ...stack.env, LOOKALIKE_BACKEND: 'onnx', LOOKALIKE_THREADS: '1' }),
    );
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
              'embed',
              { rebuildId: warmId, shard, batchSize: opts.batchSize, padding: PADDING },
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
        name: 'embed',
        data: { rebuildId, shard, batchSize: opts.batchSize, padding: PADDING },
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
      storage: storeKind,
      maxLagMs: Math.max(...results.map((r) => r.maxEventLoopDelayMs ?? 0)),
      provider: results[0]?.provider,
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
 * The work an embed job does besides the model, timed piece by piece in this process against the run's own store
 * (fs or s3rver) with another model name, so the cache is cold too (ROUND = 64 images, I/O concurrency 8, as in
 * packages/embedding/src/embed-shard.ts): reading + hashing a round, the one pack listing and the one pack write of a
 * job. CPU is this process's (the storage client) plus, for s3, the s3rver process's.
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
    return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, serverCpuMs: (s3cpu() - s0) * 1000 };
  };
  const out = {};
  const fetched = [];
  const read = await measure(() =>
    forEachLimit(round64, 8, async (item, i) => {
      const bytes = await source.get(item.key);
      fetched[i] = { bytes, hash: createHash('sha256').update(bytes).digest('hex') };
    }),
  );
  out.readHashMsPerRound = read.ms;
  out.readHashCpuMsPerRound = read.cpuMs;
  out.readHashServerCpuMsPerRound = read.serverCpuMs;
  const listing = await measure(async () => {
    for await (const _ of store.list(embeddingPackPrefix(model))) void _;
  });
  out.packListMsPerJob = listing.ms;
  const pack = await measure(() =>
    store.put(
      embeddingPackKey(model, round64[0].articleId, round64.at(-1).articleId),
      encodeVectorShard({ ids: fetched.map((f) => f.hash), dim: 1792, vectors: new Float32Array(64 * 1792) }),
    ),
  );
  out.packPutMsPerJob = pack.ms;
  let t = performance.now();
  for (const { bytes } of fetched.slice(0, 32)) await decodeToRgb(bytes, { width: 224, height: 224 });
  out.decodeMsPerImageSerial = (performance.now() - t) / 32;
  t = performance.now();
  await Promise.all(fetched.slice(0, 32).map(({ bytes }) => decodeToRgb(bytes, { width: 224, height: 224 })));
  out.decodeMsFirstChunkParallel = performance.now() - t;
  if (source !== store) await source.close();
  for (const k of Object.keys(out)) out[k] = round(out[k], 1);
  return out;
}

function printBreakdown(p1, p2, raw, a, store) {
  const rounds = Math.ceil(opts.shardSize / 64) * p1.shards;
  console.log(`Pipeline breakdown (${store}):`);
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
  if (!a) return;
  console.log(
    `  per round of 64 images (${rounds} rounds): read + sha256 ${a.readHashMsPerRound} ms (overlapped with the previous round's inference), first chunk decode ~${a.decodeMsFirstChunkParallel} ms (serial ${a.decodeMsPerImageSerial} ms/image)`,
  );
  console.log(
    `  storage CPU per image: reads ${(a.readHashCpuMsPerRound / 64).toFixed(2)} ms client + ${(a.readHashServerCpuMsPerRound / 64).toFixed(2)} ms server; per job: pack listing ${a.packListMsPerJob} ms, pack write ${a.packPutMsPerJob} ms`,
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
