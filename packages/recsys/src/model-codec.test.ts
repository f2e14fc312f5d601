import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomData } from '../test/helpers';
import { decodeModel, encodeModel, readModelFile, writeModelFile } from './model-codec';
import { prepareModel } from './prepare';
import { recommendRange } from './recommend-range';
import * as zlib from 'node:zlib';
import { RecsysFormatError } from './errors';
import { DEFAULT_RECOMMEND_OPTIONS } from './recommend-options';

describe('model codec', () => {
  const { dataset, neighbours } = randomData(9);
  const { model } = prepareModel(dataset, neighbours);

  it('round-trips: a decoded model recommends and evaluates identically', async () => {
    const bytes = encodeModel(model);
    const decoded = decodeModel(bytes);
    expect(decoded.customers.size).toBe(model.customers.size);
    expect(decoded.customers.id(7)).toBe(model.customers.id(7));
    expect(decoded.customers.indexOf(model.customers.id(9))).toBe(9);
    expect(decoded.articles.id(3)).toBe(model.articles.id(3));
    const { customers: _c, articles: _a, ...rest } = decoded;
    const { customers: _c2, articles: _a2, ...expected } = model;
    expect(rest).toEqual(expected);
    expect(recommendRange(decoded, 0, decoded.customers.size)).toEqual(
      recommendRange(model, 0, model.customers.size),
    );

    // Unaligned buffer: decoded from copies.
    const shifted = Buffer.alloc(bytes.length + 1);
    bytes.copy(shifted, 1);
    expect(decodeModel(shifted.subarray(1)).history.articles).toEqual(model.history.articles);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recsys-'));
    const file = path.join(dir, 'model.bin');
    try {
      expect(await writeModelFile(file, model)).toBe(bytes.length);
      expect(fs.readFileSync(file).equals(bytes)).toBe(true);
      expect((await readModelFile(file)).boostedRanking).toEqual(model.boostedRanking);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('detects corruption, truncation and foreign data', () => {
    const bytes = encodeModel(model);
    const flipped = Buffer.from(bytes);
    flipped[200] = flipped[200]! ^ 1;
    expect(() => decodeModel(flipped)).toThrow(/checksum mismatch/);
    expect(() => decodeModel(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
    expect(() => decodeModel(Buffer.concat([bytes, Buffer.alloc(1)]))).toThrow(/trailing bytes/);
    expect(() => decodeModel(Buffer.from('LKNT' + ' '.repeat(200)))).toThrow(RecsysFormatError);
    const version = Buffer.from(bytes);
    version.writeUInt16LE(3, 4);
    expect(() => decodeModel(version)).toThrow('unsupported model version 3');
  });

  it('records the recommend options; a version-1 file (no options) reads with the defaults', () => {
    const { model: tuned } = prepareModel(dataset, neighbours, { recommend: { visualWeight: 0.7 } });
    expect(decodeModel(encodeModel(tuned)).recommendOptions).toEqual({
      ...DEFAULT_RECOMMEND_OPTIONS,
      visualWeight: 0.7,
    });
    // Version 1 is version 2 with an empty options section: rewrite the version and recompute the checksum.
    const v1 = encodeModel({ ...model, recommendOptions: {} as typeof model.recommendOptions });
    const optionsBytes = Buffer.byteLength('{}');
    const body = Buffer.concat([v1.subarray(0, v1.length - 4 - 8)]); // drop the padded 2-byte section and the CRC
    body.writeUInt16LE(1, 4);
    body.writeUInt32LE(0, 80);
    body.writeDoubleLE(body.length + 4, 72);
    const crc = Buffer.alloc(4);
    crc.writeUInt32LE(zlib.crc32(body) >>> 0, 0);
    expect(optionsBytes).toBeLessThanOrEqual(8);
    expect(decodeModel(Buffer.concat([body, crc])).recommendOptions).toEqual(DEFAULT_RECOMMEND_OPTIONS);
  });
});
