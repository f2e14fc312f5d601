import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomData } from '../test/helpers';
import { decodeModel, encodeModel, readModelFile, writeModelFile } from './model-codec';
import { prepareModel } from './prepare';
import { recommendRange } from './recommend-range';
import * as zlib from 'node:zlib';
import { FramedFormatError } from '@lookalike/core';
import { RecsysFormatError } from './errors';
import { DEFAULT_RECOMMEND_OPTIONS } from './recommend-options';

// Written by the codec before it used core's framed codec (commit 71abbe1), from
// `prepareModel(randomData(5, 8, 6, 40, 12, 2), { recommend: { visualWeight: 0.7 } })`: model files in storage
// must still read, and the same model must give the same bytes.
const OLD_SMALL_MODEL =
  'TEtSTQIAYAANAAAADQAAAAkAAAAGAAAAEQAAABEAAAACAAAACAAAAEADAABWRwAAYUcAAFtHAAAHAAAABwAAAAAAAAAAAPA/AAAAAACYoEA6AQAAAAAAAAAAAAAAAAAAAAAAAEAAAACAAAAAwAAAAAABAABAAQAAgAEAAMABAAAAAgAAQAIAAIACAADAAgAAAAMAAEADAAAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMTAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDIwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAzMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwNDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDUwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA2MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwNzAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDgwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA5MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwYTAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMGIwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDBjAAAAYBnvmUEAAABkGe+ZQQAAAGgZ75lBAAAAbBnvmUEAAABwGe+ZQQAAAHQZ75lBAAAAeBnvmUEAAAB8Ge+ZQQAAAIAZ75lBAAAAAAYAAAAIAAAACgAAAAwAAAANAAAADgAAABAAAAARAAAAEQAAABEAAAARAAAAEQAAABEAAAAAAAAAAAAAAAAAAAAAAAAAAgAAAAQAAAABAAAABAAAAAAAAAADAAAAAAAAAAAAAAADAAAAAAAAAAAAAAADAAAAAAAAAAAAAABaR1pHWUdYR1hHV0daR1ZHWkdYR1pHWkdWR1pHWUdXR1lHAAAAAAAAAAAAAAQAAAAHAAAACQAAAAoAAAALAAAADgAAABAAAAARAAAAEQAAABEAAAARAAAAEQAAABEAAAAAAAAAAwAAAAQAAAAFAAAAAAAAAAEAAAAEAAAAAAAAAAMAAAAEAAAAAgAAAAAAAAACAAAABQAAAAAAAAAFAAAAAAAAAAAAAAAKAAAAAQAAAAEAAAADAAAAAgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACgAAAAEAAAABAAAAAwAAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAIEEAAIA/AACAPwAAQEAAAABA7MEDQOjIuEDBiAc/FbS4QAAAAAAAAAAAAwAAAAQAAAABAAAAAgAAAAUAAAAGAAAABwAAAAgAAAAAAAAAAAAAAAYAAAAIAAAAAwAAAAUAAAAEAAAAAQAAAAIAAAAHAAAAAAAAAAQAAAABAAAAAgAAAAMAAAADAAAABgAAAAcAAAAIAAAABgAAAAUAAAADAAAAAgAAAAQAAAAAAAAAAQAAAAYAAAAAAAAAAQAAAJPgcT8IeVk/SAdyP6CHWT+SyHA/Z2lXPxMvcz9Hu1c/6d1xPztNWT+66HE/LBRXP4Z/cj9Inlg/yIhyP+SRVz8r83I/dEFXPwAAAAACAAAABAAAAAUAAAAGAAAABwAAAAcAAAAIAAAACAAAAAgAAAAGAAAACAAAAAcAAAAIAAAABQAAAAUAAAAGAAAABwAAAEieWD8r83I/yIhyP3RBVz8sFFc/uuhxP4Z/cj/kkVc/eyJyZWNlbmN5SGFsZkxpZmVEYXlzIjozMCwibWF4SGlzdG9yeVB1cmNoYXNlcyI6NjQsInJlcHVyY2hhc2VXZWlnaHQiOjEsInNhbWVQcm9kdWN0V2VpZ2h0IjowLjMsInZpc3VhbFdlaWdodCI6MC43LCJuZXdBcnJpdmFsV2VpZ2h0IjowLjMsInRyZW5kaW5nV2VpZ2h0IjowLjM1LCJhY3RpdmVXaW5kb3dEYXlzIjoyOCwidHJlbmRXaW5kb3dEYXlzIjo3LCJ0cmVuZEhhbGZMaWZlRGF5cyI6Mywic2VsZlNpbWlsYXJpdHkiOjAsInBvcHVsYXJpdHlQcmlvcldlaWdodCI6MCwiZXhjbHVkZVB1cmNoYXNlZCI6ZmFsc2UsInVzZUNvbGRMaW5rcyI6dHJ1ZX0AAAAAAADlY5Z1';
// sha256 of the model file of `prepareModel(randomData(9))` at that commit (it pins prepare's output too).
const OLD_MODEL_SHA256 = '758cff3e6a3a78e51a079dc62572073e7579b0c109c5ad570e13c91561f21420';

describe('model bytes', () => {
  it('are the bytes the codec wrote before, and those bytes still decode', () => {
    const old = Buffer.from(OLD_SMALL_MODEL, 'base64');
    const decoded = decodeModel(old);
    expect(decoded.recommendOptions.visualWeight).toBe(0.7);
    expect(decoded.customers.id(0)).toMatch(/^[0-9a-f]{64}$/);
    expect(encodeModel(decoded).equals(old)).toBe(true);
    const tiny = randomData(5, 8, 6, 40, 12, 2);
    expect(
      encodeModel(
        prepareModel(tiny.dataset, tiny.neighbours, { recommend: { visualWeight: 0.7 } }).model,
      ).equals(old),
    ).toBe(true);
    const { dataset, neighbours } = randomData(9);
    const bytes = encodeModel(prepareModel(dataset, neighbours).model);
    expect(bytes.length).toBe(43332);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(OLD_MODEL_SHA256);
  });
});

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
    // The framed codec's error, with its code, is the cause.
    const cause = (() => {
      try {
        decodeModel(flipped);
      } catch (error) {
        return (error as RecsysFormatError).cause;
      }
      return undefined;
    })();
    expect(cause).toBeInstanceOf(FramedFormatError);
    expect((cause as FramedFormatError).code).toBe('CHECKSUM_MISMATCH');
    const version = Buffer.from(bytes);
    version.writeUInt16LE(3, 4);
    expect(() => decodeModel(version)).toThrow(
      'prepared model: unsupported version 3 (this code reads 1, 2)',
    );
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
