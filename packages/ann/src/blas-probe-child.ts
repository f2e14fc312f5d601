/**
 * Entry point of a BLAS probe child process (see `runBlasProbe`): loads FAISS, and with it OpenBLAS,
 * with the environment it was given (`OPENBLAS_CORETYPE`, `OPENBLAS_VERBOSE=2` so that OpenBLAS
 * names its core on stderr), runs the self-check and prints its result as one JSON line. A kernel
 * that crashes the process (e.g. an illegal instruction) only ends this child.
 */
import { runBlasSelfCheck } from './blas-self-check';

try {
  process.stdout.write(`${JSON.stringify(runBlasSelfCheck())}\n`);
} catch (err) {
  process.stderr.write(`blas self-check failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
}
