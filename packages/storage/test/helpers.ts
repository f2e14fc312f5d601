import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ObjectStore } from '../src';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A stream of `bytes` in `chunkSize` pieces (so a big body never arrives as one Buffer). */
export function chunkedStream(bytes: Buffer, chunkSize = 64 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < bytes.length; offset += chunkSize)
        yield bytes.subarray(offset, offset + chunkSize);
    })(),
  );
}

export function randomBuffer(size: number): Buffer {
  return randomBytes(size);
}

export async function collectList(
  store: ObjectStore,
  prefix: string,
): Promise<{ key: string; size: number }[]> {
  const out: { key: string; size: number }[] = [];
  for await (const entry of store.list(prefix)) out.push(entry);
  return out;
}

export async function collectPrefixes(store: ObjectStore, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const common of store.listPrefixes(prefix)) out.push(common);
  return out;
}

export function utf8Sorted(keys: Iterable<string>): string[] {
  return [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** Runs `fn` over `items`, `limit` at a time. */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}
