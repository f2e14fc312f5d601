import { crc32 } from './crc32';
import { FramedFormatError, framedFormat, type FramedFormatErrorCode } from './framed-codec';

const demo = framedFormat({
  format: 'demo table',
  magic: 'LKDM',
  version: 3,
  readVersions: [2, 3],
  headerBytes: 32,
  u8: { kind: 6 },
  u16: { width: 8 },
  u32: { rows: 12 },
  f64: { scale: 16 },
  headerChecksumAt: 28,
});
const values = { kind: 7, width: 513, rows: 0xfffffffe, scale: -0.1 };
const payload = Buffer.from('payload bytes, any length');

function frame(): Buffer {
  return demo.encode(values, payload.length, (out) => payload.copy(out, demo.headerBytes));
}

function codeOf(fn: () => unknown): FramedFormatErrorCode | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(FramedFormatError);
    expect((error as FramedFormatError).message).toMatch(/^demo table: /);
    return (error as FramedFormatError).code;
  }
  return undefined;
}

describe('framed codec', () => {
  it('lays out magic, version, typed fields, header checksum, payload and trailing CRC-32', () => {
    const buf = frame();
    expect(buf.length).toBe(demo.overheadBytes + payload.length);
    expect(buf.toString('latin1', 0, 4)).toBe('LKDM');
    expect(buf.readUInt16LE(4)).toBe(3);
    expect(buf.readUInt8(6)).toBe(7);
    expect(buf.readUInt16LE(8)).toBe(513);
    expect(buf.readUInt32LE(12)).toBe(0xfffffffe);
    expect(buf.readDoubleLE(16)).toBe(-0.1);
    expect(buf.subarray(24, 28).equals(Buffer.alloc(4))).toBe(true); // bytes no field names stay zero
    expect(buf.readUInt32LE(28)).toBe(crc32(buf.subarray(0, 28)));
    expect(buf.subarray(32, 32 + payload.length).equals(payload)).toBe(true);
    expect(buf.readUInt32LE(buf.length - 4)).toBe(crc32(buf.subarray(0, buf.length - 4)));
  });

  it('reads back the version and fields, and accepts every read version', () => {
    const buf = frame();
    expect(demo.decodeHeader(buf)).toEqual({ version: 3, fields: values });
    expect(demo.decodeHeader(buf.subarray(0, 32)).fields).toEqual(values); // the header alone is enough
    demo.verifyFrame(buf, buf.length);
    const v2 = demo.encodeHeader(values, 2);
    expect(demo.decodeHeader(v2).version).toBe(2);
  });

  it('gives the same bytes as chunks, the payload not copied', () => {
    const parts = [payload.subarray(0, 5), new Uint8Array(payload.subarray(5))];
    const chunks = demo.encodeChunks(values, parts);
    expect(chunks).toHaveLength(4);
    expect(chunks[1]!.buffer).toBe(payload.buffer);
    expect(Buffer.concat(chunks).equals(frame())).toBe(true);
  });

  it('names what is wrong with a code', () => {
    const buf = frame();
    const magic = Buffer.from(buf);
    magic.write('LKDX', 0, 'latin1');
    expect(codeOf(() => demo.decodeHeader(magic))).toBe('BAD_MAGIC');
    expect(codeOf(() => demo.decodeHeader(buf.subarray(0, 3)))).toBe('TRUNCATED');
    expect(codeOf(() => demo.decodeHeader(buf.subarray(0, 31)))).toBe('TRUNCATED');
    expect(codeOf(() => demo.decodeHeader(demo.encodeHeader(values, 4)))).toBe('UNSUPPORTED_VERSION');
    const header = Buffer.from(buf);
    header[13] = header[13]! ^ 1;
    expect(codeOf(() => demo.decodeHeader(header))).toBe('HEADER_CHECKSUM_MISMATCH');
    expect(codeOf(() => demo.verifyFrame(buf.subarray(0, buf.length - 1), buf.length))).toBe('TRUNCATED');
    expect(codeOf(() => demo.verifyFrame(Buffer.concat([buf, Buffer.alloc(1)]), buf.length))).toBe(
      'TRAILING_BYTES',
    );
    const body = Buffer.from(buf);
    body[40] = body[40]! ^ 0x80;
    expect(codeOf(() => demo.decodeHeader(body))).toBeUndefined();
    expect(codeOf(() => demo.verifyFrame(body, body.length))).toBe('CHECKSUM_MISMATCH');
    expect(codeOf(() => demo.fail('INCONSISTENT_HEADER', 'rows do not fit'))).toBe('INCONSISTENT_HEADER');
  });

  it("throws the format's own error when it maps one", () => {
    class TableError extends Error {
      constructor(
        readonly why: string,
        message: string,
      ) {
        super(message);
      }
    }
    const mapped = framedFormat({
      format: 'mapped',
      magic: 'LKMP',
      version: 1,
      headerBytes: 8,
      error: (e) => new TableError(e.code, e.detail),
    });
    const error = (() => {
      try {
        mapped.decodeHeader(Buffer.from('LKMP\x02\0\0\0', 'latin1'));
      } catch (e) {
        return e as TableError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TableError);
    expect(error?.why).toBe('UNSUPPORTED_VERSION');
    expect(error?.message).toBe('unsupported version 2 (this code reads 1)');
  });

  it('refuses a layout whose fields overlap or leave the header, and a bad magic', () => {
    const base = { format: 'bad', magic: 'LKBD', version: 1, headerBytes: 16 };
    expect(() => framedFormat({ ...base, u32: { a: 4 } })).toThrow(/overlaps/);
    expect(() => framedFormat({ ...base, u32: { a: 8 }, u16: { b: 10 } })).toThrow(/overlaps/);
    expect(() => framedFormat({ ...base, f64: { a: 12 } })).toThrow(/outside/);
    expect(() => framedFormat({ ...base, headerChecksumAt: 14 })).toThrow(/header checksum/);
    expect(() => framedFormat({ ...base, magic: 'LK' })).toThrow(/magic/);
  });

  it('refuses a value that does not fit its field', () => {
    expect(() => demo.encodeHeader({ ...values, kind: 256 })).toThrow(RangeError);
    expect(() => demo.encodeHeader({ ...values, rows: -1 })).toThrow(RangeError);
  });
});
