import { createHash } from 'node:crypto';
import { Rng } from '@lookalike/core';
import { VectorShardError, type VectorShardErrorCode } from './errors';
import {
  decodeVectorShard,
  encodeVectorShard,
  readVectorShardHeader,
  VECTOR_SHARD_HEADER_BYTES,
  vectorRowsByteRange,
  type VectorShard,
} from './vector-shard';

function articleIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(108775015 + i * 7).padStart(10, '0'));
}

function randomVectors(n: number, dim: number): Float32Array {
  const out = new Float32Array(n * dim);
  for (let i = 0; i < out.length; i++) out[i] = Math.random() * 2 - 1;
  return out;
}

function expectCode(fn: () => unknown, code: VectorShardErrorCode): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(VectorShardError);
  expect((error as VectorShardError).code).toBe(code);
}

// Written by the codec before it used core's framed codec (commit 71abbe1): shards in storage must still
// read, and the same rows must give the same bytes.
const OLD_SMALL_SHARD =
  'TEtWUwEAAQEDAAAAAwAAAAoAAABAAAAAAAAAAIrGX/4wMTA4Nzc1MDE1w6nwn5iAAAAAAHgAAAAAAAAAAAAAAG59jT0cmMS+kz8hv04HTD+9s2Q+1REMP7xx4D4VwKM93GDdPfGftUs=';
const OLD_EMPTY_SHARD = 'TEtWUwEAAQEAAAAAAAIAAAAAAAAgAAAAAAAAAPnGZOoc30Qh';
const OLD_SHARD_50X37_SHA256 = 'cd71549ec169be8bbdda3c0ccd559684a6c0061d7b0ad331424e14cf9b3542fe';

describe('vector shard bytes', () => {
  it('are the bytes the codec wrote before, and those bytes still decode', () => {
    const r = new Rng(21);
    const small: VectorShard = {
      ids: ['0108775015', 'é😀', 'x'],
      dim: 3,
      vectors: Float32Array.from({ length: 9 }, () => r.float() * 2 - 1),
    };
    const old = Buffer.from(OLD_SMALL_SHARD, 'base64');
    expect(encodeVectorShard(small).equals(old)).toBe(true);
    expect(decodeVectorShard(old)).toEqual(small);
    const empty: VectorShard = { ids: [], dim: 512, vectors: new Float32Array(0) };
    const oldEmpty = Buffer.from(OLD_EMPTY_SHARD, 'base64');
    expect(encodeVectorShard(empty).equals(oldEmpty)).toBe(true);
    expect(decodeVectorShard(oldEmpty)).toEqual(empty);
    const big = encodeVectorShard({
      ids: articleIds(50),
      dim: 37,
      vectors: Float32Array.from({ length: 50 * 37 }, () => r.float() * 2 - 1),
    });
    expect(big.length).toBe(7948);
    expect(createHash('sha256').update(big).digest('hex')).toBe(OLD_SHARD_50X37_SHA256);
  });
});

describe('vector shard codec', () => {
  const shard: VectorShard = { ids: articleIds(100), dim: 37, vectors: randomVectors(100, 37) };

  it('round-trips ids and float32 rows exactly', () => {
    const decoded = decodeVectorShard(encodeVectorShard(shard));
    expect(decoded.ids).toEqual(shard.ids);
    expect(decoded.dim).toBe(37);
    expect(
      Buffer.from(decoded.vectors.buffer, decoded.vectors.byteOffset, decoded.vectors.byteLength),
    ).toEqual(Buffer.from(shard.vectors.buffer));
  });

  it('round-trips zero rows, one row, odd dims and special floats', () => {
    const empty = decodeVectorShard(encodeVectorShard({ ids: [], dim: 512, vectors: new Float32Array(0) }));
    expect(empty).toEqual({ ids: [], dim: 512, vectors: new Float32Array(0) });
    for (const dim of [1, 3, 5, 127, 513]) {
      const s = { ids: articleIds(3), dim, vectors: randomVectors(3, dim) };
      const d = decodeVectorShard(encodeVectorShard(s));
      expect(Array.from(d.vectors)).toEqual(Array.from(s.vectors));
    }
    const special = Float32Array.of(NaN, Infinity, -Infinity, -0, 1e-45, 3.4028234663852886e38);
    const d = decodeVectorShard(encodeVectorShard({ ids: ['x'], dim: 6, vectors: special }));
    expect(Object.is(d.vectors[3], -0)).toBe(true);
    expect(Array.from(d.vectors)).toEqual(Array.from(special));
  });

  it('round-trips ids of different lengths and non-ASCII ids', () => {
    const ids = ['a', '0108775015', 'é-ü-😀', 'longer-id-with-many-chars'];
    const d = decodeVectorShard(encodeVectorShard({ ids, dim: 2, vectors: randomVectors(4, 2) }));
    expect(d.ids).toEqual(ids);
  });

  it('encodes a subarray view of a bigger Float32Array', () => {
    const big = randomVectors(10, 4);
    const view = big.subarray(8, 16);
    const d = decodeVectorShard(encodeVectorShard({ ids: ['p', 'q'], dim: 4, vectors: view }));
    expect(Array.from(d.vectors)).toEqual(Array.from(view));
  });

  it('returns an aligned view without copying, or a copy when asked or misaligned', () => {
    const buf = encodeVectorShard(shard);
    const view = decodeVectorShard(buf);
    expect(view.vectors.buffer).toBe(buf.buffer);
    expect(decodeVectorShard(buf, { copy: true }).vectors.buffer).not.toBe(buf.buffer);
    const shifted = Buffer.alloc(buf.length + 1);
    buf.copy(shifted, 1);
    const misaligned = decodeVectorShard(shifted.subarray(1));
    expect(Array.from(misaligned.vectors)).toEqual(Array.from(shard.vectors));
  });

  it('documents its layout in the header', () => {
    const buf = encodeVectorShard(shard);
    const header = readVectorShardHeader(buf.subarray(0, VECTOR_SHARD_HEADER_BYTES));
    expect(header).toMatchObject({
      version: 1,
      count: 100,
      dim: 37,
      idWidth: 10,
      idsOffset: 32,
      byteLength: buf.length,
    });
    expect(header.vectorsOffset % 16).toBe(0);
    expect(buf.toString('latin1', 0, 4)).toBe('LKVS');
    expect(buf.toString('utf8', 32, 42)).toBe(shard.ids[0]);
    const { start, endInclusive } = vectorRowsByteRange(header, 10, 12);
    const rows = new Float32Array(
      buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + endInclusive + 1),
    );
    expect(Array.from(rows)).toEqual(Array.from(shard.vectors.subarray(10 * 37, 12 * 37)));
    expect(() => vectorRowsByteRange(header, 5, 101)).toThrow(RangeError);
  });

  it('detects a flipped byte in the payload', () => {
    const buf = encodeVectorShard(shard);
    for (const offset of [40, buf.length - 100, buf.length - 2]) {
      const bad = Buffer.from(buf);
      bad[offset]! ^= 0x01;
      expectCode(() => decodeVectorShard(bad), 'CHECKSUM_MISMATCH');
    }
  });

  it('detects a flipped byte in the header', () => {
    const bad = Buffer.from(encodeVectorShard(shard));
    bad[9]! ^= 0x01; // count
    expectCode(() => decodeVectorShard(bad), 'HEADER_CHECKSUM_MISMATCH');
  });

  it('detects truncation', () => {
    const buf = encodeVectorShard(shard);
    expectCode(() => decodeVectorShard(buf.subarray(0, buf.length - 1)), 'TRUNCATED');
    expectCode(() => decodeVectorShard(buf.subarray(0, 1000)), 'TRUNCATED');
    expectCode(() => decodeVectorShard(buf.subarray(0, 20)), 'TRUNCATED');
    expectCode(() => decodeVectorShard(buf.subarray(0, 2)), 'TRUNCATED');
    expectCode(() => decodeVectorShard(Buffer.alloc(0)), 'TRUNCATED');
  });

  it('detects trailing bytes', () => {
    const buf = encodeVectorShard(shard);
    expectCode(() => decodeVectorShard(Buffer.concat([buf, Buffer.alloc(4)])), 'LENGTH_MISMATCH');
  });

  it('detects wrong magic and unsupported versions', () => {
    const buf = encodeVectorShard(shard);
    const magic = Buffer.from(buf);
    magic.write('NOPE', 0, 'latin1');
    expectCode(() => decodeVectorShard(magic), 'BAD_MAGIC');
    expectCode(() => decodeVectorShard(Buffer.from('{"json": true}')), 'BAD_MAGIC');
    const version = Buffer.from(buf);
    version.writeUInt16LE(2, 4);
    expectCode(() => decodeVectorShard(version), 'UNSUPPORTED_VERSION');
    expect(() => decodeVectorShard(version)).toThrow(/unsupported version 2/);
  });

  it('rejects inconsistent input when encoding', () => {
    expectCode(
      () => encodeVectorShard({ ids: ['a', 'b'], dim: 3, vectors: new Float32Array(5) }),
      'INVALID_INPUT',
    );
    expectCode(
      () => encodeVectorShard({ ids: ['a'], dim: 0, vectors: new Float32Array(0) }),
      'INVALID_INPUT',
    );
    expectCode(
      () => encodeVectorShard({ ids: ['a'], dim: 1.5, vectors: new Float32Array(1) }),
      'INVALID_INPUT',
    );
    expectCode(() => encodeVectorShard({ ids: [''], dim: 1, vectors: new Float32Array(1) }), 'INVALID_INPUT');
    expectCode(
      () => encodeVectorShard({ ids: ['a\0'], dim: 1, vectors: new Float32Array(1) }),
      'INVALID_INPUT',
    );
    expectCode(
      () =>
        encodeVectorShard({ ids: ['a'], dim: 1, vectors: new Float64Array(1) as unknown as Float32Array }),
      'INVALID_INPUT',
    );
  });

  it('encodes and decodes a realistic shard quickly', () => {
    const block = randomVectors(100, 512);
    const vectors = new Float32Array(20_000 * 512);
    for (let row = 0; row < 20_000; row += 100) vectors.set(block, row * 512); // filling 10M random floats is slow under jest
    const big = { ids: articleIds(20_000), dim: 512, vectors };
    const t0 = Date.now();
    const buf = encodeVectorShard(big);
    const decoded = decodeVectorShard(buf);
    const ms = Date.now() - t0;
    expect(decoded.ids[19_999]).toBe(big.ids[19_999]);
    expect(decoded.vectors[12345]).toBe(big.vectors[12345]);
    expect(ms).toBeLessThan(2000); // ~41 MB
  });
});
