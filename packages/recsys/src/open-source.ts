import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';

/**
 * Opens a local CSV file as a stream of 1 MiB chunks for the readers (`.gz` files are gunzipped on the fly).
 * Any `Readable` or async iterable of chunks works as a source too (an S3 object body, for instance).
 */
export function openCsvFile(path: string, highWaterMark = 1 << 20): Readable {
  const raw = fs.createReadStream(path, { highWaterMark });
  if (!path.endsWith('.gz')) return raw;
  const gunzip = zlib.createGunzip({ chunkSize: highWaterMark });
  raw.on('error', (err) => gunzip.destroy(err));
  return raw.pipe(gunzip);
}
