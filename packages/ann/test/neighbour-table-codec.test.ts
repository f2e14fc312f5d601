import {
  AnnFormatError,
  AnnInputError,
  decodeNeighbourTable,
  encodeNeighbourTable,
  type NeighbourTable,
} from '../src';
import { rng } from './helpers';

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
    expect(() => decodeNeighbourTable(magic)).toThrow(/not a neighbour table/);
    const version = Buffer.from(buf);
    version.writeUInt16LE(2, 4);
    expect(() => decodeNeighbourTable(version)).toThrow(/unsupported neighbour table version 2/);
    const rows = Buffer.from(buf);
    rows.writeUInt32LE(0xffffffff, 8);
    expect(() => decodeNeighbourTable(rows)).toThrow(/inconsistent/);
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
