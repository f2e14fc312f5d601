import { crc32 } from './crc32';

/**
 * The frame shared by the project's binary formats (pca.bin, .vec shards, the recommendation model, neighbour
 * parts), all little-endian:
 *
 *   offset          size     field
 *   0               4        magic (4 latin1 characters)
 *   4               2        format version (u16)
 *   6 … headerBytes          the format's typed header fields at fixed offsets (u8, u16, u32, f64; the bytes
 *                            no field names are zero), optionally a CRC-32 of the header bytes before it
 *   headerBytes     …        payload (the format's own layout)
 *   end − 4         4        CRC-32 (IEEE, core's `crc32`) of every byte before it
 *
 * A format states its layout once with {@link framedFormat}; encoding writes the header and the checksums,
 * decoding checks magic, version, header checksum, length and checksum, and every failure is one error
 * class whose code says what is wrong ({@link FramedFormatError}, or the format's own class through `error`).
 */

export type FramedFieldType = 'u8' | 'u16' | 'u32' | 'f64';

/** What is wrong with a framed buffer. */
export type FramedFormatErrorCode =
  | 'BAD_MAGIC'
  | 'UNSUPPORTED_VERSION'
  | 'TRUNCATED'
  | 'TRAILING_BYTES'
  | 'HEADER_CHECKSUM_MISMATCH'
  | 'CHECKSUM_MISMATCH'
  /** Header fields that contradict each other or the format's limits. */
  | 'INCONSISTENT_HEADER';

/** A buffer that is not a valid frame of `format`: `code` says what is wrong, `detail` says it in words. */
export class FramedFormatError extends Error {
  override name = 'FramedFormatError';
  readonly format: string;
  readonly code: FramedFormatErrorCode;
  readonly detail: string;

  constructor(format: string, code: FramedFormatErrorCode, detail: string) {
    super(`${format}: ${detail}`);
    this.format = format;
    this.code = code;
    this.detail = detail;
  }
}

/**
 * A format's frame. Header fields are given by type, each name with its byte offset (after the 6 bytes of magic
 * and version), e.g. `u32: { count: 8, dim: 12 }`; bytes no field names are written as zero and not read.
 */
export interface FramedFormatSpec<
  U8 extends string,
  U16 extends string,
  U32 extends string,
  F64 extends string,
> {
  /** The format's name in error messages, e.g. `'vector shard'`. */
  format: string;
  /** Four latin1 characters at offset 0. */
  magic: string;
  /** The version written at offset 4. */
  version: number;
  /** Versions a reader accepts (default: `[version]`). */
  readVersions?: readonly number[];
  /** Header size in bytes (magic and version included); the payload starts here. */
  headerBytes: number;
  u8?: Record<U8, number>;
  u16?: Record<U16, number>;
  u32?: Record<U32, number>;
  f64?: Record<F64, number>;
  /** Offset of a CRC-32 of the header bytes before it, so that a header read alone can be trusted. */
  headerChecksumAt?: number;
  /** Turns a failure into the error the format throws (default: the {@link FramedFormatError} itself). */
  error?: (error: FramedFormatError) => Error;
}

export interface FramedHeader<F extends string> {
  version: number;
  fields: Record<F, number>;
}

const MAGIC_BYTES = 4;
const TRAILER_BYTES = 4;
const FIELD_BYTES: Record<FramedFieldType, number> = { u8: 1, u16: 2, u32: 4, f64: 8 };

/** One binary format's frame; see the layout above. */
export class FramedFormat<F extends string> {
  readonly format: string;
  readonly magic: string;
  readonly version: number;
  readonly headerBytes: number;
  /** Header and trailing checksum: the size of a frame with an empty payload. */
  readonly overheadBytes: number;
  private readonly readVersions: readonly number[];
  private readonly fields: ReadonlyArray<{ name: F; type: FramedFieldType; at: number }>;
  private readonly headerChecksumAt: number | undefined;
  private readonly toError: (error: FramedFormatError) => Error;

  constructor(spec: FramedFormatSpec<string, string, string, string>) {
    if (Buffer.byteLength(spec.magic, 'latin1') !== MAGIC_BYTES || !/^[\x20-\x7e]{4}$/.test(spec.magic))
      throw new RangeError(
        `framed format magic must be 4 printable characters, got ${JSON.stringify(spec.magic)}`,
      );
    const fields = (['u8', 'u16', 'u32', 'f64'] as const).flatMap((type) =>
      Object.entries<number>(spec[type] ?? {}).map(([name, at]) => ({ name: name as F, type, at })),
    );
    const checksumAt = spec.headerChecksumAt;
    const taken = [{ name: 'magic + version', at: 0, end: 6 }];
    if (checksumAt !== undefined)
      taken.push({ name: 'header checksum', at: checksumAt, end: checksumAt + 4 });
    for (const { name, type, at } of fields) taken.push({ name, at, end: at + FIELD_BYTES[type] });
    taken.sort((a, b) => a.at - b.at);
    taken.forEach((t, i) => {
      if (!Number.isInteger(t.at) || t.end > spec.headerBytes || (i > 0 && t.at < taken[i - 1]!.end))
        throw new RangeError(`framed format ${spec.format}: ${t.name} overlaps or lies outside the header`);
    });
    this.format = spec.format;
    this.magic = spec.magic;
    this.version = spec.version;
    this.headerBytes = spec.headerBytes;
    this.overheadBytes = spec.headerBytes + TRAILER_BYTES;
    this.readVersions = spec.readVersions ?? [spec.version];
    this.fields = fields;
    this.headerChecksumAt = checksumAt;
    this.toError = spec.error ?? ((error) => error);
  }

  /** Throws this format's error. */
  fail(code: FramedFormatErrorCode, detail: string): never {
    throw this.toError(new FramedFormatError(this.format, code, detail));
  }

  /** The header: magic, `version`, the fields (a value that does not fit its type throws a RangeError), header checksum. */
  encodeHeader(values: Record<F, number>, version = this.version): Buffer {
    const header = Buffer.alloc(this.headerBytes);
    header.write(this.magic, 0, 'latin1');
    header.writeUInt16LE(version, 4);
    for (const { name, type, at } of this.fields) {
      const v = values[name];
      if (type !== 'f64' && !(Number.isInteger(v) && v >= 0 && v < 2 ** (8 * FIELD_BYTES[type])))
        throw new RangeError(`${this.format} header field ${name} = ${v} does not fit a ${type}`);
      if (type === 'u8') header.writeUInt8(v, at);
      else if (type === 'u16') header.writeUInt16LE(v, at);
      else if (type === 'u32') header.writeUInt32LE(v, at);
      else header.writeDoubleLE(v, at);
    }
    if (this.headerChecksumAt !== undefined)
      header.writeUInt32LE(crc32(header.subarray(0, this.headerChecksumAt)), this.headerChecksumAt);
    return header;
  }

  /**
   * A whole frame in one buffer: the header, `payloadBytes` bytes (zero-filled) that `writePayload` fills in
   * (`out` is the whole frame, the payload starts at `headerBytes`), and the checksum.
   */
  encode(values: Record<F, number>, payloadBytes: number, writePayload: (out: Buffer) => void): Buffer {
    const out = Buffer.alloc(this.headerBytes + payloadBytes + TRAILER_BYTES);
    this.encodeHeader(values).copy(out, 0);
    writePayload(out);
    const end = out.length - TRAILER_BYTES;
    out.writeUInt32LE(crc32(out.subarray(0, end)), end);
    return out;
  }

  /** A frame as chunks to write in order: the header, `payload` as given (not copied), the checksum. */
  encodeChunks(values: Record<F, number>, payload: readonly Uint8Array[]): Buffer[] {
    const header = this.encodeHeader(values);
    const chunks: Buffer[] = [header];
    let crc = crc32(header);
    for (const part of payload) {
      const chunk = Buffer.isBuffer(part) ? part : Buffer.from(part.buffer, part.byteOffset, part.byteLength);
      chunks.push(chunk);
      crc = crc32(chunk, crc);
    }
    const trailer = Buffer.alloc(TRAILER_BYTES);
    trailer.writeUInt32LE(crc, 0);
    chunks.push(trailer);
    return chunks;
  }

  /**
   * Reads the header from the first `headerBytes` bytes (more may follow): checks the magic, the length, the
   * version and the header checksum, in that order, and returns the version and the fields.
   */
  decodeHeader(bytes: Uint8Array): FramedHeader<F> {
    const buf = asBuffer(bytes);
    if (buf.length >= MAGIC_BYTES) {
      const magic = buf.toString('latin1', 0, MAGIC_BYTES);
      if (magic !== this.magic)
        this.fail('BAD_MAGIC', `bad magic ${JSON.stringify(magic)}, expected ${JSON.stringify(this.magic)}`);
    }
    if (buf.length < this.headerBytes)
      this.fail('TRUNCATED', `truncated: ${buf.length} bytes, the header alone takes ${this.headerBytes}`);
    const version = buf.readUInt16LE(4);
    if (!this.readVersions.includes(version)) {
      this.fail(
        'UNSUPPORTED_VERSION',
        `unsupported version ${version} (this code reads ${this.readVersions.join(', ')})`,
      );
    }
    const at = this.headerChecksumAt;
    if (at !== undefined) {
      const stored = buf.readUInt32LE(at);
      const computed = crc32(buf.subarray(0, at));
      if (stored !== computed)
        this.fail(
          'HEADER_CHECKSUM_MISMATCH',
          `header checksum mismatch (stored ${hex(stored)}, computed ${hex(computed)})`,
        );
    }
    const values = {} as Record<F, number>;
    for (const { name, type, at: offset } of this.fields) {
      values[name] =
        type === 'u8'
          ? buf.readUInt8(offset)
          : type === 'u16'
            ? buf.readUInt16LE(offset)
            : type === 'u32'
              ? buf.readUInt32LE(offset)
              : buf.readDoubleLE(offset);
    }
    return { version, fields: values };
  }

  /** Checks that the frame is exactly `byteLength` bytes (as its header says) and that its checksum matches. */
  verifyFrame(bytes: Uint8Array, byteLength: number): void {
    const buf = asBuffer(bytes);
    if (buf.length < byteLength) this.fail('TRUNCATED', `truncated: ${buf.length} of ${byteLength} bytes`);
    if (buf.length > byteLength)
      this.fail('TRAILING_BYTES', `${buf.length - byteLength} unexpected trailing bytes after ${byteLength}`);
    const end = byteLength - TRAILER_BYTES;
    const stored = buf.readUInt32LE(end);
    const computed = crc32(buf.subarray(0, end));
    if (stored !== computed) {
      this.fail(
        'CHECKSUM_MISMATCH',
        `checksum mismatch (stored ${hex(stored)}, computed ${hex(computed)}): the data is corrupt`,
      );
    }
  }
}

/** States a binary format's frame once (see {@link FramedFormat}). */
export function framedFormat<
  U8 extends string = never,
  U16 extends string = never,
  U32 extends string = never,
  F64 extends string = never,
>(spec: FramedFormatSpec<U8, U16, U32, F64>): FramedFormat<U8 | U16 | U32 | F64> {
  return new FramedFormat<U8 | U16 | U32 | F64>(spec);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function hex(v: number): string {
  return `0x${v.toString(16).padStart(8, '0')}`;
}
