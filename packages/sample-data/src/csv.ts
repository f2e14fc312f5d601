/** Streaming CSV output: rows are buffered into ~1 MiB chunks and written with backpressure. */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** RFC 4180 field: quoted when it holds a comma, a double quote or a line break (quotes doubled). */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: readonly (string | number)[]): string {
  return `${values.map(csvField).join(',')}\n`;
}

const CHUNK = 1 << 20;

export class CsvWriter {
  private stream: WriteStream;
  private buffer = '';
  private failure: Error | undefined;
  bytes = 0;
  rows = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { highWaterMark: CHUNK });
    this.stream.on('error', (err) => {
      this.failure = err;
    });
  }

  /** Appends raw text (already formatted rows); call `flushIfFull` from time to time in long loops. */
  push(text: string): void {
    this.buffer += text;
  }

  row(values: readonly (string | number)[]): void {
    this.buffer += csvRow(values);
    this.rows++;
  }

  /** Whether the buffer is big enough to be written (cheap: check it in hot loops, then `await flush()`). */
  get full(): boolean {
    return this.buffer.length >= CHUNK;
  }

  /** Writes the buffer once it is big enough, waiting for the stream to drain. */
  async flushIfFull(): Promise<void> {
    if (this.buffer.length >= CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.buffer.length === 0) return;
    // Encode once (the stream would encode a string anyway; Buffer.byteLength would be a second pass).
    const chunk = Buffer.from(this.buffer, 'utf8');
    this.buffer = '';
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain'); // rejects if the stream fails meanwhile
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'close');
    if (this.failure) throw this.failure;
  }

  /** Closes the file after a failure elsewhere (errors ignored). */
  destroy(): void {
    this.stream.destroy();
  }
}
