// Seeded pseudo-random numbers for the benchmark corpora: core's mulberry32 as uniforms in [0, 1), and its
// Box-Muller draws (the same seed gives the same data as before they moved to core).
import { mulberry32 as mulberry32Uint32, normalDraws } from '@lookalike/core';

/** Uniform draws in [0, 1) from a 32-bit seed. */
export function mulberry32(seed) {
  const next = mulberry32Uint32(seed);
  return () => next() / 4294967296;
}

/** Standard normal draws from a uniform source. */
export const gaussian = normalDraws;

/** H&M-style article id: 10 characters with a leading zero, e.g. 0100000042. */
export function articleId(i) {
  return `0${String(100_000_000 + i)}`;
}
