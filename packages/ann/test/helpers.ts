import { l2NormalizeRows } from '../src';

// Global lookups are slow inside jest's vm sandbox: keep hot loops free of them.
const imul = Math.imul;

/** Deterministic PRNG (mulberry32) in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n random L2-normalised rows of dimension dim (Gaussian-ish components). */
export function randomUnitVectors(n: number, dim: number, seed: number): Float32Array {
  const rand = rng(seed);
  const v = new Float32Array(n * dim);
  for (let i = 0; i < v.length; i++) v[i] = rand() + rand() + rand() - 1.5;
  return l2NormalizeRows(v, dim).vectors;
}

/** Rows [start, end) of a row-major matrix's k-wide table. */
export function rowSlice<T extends Int32Array | Float32Array>(
  a: T,
  k: number,
  start: number,
  end: number,
): T {
  return a.subarray(start * k, end * k) as T;
}
