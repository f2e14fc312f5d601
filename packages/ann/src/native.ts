import type * as FaissNode from 'faiss-node';
import { AnnError, AnnInputError } from './errors';

/** The patched faiss-node module (see patches/faiss-node@0.5.1.patch at the repository root). */
export type FaissModule = typeof FaissNode;
/** A native faiss-node index object. */
export type NativeIndex = FaissNode.Index;

let loaded: FaissModule | undefined;

/**
 * Loads the native faiss-node addon on first use, so that importing this package (for the
 * neighbour-table codec, say) does not need the addon.
 *
 * Before the addon (and with it libgomp) is loaded, `OMP_WAIT_POLICY` defaults to `PASSIVE`
 * unless it is already set: FAISS's OpenMP threads otherwise spin against OpenBLAS's threads
 * (measured 2.7 s -> 2.0 s for a 20k x 256 all-neighbours search on 2 cores).
 */
export function loadFaiss(): FaissModule {
  if (loaded) return loaded;
  if (process.env.OMP_WAIT_POLICY === undefined) process.env.OMP_WAIT_POLICY = 'PASSIVE';
  let mod: FaissModule;
  try {
    mod = require('faiss-node') as FaissModule;
  } catch (err) {
    throw new AnnError(
      'cannot load the faiss-node native addon; it is built at `pnpm install` from the system FAISS ' +
        '(apt-get install libfaiss-dev libopenblas-dev build-essential, then pnpm install)',
      { cause: err },
    );
  }
  if (mod.typedArrays !== true) {
    throw new AnnError(
      'faiss-node is not the patched build (no typed-array support); check patchedDependencies in pnpm-workspace.yaml',
    );
  }
  loaded = mod;
  return mod;
}

/**
 * Sets the OpenMP and OpenBLAS thread counts FAISS uses in this process (n >= 1). Async searches
 * apply it on the libuv thread that runs them. `OMP_NUM_THREADS`/`OPENBLAS_NUM_THREADS` set the
 * initial values.
 */
export function setFaissThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1)
    throw new AnnInputError(`thread count must be a positive integer, got ${n}`);
  loadFaiss().setNumThreads(n);
}

/** OpenMP's current maximum thread count. */
export function getFaissThreads(): number {
  return loadFaiss().getNumThreads();
}
