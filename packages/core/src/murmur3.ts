/**
 * murmur3's 32-bit finaliser (fmix32): mixes every input bit into every output bit. Used by the seeded
 * streams' `hash32` and by recsys's id tables (open addressing over article codes and id bytes).
 */
export function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
