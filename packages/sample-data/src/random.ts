/**
 * Seeded pseudo-random numbers for the sample generator: core's `Rng` (sfc32) and its label-named streams
 * (`streamFor(seed, 'image', i)`), so that the output does not depend on the order in which parts are produced
 * (images render concurrently) and turning one part off (`images: false`) leaves the others byte-identical;
 * plus the alias table the transactions draw from.
 */
import type { Rng } from '@lookalike/core';

export { hash32, Rng, streamFor } from '@lookalike/core';

/**
 * Walker/Vose alias table: O(1) draws from a fixed discrete distribution. `rebuild` reuses the arrays, so a
 * table rebuilt every simulated day allocates nothing.
 */
export class AliasTable {
  private prob: Float64Array;
  private alias: Int32Array;
  private small: Int32Array;
  private large: Int32Array;
  private scaled: Float64Array;
  size = 0;
  total = 0;

  constructor(capacity: number) {
    const n = Math.max(1, capacity);
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    this.small = new Int32Array(n);
    this.large = new Int32Array(n);
    this.scaled = new Float64Array(n);
  }

  static of(weights: ArrayLike<number>): AliasTable {
    const table = new AliasTable(weights.length);
    table.rebuild(weights, weights.length);
    return table;
  }

  /** Uses the first `n` weights (non-negative). A table whose weights are all 0 has `total` 0 and must not be sampled. */
  rebuild(weights: ArrayLike<number>, n: number): void {
    if (n > this.prob.length) throw new Error(`AliasTable: ${n} weights exceed capacity ${this.prob.length}`);
    this.size = n;
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i] as number;
    this.total = total;
    if (n === 0 || total <= 0) return;
    const { prob, alias, small, large, scaled } = this;
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < n; i++) {
      const s = ((weights[i] as number) * n) / total;
      scaled[i] = s;
      if (s < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns] as number;
      const l = large[nl - 1] as number;
      prob[s] = scaled[s] as number;
      alias[s] = l;
      const rest = (scaled[l] as number) + (scaled[s] as number) - 1;
      scaled[l] = rest;
      if (rest < 1) {
        nl--;
        small[ns++] = l;
      }
    }
    while (nl > 0) {
      const l = large[--nl] as number;
      prob[l] = 1;
      alias[l] = l;
    }
    while (ns > 0) {
      const s = small[--ns] as number;
      prob[s] = 1;
      alias[s] = s;
    }
  }

  sample(rng: Rng): number {
    const x = rng.float() * this.size;
    const i = Math.floor(x);
    return x - i < (this.prob[i] as number) ? i : (this.alias[i] as number);
  }
}
