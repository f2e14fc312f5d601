import { fmix32 } from '@lookalike/core';
import { RecsysInputError } from './errors';
import { buildSlots } from './open-addressing';

/**
 * Interns string ids (customer ids: 64 hex characters each, 1.37M of them) to dense indices 0, 1, 2, … in
 * order of first appearance. Ids live as UTF-8 bytes in one growing pool with an Int32 offset per id, and
 * an open-addressing hash table maps bytes to index, so interning a field straight out of a CSV chunk
 * allocates nothing: 1.37M H&M customer ids take ~88 MB of pool + ~22 MB of tables, against several times
 * that for a `Map<string, number>`. The hash table is built lazily, so a decoded table that is only asked
 * for `id(i)` never builds one.
 */
export class IdTable {
  private pool: Buffer;
  private poolBytes: number;
  private offsets: Int32Array;
  private count: number;
  private slots: Int32Array | null = null;
  private mask = 0;
  /** The common byte length of every id (then id i starts at i × width, saving a memory access), or -1. */
  private width = -1;

  constructor(expectedIds = 1024, expectedBytesPerId = 16) {
    const ids = Math.max(16, Math.ceil(expectedIds));
    this.pool = Buffer.allocUnsafe(ids * Math.max(1, Math.ceil(expectedBytesPerId)));
    this.poolBytes = 0;
    this.offsets = new Int32Array(ids + 1);
    this.count = 0;
    this.buildSlots(ids);
  }

  /** A table over existing storage (as decoded from a model file): ids `i` is `pool[offsets[i], offsets[i+1])`. */
  static fromStorage(pool: Uint8Array, offsets: Int32Array, size: number): IdTable {
    if (offsets.length < size + 1 || offsets[0] !== 0 || offsets[size]! > pool.length) {
      throw new RecsysInputError('IdTable.fromStorage: offsets do not describe the pool');
    }
    const t = Object.create(IdTable.prototype) as IdTable;
    const mutable = t as unknown as {
      pool: Buffer;
      poolBytes: number;
      offsets: Int32Array;
      count: number;
      slots: null;
      mask: number;
      width: number;
    };
    mutable.pool = Buffer.from(pool.buffer, pool.byteOffset, pool.byteLength);
    mutable.poolBytes = offsets[size]!;
    mutable.offsets = offsets;
    mutable.count = size;
    mutable.slots = null;
    mutable.mask = 0;
    const width = size > 0 ? offsets[1]! - offsets[0]! : -1;
    let uniform = true;
    for (let i = 1; uniform && i <= size; i++) uniform = offsets[i]! - offsets[i - 1]! === width;
    mutable.width = uniform ? width : -1;
    return t;
  }

  get size(): number {
    return this.count;
  }

  /** The pool bytes in use and the `size + 1` offsets (views, for serialisation). */
  storage(): { pool: Uint8Array; offsets: Int32Array } {
    return { pool: this.pool.subarray(0, this.poolBytes), offsets: this.offsets.subarray(0, this.count + 1) };
  }

  /** The id at `index`. */
  id(index: number): string {
    if (!(index >= 0 && index < this.count))
      throw new RecsysInputError(`id index ${index} out of range [0, ${this.count})`);
    return this.pool.toString('utf8', this.offsets[index]!, this.offsets[index + 1]!);
  }

  /** Index of the id `bytes[start, end)`, or -1. */
  findBytes(bytes: Uint8Array, start: number, end: number): number {
    const slots = this.slots ?? this.buildSlots(this.count);
    const mask = this.mask;
    let s = hashBytes(bytes, start, end) & mask;
    for (;;) {
      const v = slots[s]!;
      if (v === 0) return -1;
      if (this.equals(v - 1, bytes, start, end)) return v - 1;
      s = (s + 1) & mask;
    }
  }

  /** Index of the id `bytes[start, end)`, adding it when new (check `size` before and after to tell). */
  internBytes(bytes: Uint8Array, start: number, end: number): number {
    let slots = this.slots ?? this.buildSlots(this.count);
    let mask = this.mask;
    const h = hashBytes(bytes, start, end);
    let s = h & mask;
    for (;;) {
      const v = slots[s]!;
      if (v === 0) break;
      if (this.equals(v - 1, bytes, start, end)) return v - 1;
      s = (s + 1) & mask;
    }
    const index = this.count;
    const len = end - start;
    if (this.poolBytes + len > this.pool.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.poolBytes + len, Math.ceil(this.pool.length * 1.5)));
      this.pool.copy(grown, 0, 0, this.poolBytes);
      this.pool = grown;
    }
    if (index + 2 > this.offsets.length) {
      const grown = new Int32Array(Math.ceil(this.offsets.length * 1.5) + 1);
      grown.set(this.offsets.subarray(0, this.count + 1));
      this.offsets = grown;
    }
    if (this.poolBytes + len > 0x7fffffff) throw new RecsysInputError('IdTable pool exceeds 2 GiB');
    const pool = this.pool;
    const at = this.poolBytes;
    for (let i = 0; i < len; i++) pool[at + i] = bytes[start + i]!;
    this.poolBytes += len;
    this.width = index === 0 ? len : this.width === len ? len : -1;
    this.count = index + 1;
    this.offsets[index + 1] = this.poolBytes;
    if ((index + 1) * 2 > mask + 1) {
      slots = this.buildSlots(index + 1);
      mask = this.mask;
    } else {
      slots[s] = index + 1;
    }
    return index;
  }

  /** Index of `id`, or -1. */
  indexOf(id: string): number {
    const b = Buffer.from(id, 'utf8');
    return this.findBytes(b, 0, b.length);
  }

  /** Index of `id`, adding it when new. */
  intern(id: string): number {
    const b = Buffer.from(id, 'utf8');
    return this.internBytes(b, 0, b.length);
  }

  private equals(index: number, bytes: Uint8Array, start: number, end: number): boolean {
    const len = end - start;
    const w = this.width;
    let a: number;
    if (w >= 0) {
      if (len !== w) return false;
      a = index * w;
    } else {
      a = this.offsets[index]!;
      if (this.offsets[index + 1]! - a !== len) return false;
    }
    const pool = this.pool;
    for (let i = 0; i < len; i++) if (pool[a + i] !== bytes[start + i]) return false;
    return true;
  }

  /** (Re)builds the hash table for at least `ids` entries at load factor ≤ 1/2, inserting the current ids. */
  private buildSlots(ids: number): Int32Array {
    const slots = buildSlots(ids, this.count, (i) =>
      hashBytes(this.pool, this.offsets[i]!, this.offsets[i + 1]!),
    );
    this.slots = slots;
    this.mask = slots.length - 1;
    return slots;
  }
}

/**
 * MurmurHash3 (x86, 32-bit) of the bytes, seed 0, reading four bytes a step: a 64-character id costs 16
 * rounds instead of 64 for a byte-wise hash (its finaliser is core's `fmix32`).
 */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0;
  let i = start;
  const whole = end - ((end - start) & 3);
  for (; i < whole; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = end - i;
  if (tail > 0) {
    let k = bytes[i]!;
    if (tail > 1) k ^= bytes[i + 1]! << 8;
    if (tail > 2) k ^= bytes[i + 2]! << 16;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  return fmix32(h ^ (end - start));
}
