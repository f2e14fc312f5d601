import { RecsysInputError } from './errors';

/**
 * An exact running sum of doubles (Shewchuk's non-overlapping partials, as in Python's `math.fsum`).
 * `value()` is the exact sum correctly rounded to a double, so it does not depend on the order in which
 * terms were added or on how they were split between sums that were later merged: the metric sums of
 * customer ranges computed by different workers add up to bit-for-bit the single-process figure.
 */
export class ExactSum {
  private partials: number[] = [];

  /** Adds a finite number. */
  add(value: number): void {
    if (!Number.isFinite(value)) throw new RecsysInputError(`ExactSum.add: not finite: ${value}`);
    let x = value;
    const p = this.partials;
    let i = 0;
    for (let j = 0; j < p.length; j++) {
      let y = p[j]!;
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    p.length = i;
    p.push(x);
  }

  /** Adds everything another sum holds. */
  merge(other: ExactSum): void {
    for (const v of other.partials) this.add(v);
  }

  /** The sum, correctly rounded. */
  value(): number {
    const p = this.partials;
    let n = p.length;
    if (n === 0) return 0;
    n--;
    let hi = p[n]!;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      n--;
      const y = p[n]!;
      hi = x + y;
      const yr = hi - x;
      lo = y - yr;
      if (lo !== 0) break;
    }
    // Round half-even correctly when the remaining partials push the sum across a rounding boundary.
    if (n > 0 && ((lo < 0 && p[n - 1]! < 0) || (lo > 0 && p[n - 1]! > 0))) {
      const y = lo * 2;
      const x = hi + y;
      const yr = x - hi;
      if (y === yr) hi = x;
    }
    return hi;
  }

  /** The partials (JSON-safe: finite doubles round-trip exactly through JSON). */
  toJSON(): number[] {
    return [...this.partials];
  }

  /** A sum from `toJSON()` output. */
  static fromJSON(partials: unknown): ExactSum {
    if (!Array.isArray(partials) || !partials.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new RecsysInputError('ExactSum.fromJSON expects an array of finite numbers');
    }
    const s = new ExactSum();
    for (const v of partials as number[]) s.add(v);
    return s;
  }
}
