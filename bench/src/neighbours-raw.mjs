// Raw FAISS baseline for the neighbour benchmark, run as its own process so that OpenMP/OpenBLAS
// read the thread settings the parent chose:
//   node src/neighbours-raw.mjs <vectors.f32> <dim> <k> <parallel> <out.bin> [library|select]
// `select` runs the service's BLAS core selection (selectBlasCore, LOOKALIKE_BLAS_CORETYPE or auto)
// before FAISS loads, as the indexer does; `library` (default) leaves OpenBLAS to the environment.
// Builds a FlatInnerProductIndex from the vectors already in memory, then answers every row's
// top-k with `parallel` concurrent allNeighboursAsync calls over contiguous row ranges (1 call
// with OMP/BLAS threads, or N calls of one thread each on the libuv pool). Prints one JSON line.
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { load } from './lib/resolve.mjs';

const { FlatInnerProductIndex, allNeighboursAsync, selectBlasCore } = load('@lookalike/ann');

const [file, dimArg, kArg, parallelArg, out, blasMode = 'library'] = process.argv.slice(2);
const dim = Number(dimArg);
const k = Number(kArg);
const parallel = Number(parallelArg);

let blas = { mode: blasMode, coretype: process.env.OPENBLAS_CORETYPE };
if (blasMode === 'select') {
  const selection = await selectBlasCore({ setting: process.env.LOOKALIKE_BLAS_CORETYPE || 'auto' });
  blas = {
    ...blas,
    core: selection.core,
    message: selection.message,
    coretype: process.env.OPENBLAS_CORETYPE,
  };
} else if (blasMode !== 'library') {
  throw new Error(`blas mode must be library or select, got ${blasMode}`);
}

const bytes = readFileSync(file);
const vectors = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
const n = vectors.length / dim;

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const index = FlatInnerProductIndex.build(vectors, dim);
const t1 = performance.now();
const per = Math.ceil(n / parallel);
const ranges = Array.from({ length: parallel }, (_, i) => [i * per, Math.min(n, (i + 1) * per)]).filter(
  ([s, e]) => e > s,
);
const tables = await Promise.all(ranges.map(([s, e]) => allNeighboursAsync(index, s, e, k)));
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);

const ids = new Int32Array(n * k);
const scores = new Float32Array(n * k);
for (const t of tables) {
  ids.set(t.ids, t.firstRow * k);
  scores.set(t.scores, t.firstRow * k);
}
writeFileSync(out, Buffer.concat([Buffer.from(ids.buffer), Buffer.from(scores.buffer)]));
index.dispose();
process.stdout.write(
  `${JSON.stringify({
    rows: n,
    dim,
    k,
    parallel,
    env: {
      OMP_NUM_THREADS: process.env.OMP_NUM_THREADS,
      OPENBLAS_NUM_THREADS: process.env.OPENBLAS_NUM_THREADS,
      OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY,
    },
    blas,
    buildMs: t1 - t0,
    searchMs: t2 - t1,
    totalMs: t2 - t0,
    cpuS: (cpu.user + cpu.system) / 1e6,
  })}\n`,
);
