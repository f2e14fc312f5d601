// Runs the raw FAISS baseline (src/neighbours-raw.mjs) in a fresh process, so that OpenMP and
// OpenBLAS read the thread and kernel settings of the side being measured.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startWindow } from './machine.mjs';

const SCRIPT = fileURLToPath(new URL('../neighbours-raw.mjs', import.meta.url));

/**
 * `parallel` concurrent searches of `threadsPerSearch` OpenMP/OpenBLAS threads each over the
 * vectors in `vectorsFile`, writing ids + scores to `outFile`. `env` is the side's whole
 * environment; `blas` is `library` (OpenBLAS as `env` leaves it) or `select` (the process runs
 * selectBlasCore with LOOKALIKE_BLAS_CORETYPE=`setting` before FAISS loads, as an indexer does).
 * Resolves with the process's JSON report plus the machine window (load, others' CPU).
 */
export function runRaw({
  vectorsFile,
  dim,
  k,
  parallel,
  threadsPerSearch,
  outFile,
  env: base,
  blas,
  setting = 'auto',
}) {
  return new Promise((resolve, reject) => {
    const env = {
      ...base,
      OMP_NUM_THREADS: String(threadsPerSearch),
      OPENBLAS_NUM_THREADS: String(threadsPerSearch),
      OMP_WAIT_POLICY: 'PASSIVE',
      LOOKALIKE_BLAS_CORETYPE: setting,
    };
    const child = spawn(
      process.execPath,
      [SCRIPT, vectorsFile, String(dim), String(k), String(parallel), outFile, blas],
      { env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    const window = startWindow();
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`raw neighbours exited with ${code}: ${out}`));
      const res = JSON.parse(out.trim().split('\n').pop());
      resolve({
        ...res,
        window: window.end(res.cpuS),
        file: outFile,
        label:
          parallel > 1
            ? `${parallel} searches x ${threadsPerSearch} thread`
            : `1 search x ${threadsPerSearch} threads`,
      });
    });
  });
}
