import { RecsysInputError, RecsysParseError } from './errors';

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * One CSV record, as byte ranges into the chunk being parsed (RFC 4180: `,` separates fields, `\n` or `\r\n`
 * ends a record, a field that starts with `"` is quoted and may contain `,`, `\n` and `""` for a quote).
 * Field `i` is `bytes[starts[i], ends[i])` with the surrounding quotes removed; when `escaped[i]` is 1 its
 * `""` pairs are still doubled there (`text(i)` undoes them). Valid only during the callback that receives
 * it: the object and its arrays are reused for the next record.
 */
export class CsvRecord {
  bytes: Buffer = Buffer.alloc(0);
  starts = new Int32Array(32);
  ends = new Int32Array(32);
  escaped = new Uint8Array(32);
  /** Number of fields. */
  fields = 0;
  /** 1-based physical line on which the record starts (the header is line 1). */
  line = 0;

  /** Field `i` decoded as UTF-8, quotes undone. */
  text(i: number): string {
    if (i < 0 || i >= this.fields) throw new RecsysInputError(`no field ${i} (record has ${this.fields})`);
    const s = this.bytes.toString('utf8', this.starts[i]!, this.ends[i]!);
    return this.escaped[i] === 1 ? s.replace(/""/g, '"') : s;
  }

  /** Every field as text. */
  texts(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.fields; i++) out.push(this.text(i));
    return out;
  }

  /** Byte length of field `i`. */
  length(i: number): number {
    return this.ends[i]! - this.starts[i]!;
  }

  /** @internal */
  push(start: number, end: number, escaped: number): void {
    const n = this.fields;
    if (n === this.starts.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T, make: (len: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts, (l) => new Int32Array(l));
      this.ends = grow(this.ends, (l) => new Int32Array(l));
      this.escaped = grow(this.escaped, (l) => new Uint8Array(l));
    }
    this.starts[n] = start;
    this.ends[n] = end;
    this.escaped[n] = escaped;
    this.fields = n + 1;
  }
}

/**
 * What a record handler returns: `undefined` when the record is accepted, else the reason it is malformed
 * (the reader then throws a `RecsysParseError` naming file and line, or in lenient mode counts and skips it).
 */
export type RecordVerdict = string | undefined;

export type CsvSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

export interface CsvReadOptions {
  /** Name used in error messages (a path or key). */
  file: string;
  /** Count and skip malformed rows instead of throwing (a malformed header always throws). Default false. */
  lenient?: boolean;
  /** How many malformed-row messages to keep as examples in lenient mode. Default 20. */
  maxIssues?: number;
  /** A record longer than this is malformed (guards against a runaway quote). Default 1 MiB. */
  maxRecordBytes?: number;
  /** Called after each chunk with the rows accepted and bytes read so far. */
  onProgress?: (rows: number, bytes: number) => void;
}

export interface CsvReadSummary {
  file: string;
  /** Data records accepted by the handler (the header not counted). */
  rows: number;
  /** Malformed data records skipped (lenient mode only; 0 otherwise). */
  skipped: number;
  /** The first `maxIssues` skipped records as `file:line: reason`. */
  issues: string[];
  /** Physical lines read. */
  lines: number;
  bytes: number;
}

export interface CsvHandlers {
  /** Receives the first record; a returned reason is fatal even in lenient mode. */
  header(record: CsvRecord): RecordVerdict;
  /** Receives every later non-blank record. */
  row(record: CsvRecord): RecordVerdict;
}

/**
 * Streams a CSV file record by record without ever holding more than one chunk (plus a partial record) in
 * memory. Records are split by a hand-written byte scanner: an unquoted record costs one pass over its bytes
 * with no allocation; quoted fields (RFC 4180, including newlines inside quotes) are handled as they come.
 * A UTF-8 byte-order mark is skipped; blank lines are ignored.
 */
export async function readCsv(
  source: CsvSource,
  options: CsvReadOptions,
  handlers: CsvHandlers,
): Promise<CsvReadSummary> {
  const parser = new CsvParser(options, handlers);
  const progress = options.onProgress;
  for await (const chunk of source) {
    parser.write(chunk);
    if (progress) progress(parser.rows, parser.bytes);
  }
  return parser.end();
}

/** The push-style parser behind `readCsv` (`write` chunks, then `end`). */
export class CsvParser {
  private readonly file: string;
  private readonly lenient: boolean;
  private readonly maxIssues: number;
  private readonly maxRecordBytes: number;
  private readonly record = new CsvRecord();
  private carry: Buffer | null = null;
  /** Physical line number of the next unconsumed byte. */
  private line = 1;
  private seenHeader = false;
  private first = true;
  private ended = false;
  /** Whether the last record consumed ended without a newline (at end of input). */
  private unterminated = false;
  private readonly summary: CsvReadSummary;

  constructor(
    options: CsvReadOptions,
    private readonly handlers: CsvHandlers,
  ) {
    this.file = options.file;
    this.lenient = options.lenient ?? false;
    this.maxIssues = options.maxIssues ?? 20;
    this.maxRecordBytes = options.maxRecordBytes ?? 1 << 20;
    this.summary = { file: this.file, rows: 0, skipped: 0, issues: [], lines: 0, bytes: 0 };
  }

  /** Rows accepted so far. */
  get rows(): number {
    return this.summary.rows;
  }

  /** Bytes received so far. */
  get bytes(): number {
    return this.summary.bytes;
  }

  write(chunk: Uint8Array | string): void {
    if (this.ended) throw new RecsysInputError('CsvParser.write after end');
    let buf =
      typeof chunk === 'string'
        ? Buffer.from(chunk, 'utf8')
        : Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (buf.length === 0) return;
    this.summary.bytes += buf.length;
    if (this.carry !== null) {
      buf = Buffer.concat([this.carry, buf]);
      this.carry = null;
    }
    if (this.first) {
      if (buf.length < 3 && buf[0] === 0xef) {
        this.carry = buf; // might be the start of a BOM
        return;
      }
      this.first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    const rest = this.scan(buf, false);
    if (rest < buf.length) this.carry = buf.subarray(rest);
  }

  end(): CsvReadSummary {
    if (this.ended) return this.summary;
    this.ended = true;
    if (this.carry !== null) {
      let buf = this.carry;
      this.carry = null;
      if (this.first && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
      this.scan(buf, true);
    }
    if (!this.seenHeader) throw new RecsysParseError(this.file, 1, 'empty file: no header');
    this.summary.lines = this.line - 1 + (this.unterminated ? 1 : 0);
    return this.summary;
  }

  /**
   * Parses the complete records of `buf`; returns where the unconsumed (partial) record begins. Line ends
   * and commas are found with `Buffer#indexOf` (native memchr), which beats a JS byte loop several times
   * over; only a field that starts with a quote is walked byte by byte.
   */
  private scan(buf: Buffer, final: boolean): number {
    const n = buf.length;
    const rec = this.record;
    rec.bytes = buf;
    let pos = 0;
    while (pos < n) {
      const recStart = pos;
      let lineEnd = buf.indexOf(LF, pos);
      if (lineEnd < 0 && !final) return this.incomplete(buf, recStart);
      rec.fields = 0;
      let fs = pos;
      let inner = 0; // newlines inside quoted fields
      let next = -1; // where the next record starts once this one is complete
      let endsWithNewline = false;
      let error: string | undefined;
      for (;;) {
        if (fs < n && buf[fs] === QUOTE) {
          let j = fs + 1;
          let esc = 0;
          let closed = false;
          while (j < n) {
            const c = buf[j]!;
            if (c === QUOTE) {
              if (j + 1 >= n) {
                if (!final) return this.incomplete(buf, recStart);
                closed = true;
                break;
              }
              if (buf[j + 1] === QUOTE) {
                esc = 1;
                j += 2;
                continue;
              }
              closed = true;
              break;
            }
            if (c === LF) inner++;
            j++;
          }
          if (!closed) {
            if (!final) return this.incomplete(buf, recStart);
            error = 'unterminated quoted field';
            next = n;
            break;
          }
          rec.push(fs + 1, j, esc);
          const k = j + 1;
          if (k >= n) {
            next = n; // final: end of input right after the closing quote
            break;
          }
          const c = buf[k]!;
          if (c === COMMA) {
            fs = k + 1;
            if (lineEnd >= 0 && lineEnd < fs) lineEnd = buf.indexOf(LF, fs);
            if (lineEnd < 0 && !final) return this.incomplete(buf, recStart);
            continue;
          }
          if (c === LF || (c === CR && k + 1 < n && buf[k + 1] === LF)) {
            next = c === LF ? k + 1 : k + 2;
            endsWithNewline = true;
            break;
          }
          if (c === CR && k + 1 >= n) {
            if (!final) return this.incomplete(buf, recStart);
            next = n;
            break;
          }
          error = `unexpected character ${JSON.stringify(String.fromCharCode(c))} after a closing quote`;
          const lf = buf.indexOf(LF, k);
          next = lf < 0 ? n : lf + 1;
          endsWithNewline = lf >= 0;
          break;
        }
        const limit = lineEnd < 0 ? n : lineEnd;
        const comma = fs < limit ? buf.indexOf(COMMA, fs) : -1;
        if (comma >= 0 && comma < limit) {
          rec.push(fs, comma, 0);
          fs = comma + 1;
          continue;
        }
        // The last field of the line (a CR before the LF, or at the very end, is not part of it).
        rec.push(fs, limit > fs && buf[limit - 1] === CR ? limit - 1 : limit, 0);
        if (lineEnd < 0) {
          next = n; // final
        } else {
          next = lineEnd + 1;
          endsWithNewline = true;
        }
        break;
      }
      const line = this.line;
      rec.line = line;
      this.unterminated = !endsWithNewline;
      // Lines consumed: the quoted-field newlines plus the terminator; for an error, count what was skipped.
      if (error !== undefined) {
        let lines = 0;
        for (let p = recStart; p < next; p++) if (buf[p] === LF) lines++;
        this.line += lines;
        this.reject(line, error, !this.seenHeader);
        if (!this.seenHeader) this.seenHeader = true;
      } else {
        this.line += inner + (endsWithNewline ? 1 : 0);
        this.dispatch(rec);
      }
      pos = next;
    }
    return n;
  }

  private incomplete(buf: Buffer, recStart: number): number {
    if (buf.length - recStart > this.maxRecordBytes) {
      throw new RecsysParseError(
        this.file,
        this.line,
        `record longer than ${this.maxRecordBytes} bytes (an unterminated quote?)`,
      );
    }
    return recStart;
  }

  private dispatch(rec: CsvRecord): void {
    if (rec.fields === 1 && rec.ends[0] === rec.starts[0] && rec.escaped[0] === 0) {
      // A blank line (a quoted empty field `""` is not blank, but has start === end too: tell them apart).
      const s = rec.starts[0]!;
      if (s === 0 || rec.bytes[s - 1] !== QUOTE) return;
    }
    if (!this.seenHeader) {
      this.seenHeader = true;
      const verdict = this.handlers.header(rec);
      if (verdict !== undefined) throw new RecsysParseError(this.file, rec.line, verdict);
      return;
    }
    const verdict = this.handlers.row(rec);
    if (verdict === undefined) this.summary.rows++;
    else this.reject(rec.line, verdict, false);
  }

  private reject(line: number, reason: string, fatal: boolean): void {
    if (!this.lenient || fatal) throw new RecsysParseError(this.file, line, reason);
    this.summary.skipped++;
    if (this.summary.issues.length < this.maxIssues)
      this.summary.issues.push(`${this.file}:${line}: ${reason}`);
  }
}

/** Finds the columns of a header record; returns the index of each wanted name or the reason it is unusable. */
export function locateColumns<K extends string>(
  header: CsvRecord,
  required: readonly K[],
  optional: readonly string[] = [],
): { columns: Record<K, number> & Record<string, number>; fields: number } | string {
  const names = header.texts().map((s) => s.trim());
  const columns: Record<string, number> = {};
  for (const name of [...required, ...optional]) {
    const at = names.indexOf(name);
    if (at >= 0) columns[name] = at;
  }
  const missing = required.filter((r) => columns[r] === undefined);
  if (missing.length > 0) {
    return `header lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (found: ${names.join(',')})`;
  }
  return { columns: columns as Record<K, number> & Record<string, number>, fields: names.length };
}

/** The CSV-reader options of a reader's options object. */
export function csvOptionsOf(o: Partial<CsvReadOptions>): Omit<CsvReadOptions, 'file'> {
  const out: Omit<CsvReadOptions, 'file'> = {};
  if (o.lenient !== undefined) out.lenient = o.lenient;
  if (o.maxIssues !== undefined) out.maxIssues = o.maxIssues;
  if (o.maxRecordBytes !== undefined) out.maxRecordBytes = o.maxRecordBytes;
  if (o.onProgress !== undefined) out.onProgress = o.onProgress;
  return out;
}
