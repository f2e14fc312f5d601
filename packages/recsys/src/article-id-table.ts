import { fmix32 } from '@lookalike/core';
import { RecsysInputError } from './errors';
import { buildSlots } from './open-addressing';

/** H&M article ids are 10 digits with a leading zero (`0108775015`); files sometimes drop the zero. */
export const ARTICLE_ID_DIGITS = 10;

/**
 * Parses an article id of 1–10 ASCII digits at `bytes[start, end)` into its numeric code, or -1 when the
 * field is not that. `108775015` and `0108775015` give the same code.
 */
export function parseArticleCode(bytes: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len < 1 || len > ARTICLE_ID_DIGITS) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = bytes[i]! - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** The canonical 10-character id of a numeric code (`108775015` → `"0108775015"`). */
export function formatArticleId(code: number): string {
  return String(code).padStart(ARTICLE_ID_DIGITS, '0');
}

/** The canonical form of an article id given as text; throws `RecsysInputError` if it is not 1–10 digits. */
export function normaliseArticleId(id: string): string {
  return formatArticleId(articleCodeOf(id));
}

/** The numeric code of an article id given as text; throws `RecsysInputError` if it is not 1–10 digits. */
export function articleCodeOf(id: string): number {
  const b = Buffer.from(id, 'latin1');
  const code = id.length === b.length ? parseArticleCode(b, 0, b.length) : -1;
  if (code < 0) throw new RecsysInputError(`not an article id (1-10 digits): ${JSON.stringify(id)}`);
  return code;
}

/**
 * Interns article ids (as numeric codes) to dense indices 0, 1, 2, … in order of first appearance, with an
 * open-addressing hash table over the codes. `id(i)` is the canonical 10-character form.
 */
export class ArticleIdTable {
  private codes: Float64Array;
  private count = 0;
  private slots!: Int32Array;
  private mask = 0;
  private strings: (string | undefined)[] = [];

  constructor(expectedIds = 1024) {
    this.codes = new Float64Array(Math.max(16, Math.ceil(expectedIds)));
    this.buildSlots(this.codes.length);
  }

  /** A table over decoded codes (copied). */
  static fromCodes(codes: ArrayLike<number>): ArticleIdTable {
    const t = new ArticleIdTable(codes.length);
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i]!;
      if (!Number.isInteger(c) || c < 0 || c >= 10 ** ARTICLE_ID_DIGITS)
        throw new RecsysInputError(`invalid article code ${c}`);
      if (t.intern(c) !== i) throw new RecsysInputError(`duplicate article code ${c}`);
    }
    return t;
  }

  get size(): number {
    return this.count;
  }

  /** The codes in index order (a view). */
  codeArray(): Float64Array {
    return this.codes.subarray(0, this.count);
  }

  code(index: number): number {
    if (!(index >= 0 && index < this.count))
      throw new RecsysInputError(`article index ${index} out of range [0, ${this.count})`);
    return this.codes[index]!;
  }

  /** Canonical 10-character id of the article at `index` (cached). */
  id(index: number): string {
    const cached = this.strings[index];
    if (cached !== undefined) return cached;
    const s = formatArticleId(this.code(index));
    this.strings[index] = s;
    return s;
  }

  /** Index of the article with numeric `code`, or -1. */
  find(code: number): number {
    const mask = this.mask;
    let s = hashCode(code) & mask;
    for (;;) {
      const v = this.slots[s]!;
      if (v === 0) return -1;
      if (this.codes[v - 1] === code) return v - 1;
      s = (s + 1) & mask;
    }
  }

  /** Index of the article with numeric `code`, adding it when new. */
  intern(code: number): number {
    const mask = this.mask;
    let s = hashCode(code) & mask;
    for (;;) {
      const v = this.slots[s]!;
      if (v === 0) break;
      if (this.codes[v - 1] === code) return v - 1;
      s = (s + 1) & mask;
    }
    const index = this.count;
    if (index === this.codes.length) {
      const grown = new Float64Array(Math.ceil(this.codes.length * 1.5));
      grown.set(this.codes);
      this.codes = grown;
    }
    this.codes[index] = code;
    this.count = index + 1;
    if (this.count * 2 > mask + 1) this.buildSlots(this.count);
    else this.slots[s] = index + 1;
    return index;
  }

  /** Index of an article id given as text (any of its accepted forms), or -1. */
  indexOf(id: string): number {
    const b = Buffer.from(id, 'latin1');
    const code = id.length === b.length ? parseArticleCode(b, 0, b.length) : -1;
    return code < 0 ? -1 : this.find(code);
  }

  private buildSlots(ids: number): void {
    this.slots = buildSlots(ids, this.count, (i) => hashCode(this.codes[i]!));
    this.mask = this.slots.length - 1;
  }
}

/** An article code (< 2^53) hashed: its two 32-bit halves folded, then murmur3's finaliser. */
function hashCode(code: number): number {
  return fmix32((code >>> 0) ^ Math.imul(Math.floor(code / 4294967296), 0x9e3779b1));
}
