// The raw neighbour baseline under several OpenBLAS cores, side by side in one run:
//
//   pnpm --filter @lookalike/bench run neighbours:cores [-- --cores library,SkylakeX,Zen,Haswell]
//
// For each core (`library` = OPENBLAS_CORETYPE removed, so OpenBLAS detects it), the single-thread
// sgemm rate (lib/sgemm.c) and the raw all-neighbours search (src/neighbours-raw.mjs: 2 single-thread
// searches in one process, as benchmark (a)), with wall and CPU time, the machine's load, and each
// core's neighbours compared row by row with the first core's. Information for choosing a core by
// hand (LOOKALIKE_BLAS_CORETYPE=<name>); the services' automatic rule is in @lookalike/ann.
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateVectors } from './lib/clustered-vectors.mjs';
import { machineFacts, parseArgs, round, writeResult } from './lib/machine.mjs';
import { compareNeighbourTables, printKernelTable, rawTable } from './lib/neighbour-compare.mjs';
import { runRaw } from './lib/raw-neighbours.mjs';
import { allPairsFlop, measureSgemm } from './lib/sgemm.mjs';

const opts = parseArgs(process.argv.slice(2), {
  rows: 105_000,
  dim: 256,
  k: 20,
  clusters: 1000,
  seed: 42,
  threads: 2,
  cores: 'library,SkylakeX,Zen,Haswell',
  sgemmSeconds: 1.5,
});
const SCORE_EPS = 1e-5;

function log(msg) {
  console.log(`[neighbours:cores ${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

async function main() {
  const machine = machineFacts();
  log(`machine: ${machine.nproc} cpus (${machine.cpuModel}), load ${machine.loadavg.join(' ')}`);
  log(
    `machine environment OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE ?? '(unset)'} (replaced per core here)`,
  );
  const work = await mkdtemp(join(tmpdir(), 'lookalike-bench-cores-'));
  try {
    const vectors = generateVectors(opts);
    const vectorsFile = join(work, 'vectors.f32');
    await writeFile(vectorsFile, Buffer.from(vectors.buffer));
    const flop = allPairsFlop(opts.rows, opts.dim);
    const runs = [];
    for (const core of opts.cores.split(',').filter(Boolean)) {
      const env = { ...process.env };
      delete env.OPENBLAS_CORETYPE;
      if (core !== 'library') env.OPENBLAS_CORETYPE = core;
      const sgemm = measureSgemm(env, { seconds: opts.sgemmSeconds });
      log(`${core}: OpenBLAS uses ${sgemm.core}; sgemm best ${sgemm.best} / median ${sgemm.gflops} GFLOP/s`);
      const raw = await runRaw({
        vectorsFile,
        dim: opts.dim,
        k: opts.k,
        parallel: opts.threads,
        threadsPerSearch: 1,
        outFile: join(work, `raw-${runs.length}.bin`),
        env,
        blas: 'library',
      });
      log(
        `${core}: wall ${(raw.totalMs / 1000).toFixed(2)} s, cpu ${raw.cpuS.toFixed(1)} s, others used ${raw.window.otherCpuS} cpu-s, load ${raw.window.loadavgEnd.join(' ')}`,
      );
      runs.push({ core, sgemm, raw });
    }
    const first = rawTable(await readFile(runs[0].raw.file), opts.rows, opts.k);
    for (const r of runs) {
      const cmp = compareNeighbourTables(
        rawTable(await readFile(r.raw.file), opts.rows, opts.k),
        first,
        opts.rows,
        opts.k,
        SCORE_EPS,
      );
      r.agreement = { ...cmp, examples: undefined };
      log(
        `${r.core} vs ${runs[0].core}: ${(100 * cmp.exactFraction).toFixed(2)} % rows identical, ${cmp.nearTieRows} near-tie swaps, ${cmp.mismatchRows} mismatches, max |score diff| ${cmp.maxScoreDiff.toExponential(1)}`,
      );
    }
    const rows = runs.map((r) => {
      const physicalS = flop / (opts.threads * r.sgemm.best * 1e9);
      return {
        side: `OPENBLAS_CORETYPE=${r.core === 'library' ? '(unset)' : r.core}`,
        core: r.sgemm.core,
        sgemmGflops: r.sgemm.best,
        physicalS: round(physicalS, 2),
        wallS: round(r.raw.totalMs / 1000, 2),
        cpuS: round(r.raw.cpuS, 2),
        runs: 1,
        wallOverPhysical: round(r.raw.totalMs / 1000 / physicalS, 2),
      };
    });
    printKernelTable(
      `Raw ${opts.rows} x ${opts.dim} all-neighbours (k=${opts.k}, ${opts.threads} single-thread searches) by OpenBLAS core: ${(flop / 1e12).toFixed(2)} TFLOP`,
      rows,
    );
    const path = writeResult('neighbours-cores', {
      bench: 'neighbours-cores',
      options: opts,
      machine,
      machineEnd: machineFacts(),
      runs: runs.map((r) => ({ ...r, raw: { ...r.raw, file: undefined } })),
      table: rows,
    });
    log(`result written to ${path}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
