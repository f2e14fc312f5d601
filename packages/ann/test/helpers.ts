import { Rng } from '@lookalike/core';
import { l2NormalizeRows } from '../src';

/** Deterministic uniform numbers in [0, 1): core's seeded `Rng`. */
export function rng(seed: number): () => number {
  const random = new Rng(seed);
  return () => random.float();
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
