import type { Readable } from 'node:stream';

/** Reads a whole stream into one Buffer. */
export async function readableToBuffer(
  stream: Readable | AsyncIterable<Uint8Array | string>,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Uint8Array | string>) {
    chunks.push(
      typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk),
    );
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** A Buffer view of a Uint8Array (no copy). */
export function asBuffer(bytes: Buffer | Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Whether an object body is in-memory bytes (cross-realm safe: no `instanceof Uint8Array`). */
export function isBytes(body: Buffer | Uint8Array | Readable): body is Buffer | Uint8Array {
  return Buffer.isBuffer(body) || ArrayBuffer.isView(body);
}
