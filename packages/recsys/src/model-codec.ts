import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import { framedFormat } from '@lookalike/core';
import { ArticleIdTable } from './article-id-table';
import { RecsysFormatError, RecsysInputError } from './errors';
import { IdTable } from './id-table';
import type { PreparedModel } from './model';
import { resolveRecommendOptions } from './recommend-options';

/**
 * Binary prepared-model format, version 2: a coordinator prepares once, N recommend workers load it.
 * All integers little-endian.
 *
 *   offset  size  field
 *   0       4     magic "LKRM"
 *   4       2     version (2; 1 is read too: it is 2 without recommend options)
 *   6       2     header size in bytes (96)
 *   8       4     customers (u32)            12  4  listed customers (u32)
 *   16      4     articles (u32)             20  4  listed articles (u32)
 *   24      4     history rows (u32)         28  4  holdout pairs (u32)
 *   32      4     neighbours per article k   36  4  cold links (u32)
 *   40      4     customer-id pool bytes     44  4  first day (days since 1970-01-01)
 *   48      4     last day                   52  4  split day (first holdout day)
 *   56      4     holdout days               60  4  popularity window days
 *   64      8     cold-start share (f64)     72  8  file size in bytes (f64)
 *   80      4     recommend-options bytes (u32; the last section, UTF-8 JSON)
 *   84      12    reserved, zero
 *   96      …     sections, in the order of `layout()`, each starting at a multiple of 8 (zero padding)
 *   end-4   4     CRC-32 (zlib) of every byte before it
 *
 * (core's framed codec: magic, version, typed header fields, payload, CRC-32.)
 * Sections are the model's typed arrays verbatim, so `decodeModel` can return views into the file's
 * buffer (no copy) when it is 8-byte aligned.
 */
export const MODEL_MAGIC = 'LKRM';
export const MODEL_VERSION = 2;
const HEADER_BYTES = 96;

type Kind = 'i32' | 'u16' | 'u8' | 'f32' | 'f64';
const BYTES: Record<Kind, number> = { i32: 4, u16: 2, u8: 1, f32: 4, f64: 8 };

interface Header {
  customers: number;
  listedCustomers: number;
  articles: number;
  listedArticles: number;
  historyRows: number;
  holdoutPairs: number;
  k: number;
  coldLinks: number;
  poolBytes: number;
  firstDay: number;
  lastDay: number;
  splitDay: number;
  holdoutDays: number;
  popularityWindowDays: number;
  coldStartShare: number;
  optionsBytes: number;
}

const U32_FIELDS = [
  'customers',
  'listedCustomers',
  'articles',
  'listedArticles',
  'historyRows',
  'holdoutPairs',
  'k',
  'coldLinks',
  'poolBytes',
  'firstDay',
  'lastDay',
  'splitDay',
  'holdoutDays',
  'popularityWindowDays',
] as const;
/** Where each u32 field sits: 8, 12, 16, … in the order above. */
const U32_OFFSETS = Object.fromEntries(U32_FIELDS.map((f, i) => [f, 8 + 4 * i])) as Record<
  (typeof U32_FIELDS)[number],
  number
>;

const frame = framedFormat({
  format: 'prepared model',
  magic: MODEL_MAGIC,
  version: MODEL_VERSION,
  readVersions: [1, MODEL_VERSION],
  headerBytes: HEADER_BYTES,
  u16: { headerBytes: 6 },
  u32: { ...U32_OFFSETS, optionsBytes: 80 },
  f64: { coldStartShare: 64, fileBytes: 72 },
  error: (e) => new RecsysFormatError(e.message, { cause: e }),
});

function layout(h: Header): Array<{ name: string; kind: Kind; length: number }> {
  const nC = h.customers;
  const nA = h.articles;
  return [
    { name: 'customerOffsets', kind: 'i32', length: nC + 1 },
    { name: 'customerPool', kind: 'u8', length: h.poolBytes },
    { name: 'articleCodes', kind: 'f64', length: nA },
    { name: 'historyOffsets', kind: 'i32', length: nC + 1 },
    { name: 'historyArticles', kind: 'i32', length: h.historyRows },
    { name: 'historyDays', kind: 'u16', length: h.historyRows },
    { name: 'holdoutOffsets', kind: 'i32', length: nC + 1 },
    { name: 'holdoutArticles', kind: 'i32', length: h.holdoutPairs },
    { name: 'historySales', kind: 'i32', length: nA },
    { name: 'windowSales', kind: 'i32', length: nA },
    { name: 'boostedPopularity', kind: 'f32', length: nA },
    { name: 'popularityRanking', kind: 'i32', length: nA },
    { name: 'boostedRanking', kind: 'i32', length: nA },
    { name: 'neighbourIds', kind: 'i32', length: nA * h.k },
    { name: 'neighbourScores', kind: 'f32', length: nA * h.k },
    { name: 'coldOffsets', kind: 'i32', length: nA + 1 },
    { name: 'coldIds', kind: 'i32', length: h.coldLinks },
    { name: 'coldScores', kind: 'f32', length: h.coldLinks },
    { name: 'recommendOptions', kind: 'u8', length: h.optionsBytes },
  ];
}

const pad8 = (n: number): number => (n + 7) & ~7;

function fileBytes(h: Header): number {
  let n = frame.overheadBytes;
  for (const s of layout(h)) n += pad8(s.length * BYTES[s.kind]);
  return n;
}

function assertLittleEndian(): void {
  if (os.endianness() !== 'LE')
    throw new RecsysInputError('the model format is written and read on little-endian machines only');
}

/**
 * Serialises a prepared model as a list of buffers to write in order (the big sections are views of the
 * model's arrays, not copies). See the format above.
 */
export function encodeModelChunks(model: PreparedModel): Buffer[] {
  assertLittleEndian();
  const { pool, offsets } = model.customers.storage();
  const options = Buffer.from(JSON.stringify(model.recommendOptions), 'utf8');
  const h: Header = {
    customers: model.customers.size,
    listedCustomers: model.listedCustomers,
    articles: model.articles.size,
    listedArticles: model.listedArticles,
    historyRows: model.history.articles.length,
    holdoutPairs: model.holdout.articles.length,
    k: model.neighbours.k,
    coldLinks: model.coldLinks.ids.length,
    poolBytes: pool.length,
    firstDay: model.firstDay,
    lastDay: model.lastDay,
    splitDay: model.splitDay,
    holdoutDays: model.holdoutDays,
    popularityWindowDays: model.popularityWindowDays,
    coldStartShare: model.coldStartShare,
    optionsBytes: options.length,
  };
  const arrays: Record<string, ArrayBufferView> = {
    customerOffsets: offsets,
    customerPool: pool,
    articleCodes: model.articles.codeArray(),
    historyOffsets: model.history.offsets,
    historyArticles: model.history.articles,
    historyDays: model.history.days,
    holdoutOffsets: model.holdout.offsets,
    holdoutArticles: model.holdout.articles,
    historySales: model.stats.historySales,
    windowSales: model.stats.windowSales,
    boostedPopularity: model.stats.boostedPopularity,
    popularityRanking: model.popularityRanking,
    boostedRanking: model.boostedRanking,
    neighbourIds: model.neighbours.ids,
    neighbourScores: model.neighbours.scores,
    coldOffsets: model.coldLinks.offsets,
    coldIds: model.coldLinks.ids,
    coldScores: model.coldLinks.scores,
    recommendOptions: options,
  };
  for (const f of U32_FIELDS) {
    const v = h[f];
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
      throw new RecsysInputError(`model ${f} ${v} does not fit a u32`);
  }
  const payload: Buffer[] = [];
  for (const s of layout(h)) {
    const a = arrays[s.name]!;
    const bytes = s.length * BYTES[s.kind];
    if (a.byteLength !== bytes)
      throw new RecsysInputError(`model section ${s.name} has ${a.byteLength} bytes, expected ${bytes}`);
    payload.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    if (pad8(bytes) !== bytes) payload.push(Buffer.alloc(pad8(bytes) - bytes));
  }
  return frame.encodeChunks({ ...h, headerBytes: HEADER_BYTES, fileBytes: fileBytes(h) }, payload);
}

/** Serialises a prepared model into one buffer. */
export function encodeModel(model: PreparedModel): Buffer {
  return Buffer.concat(encodeModelChunks(model));
}

/**
 * Parses and verifies a serialised model: magic, version, sizes, CRC-32, and the structure (offsets
 * monotone and consistent, every index in range). Throws `RecsysFormatError` otherwise. When `buf` is
 * 8-byte aligned the model's arrays are views into it (keep it alive, don't modify it); otherwise copies.
 */
export function decodeModel(buf: Uint8Array): PreparedModel {
  assertLittleEndian();
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const { version, fields } = frame.decodeHeader(b);
  if (fields.headerBytes !== HEADER_BYTES) frame.fail('INCONSISTENT_HEADER', 'header size is inconsistent');
  const h: Header = { ...fields, optionsBytes: version === 1 ? 0 : fields.optionsBytes };
  const expected = fileBytes(h);
  if (fields.fileBytes !== expected) frame.fail('INCONSISTENT_HEADER', 'header is inconsistent (file size)');
  frame.verifyFrame(b, expected);

  const sections: Record<string, ArrayBufferView> = {};
  let at = HEADER_BYTES;
  for (const s of layout(h)) {
    sections[s.name] = view(b, at, s.kind, s.length);
    at += pad8(s.length * BYTES[s.kind]);
  }
  const i32 = (n: string): Int32Array => sections[n] as Int32Array;
  const f32 = (n: string): Float32Array => sections[n] as Float32Array;
  const nC = h.customers;
  const nA = h.articles;
  checkOffsets('customerOffsets', i32('customerOffsets'), h.poolBytes);
  checkOffsets('historyOffsets', i32('historyOffsets'), h.historyRows);
  checkOffsets('holdoutOffsets', i32('holdoutOffsets'), h.holdoutPairs);
  checkOffsets('coldOffsets', i32('coldOffsets'), h.coldLinks);
  checkIndices('historyArticles', i32('historyArticles'), nA, false);
  checkIndices('holdoutArticles', i32('holdoutArticles'), nA, false);
  checkIndices('popularityRanking', i32('popularityRanking'), nA, false);
  checkIndices('boostedRanking', i32('boostedRanking'), nA, false);
  checkIndices('neighbourIds', i32('neighbourIds'), nA, true);
  checkIndices('coldIds', i32('coldIds'), nA, false);
  if (
    h.listedCustomers > nC ||
    h.listedArticles > nA ||
    h.splitDay > h.lastDay + 1 ||
    h.firstDay > h.lastDay
  ) {
    throw new RecsysFormatError('model header is inconsistent (counts or days)');
  }
  let recommendOptions: PreparedModel['recommendOptions'];
  try {
    const bytes = sections.recommendOptions as Uint8Array;
    const json = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
    recommendOptions = resolveRecommendOptions(h.optionsBytes === 0 ? {} : (JSON.parse(json) as object));
  } catch (err) {
    throw new RecsysFormatError(`model recommend options are invalid: ${(err as Error).message}`, {
      cause: err,
    });
  }
  let articles: ArticleIdTable;
  let customers: IdTable;
  try {
    articles = ArticleIdTable.fromCodes(sections.articleCodes as Float64Array);
    customers = IdTable.fromStorage(sections.customerPool as Uint8Array, i32('customerOffsets'), nC);
  } catch (err) {
    throw new RecsysFormatError(`model id tables are invalid: ${(err as Error).message}`, { cause: err });
  }
  return {
    customers,
    articles,
    listedCustomers: h.listedCustomers,
    listedArticles: h.listedArticles,
    firstDay: h.firstDay,
    lastDay: h.lastDay,
    splitDay: h.splitDay,
    holdoutDays: h.holdoutDays,
    popularityWindowDays: h.popularityWindowDays,
    coldStartShare: h.coldStartShare,
    history: {
      offsets: i32('historyOffsets'),
      articles: i32('historyArticles'),
      days: sections.historyDays as Uint16Array,
    },
    holdout: { offsets: i32('holdoutOffsets'), articles: i32('holdoutArticles') },
    stats: {
      historySales: i32('historySales'),
      windowSales: i32('windowSales'),
      boostedPopularity: f32('boostedPopularity'),
    },
    popularityRanking: i32('popularityRanking'),
    boostedRanking: i32('boostedRanking'),
    neighbours: { k: h.k, ids: i32('neighbourIds'), scores: f32('neighbourScores') },
    coldLinks: { offsets: i32('coldOffsets'), ids: i32('coldIds'), scores: f32('coldScores') },
    recommendOptions,
  };
}

function view(b: Buffer, at: number, kind: Kind, length: number): ArrayBufferView {
  const bytes = length * BYTES[kind];
  let ab: ArrayBufferLike = b.buffer;
  let off = b.byteOffset + at;
  if (off % BYTES[kind] !== 0) {
    const copy = new Uint8Array(bytes);
    copy.set(b.subarray(at, at + bytes));
    ab = copy.buffer;
    off = 0;
  }
  switch (kind) {
    case 'i32':
      return new Int32Array(ab, off, length);
    case 'u16':
      return new Uint16Array(ab, off, length);
    case 'u8':
      return new Uint8Array(ab, off, length);
    case 'f32':
      return new Float32Array(ab, off, length);
    case 'f64':
      return new Float64Array(ab, off, length);
  }
}

function checkOffsets(name: string, offsets: Int32Array, total: number): void {
  let prev = 0;
  if (offsets[0] !== 0) throw new RecsysFormatError(`${name} must start at 0`);
  for (let i = 1; i < offsets.length; i++) {
    const v = offsets[i]!;
    if (v < prev) throw new RecsysFormatError(`${name} decreases at ${i}`);
    prev = v;
  }
  if (prev !== total) throw new RecsysFormatError(`${name} ends at ${prev}, expected ${total}`);
}

function checkIndices(name: string, ids: Int32Array, n: number, allowMissing: boolean): void {
  const min = allowMissing ? -1 : 0;
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    if (v < min || v >= n) throw new RecsysFormatError(`${name}[${i}] = ${v} is out of range`);
  }
}

/** Writes a model file (chunk by chunk, no full copy in memory). */
export async function writeModelFile(path: string, model: PreparedModel): Promise<number> {
  const handle = await fs.open(path, 'w');
  let bytes = 0;
  try {
    for (const chunk of encodeModelChunks(model)) {
      let off = 0;
      while (off < chunk.length) {
        const { bytesWritten } = await handle.write(chunk, off, Math.min(chunk.length - off, 1 << 26));
        off += bytesWritten;
      }
      bytes += chunk.length;
    }
  } finally {
    await handle.close();
  }
  return bytes;
}

/** Reads and decodes a model file. */
export async function readModelFile(path: string): Promise<PreparedModel> {
  return decodeModel(await fs.readFile(path));
}
