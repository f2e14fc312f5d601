import {
  AnnFormatError,
  AnnInputError,
  decodeNeighbourTable,
  encodeNeighbourTable,
  type NeighbourTable,
} from '../src';
import { createHash } from 'node:crypto';
import { Rng } from '@lookalike/core';
import { rng } from './helpers';

function randomTable(rows: number, k: number, firstRow: number, seed: number): NeighbourTable {
  const r = new Rng(seed);
  const ids = Int32Array.from({ length: rows * k }, () => Math.floor(r.float() * 100_000) - 1);
  const scores = Float32Array.from({ length: rows * k }, () => r.float() * 2 - 1);
  return { rows, k, firstRow, ids, scores };
}

// Written by the codec before it used core's framed codec (commit 71abbe1): cached parts must still read, and
// the same table must give the same bytes.
const OLD_SMALL_TABLE =
  'TEtOVAEAIAACAAAAAwAAAAcAAAAwAAAAAAAAAAAAAABZ9wAAu+MAAI0EAAAfigAAm4IBAEQ6AQCxGUM/x3guvyj8Vj+nFJ49HQ2rvVb9v76Og9Oo';
const OLD_TABLE_100X21_SHA256 = '2be59ac67b03d423fc41ee70622f899085a5f1b691ec21d9a5a282cc9a1c4ff6';

describe('neighbour table bytes', () => {
  it('are the bytes the codec wrote before, and those bytes still decode', () => {
    const old = Buffer.from(OLD_SMALL_TABLE, 'base64');
    const small = randomTable(2, 3, 7, 31);
    expect(encodeNeighbourTable(small).equals(old)).toBe(true);
    expect(decodeNeighbourTable(old)).toEqual(small);
    const big = encodeNeighbourTable(randomTable(100, 21, 52_500, 32));
    expect(big.length).toBe(16836);
    expect(createHash('sha256').update(big).digest('hex')).toBe(OLD_TABLE_100X21_SHA256);
  });
});

function sampleTable(rows: number, k: number, firstRow = 0): NeighbourTable {
  const rand = rng(rows * 31 + k);
  const ids = new Int32Array(rows * k);
  const scores = new Float32Array(rows * k);
  for (let i = 0; i < ids.length; i++) {
    ids[i] = Math.floor(rand() * 100_000);
    scores[i] = rand() * 2 - 1;
  }
  return { firstRow, rows, k, ids, scores };
}

describe('neighbour table codec', () => {
  it('round-trips exactly', () => {
    const table = sampleTable(1000, 21, 52_500);
    const buf = encodeNeighbourTable(table);
    expect(buf.length).toBe(32 + 1000 * 21 * 8 + 4);
    expect(buf.subarray(0, 4).toString('latin1')).toBe('LKNT');
    const back = decodeNeighbourTable(buf);
    expect(back.firstRow).toBe(52_500);
    expect(back.rows).toBe(1000);
    expect(back.k).toBe(21);
    expect(Array.from(back.ids)).toEqual(Array.from(table.ids));
    expect(Array.from(back.scores)).toEqual(Array.from(table.scores));
  });

  it('round-trips an empty table and subarray inputs, and decodes from an unaligned view', () => {
    const empty = decodeNeighbourTable(
      encodeNeighbourTable({
        firstRow: 7,
        rows: 0,
        k: 5,
        ids: new Int32Array(0),
        scores: new Float32Array(0),
      }),
    );
    expect(empty).toMatchObject({ firstRow: 7, rows: 0, k: 5 });
    const big = sampleTable(10, 3);
    const sub: NeighbourTable = {
      firstRow: 2,
      rows: 4,
      k: 3,
      ids: big.ids.subarray(6, 18),
      scores: big.scores.subarray(6, 18),
    };
    const enc = encodeNeighbourTable(sub);
    const shifted = new Uint8Array(enc.length + 1);
    shifted.set(enc, 1);
    const back = decodeNeighbourTable(shifted.subarray(1));
    expect(Array.from(back.ids)).toEqual(Array.from(sub.ids));
    expect(Array.from(back.scores)).toEqual(Array.from(sub.scores));
  });

  it('detects corruption anywhere', () => {
    const buf = encodeNeighbourTable(sampleTable(50, 4));
    // a single flipped bit in every byte position is caught
    for (let at = 0; at < buf.length; at += 7) {
      const bad = Buffer.from(buf);
      bad[at]! ^= 0x10;
      expect(() => decodeNeighbourTable(bad)).toThrow(AnnFormatError);
    }
    const flipped = Buffer.from(buf);
    flipped[100]! ^= 1;
    expect(() => decodeNeighbourTable(flipped)).toThrow(/checksum mismatch/);
    expect(() => decodeNeighbourTable(buf.subarray(0, buf.length - 1))).toThrow(/truncated/);
    expect(() => decodeNeighbourTable(buf.subarray(0, 10))).toThrow(/truncated/);
    expect(() => decodeNeighbourTable(Buffer.concat([buf, Buffer.alloc(4)]))).toThrow(/trailing bytes/);
    const magic = Buffer.from(buf);
    magic.write('XXXX', 0, 'latin1');
    expect(() => decodeNeighbourTable(magic)).toThrow(/neighbour table: bad magic "XXXX"/);
    const version = Buffer.from(buf);
    version.writeUInt16LE(2, 4);
    expect(() => decodeNeighbourTable(version)).toThrow(/neighbour table: unsupported version 2/);
    const rows = Buffer.from(buf);
    rows.writeUInt32LE(0xffffffff, 8);
    expect(() => decodeNeighbourTable(rows)).toThrow(/inconsistent/);
    // The framed codec's error, with its code, is the cause.
    for (const [bytes, code] of [
      [magic, 'BAD_MAGIC'],
      [version, 'UNSUPPORTED_VERSION'],
      [rows, 'INCONSISTENT_HEADER'],
      [flipped, 'CHECKSUM_MISMATCH'],
      [buf.subarray(0, 10), 'TRUNCATED'],
      [Buffer.concat([buf, Buffer.alloc(4)]), 'TRAILING_BYTES'],
    ] as const) {
      expect(() => decodeNeighbourTable(bytes)).toThrow(
        expect.objectContaining({
          name: 'AnnFormatError',
          cause: expect.objectContaining({ name: 'FramedFormatError', code }) as unknown,
        }) as unknown as Error,
      );
    }
  });

  it('validates tables before encoding', () => {
    const t = sampleTable(3, 2);
    expect(() => encodeNeighbourTable({ ...t, k: 3 })).toThrow(AnnInputError);
    expect(() => encodeNeighbourTable({ ...t, firstRow: -1 })).toThrow(/firstRow/);
    expect(() => encodeNeighbourTable({ ...t, ids: new Float32Array(6) as unknown as Int32Array })).toThrow(
      /Int32Array/,
    );
  });
});
