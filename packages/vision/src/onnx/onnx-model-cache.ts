import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type Logger, silentLogger } from '@lookalike/core';
import { errorMessage } from '../errors';
import type { LoadedModelArtifacts } from '../model-artifacts';
import { convertGraphModelToOnnx, type ConvertedOnnxModel, CONVERTER_VERSION } from './convert';

/** Environment variable that moves the converted-model cache. */
export const MODEL_CACHE_DIR_ENV = 'LOOKALIKE_MODEL_CACHE_DIR';

/** Where converted models are cached: `$LOOKALIKE_MODEL_CACHE_DIR`, else `~/.cache/lookalike/models`. */
export function defaultModelCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[MODEL_CACHE_DIR_ENV];
  if (configured !== undefined && configured.trim() !== '') return configured;
  return join(homedir(), '.cache', 'lookalike', 'models');
}

export interface OnnxModelCacheOptions {
  /** The graph node whose value the ONNX model outputs. */
  outputNode: string;
  cacheDir: string;
  /** Input height/width for graphs whose input leaves them open (then part of the cache key). */
  inputHeight?: number;
  inputWidth?: number;
  logger?: Logger;
}

export interface CachedOnnxModel extends ConvertedOnnxModel {
  /** The cached `.onnx` file (ONNX Runtime can also load it by path). */
  path: string;
  /** sha256 (hex) of the cache key: source model sha256 + output node + converter version. */
  key: string;
  /** True when the model came from the cache, false when it was converted by this call. */
  fromCache: boolean;
}

/** The sidecar JSON written beside each cached model: what the conversion said of the model, but its bytes. */
interface CacheEntry extends Omit<ConvertedOnnxModel, 'bytes'> {
  key: string;
  converterVersion: string;
  sourceSha256: string;
  outputNode: string;
  /** Length and sha256 of the `.onnx` file: a truncated or altered file does not match. */
  bytes: number;
  sha256: string;
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** sha256 over the source model's hash, the output node and the converter version (and any input size). */
export function onnxCacheKey(
  sourceSha256: string,
  outputNode: string,
  size?: { height?: number; width?: number },
) {
  const parts = [sourceSha256, outputNode, CONVERTER_VERSION];
  if (size?.height !== undefined || size?.width !== undefined)
    parts.push(`${size.height ?? ''}x${size.width ?? ''}`);
  return sha256(parts.join('\0'));
}

const isInts = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => Number.isInteger(x));

/** The sidecar's content if it is a well-formed entry for `key`, else undefined. */
function parseEntry(text: string, key: string): CacheEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const e = value as Partial<CacheEntry> | null;
  const ok =
    e !== null &&
    typeof e === 'object' &&
    e.key === key &&
    e.converterVersion === CONVERTER_VERSION &&
    typeof e.inputName === 'string' &&
    typeof e.outputName === 'string' &&
    typeof e.outputNode === 'string' &&
    typeof e.sourceSha256 === 'string' &&
    isInts(e.inputShape) &&
    isInts(e.outputShape) &&
    (e.dim === undefined || Number.isInteger(e.dim)) &&
    Number.isInteger(e.opset) &&
    Number.isInteger(e.bytes) &&
    typeof e.sha256 === 'string';
  return ok ? (e as CacheEntry) : undefined;
}

/** Writes a file under its final name atomically: a unique temporary file in the same folder, then rename. */
async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

type Lookup = { hit: CachedOnnxModel } | { miss: string };

async function lookup(modelPath: string, entryPath: string, key: string): Promise<Lookup> {
  let entryText: string;
  try {
    entryText = await readFile(entryPath, 'utf8');
  } catch (err) {
    return { miss: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not cached' : errorMessage(err) };
  }
  const entry = parseEntry(entryText, key);
  if (entry === undefined) return { miss: 'the sidecar JSON is malformed or for another key' };
  let bytes: Buffer;
  try {
    bytes = await readFile(modelPath);
  } catch (err) {
    return { miss: `cannot read the model file: ${errorMessage(err)}` };
  }
  if (bytes.byteLength !== entry.bytes || sha256(bytes) !== entry.sha256) {
    return { miss: `the model file is corrupt or truncated (${bytes.byteLength} of ${entry.bytes} bytes)` };
  }
  const { inputName, outputName, inputShape, outputShape, dim, opset } = entry;
  return {
    hit: {
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      inputName,
      outputName,
      inputShape,
      outputShape,
      opset,
      ...(dim === undefined ? {} : { dim }),
      path: modelPath,
      key,
      fromCache: true,
    },
  };
}

/**
 * The ONNX conversion of a loaded TF.js graph model, from the on-disk cache when it holds a valid copy, else
 * converted now and cached as `<cacheDir>/<name>-<key16>.onnx` plus a `.json` sidecar (input/output names,
 * shapes, and the file's length and sha256, which reject a truncated or corrupt file: it is reconverted).
 * Files are written to unique temporary names and renamed into place, so concurrent converters (threads or
 * processes) never expose a partial file; the conversion is deterministic, so the last rename wins with the
 * same bytes.
 */
export async function getOrConvertOnnxModel(
  loaded: LoadedModelArtifacts,
  options: OnnxModelCacheOptions,
): Promise<CachedOnnxModel> {
  const logger = options.logger ?? silentLogger;
  const size = { height: options.inputHeight, width: options.inputWidth };
  const key = onnxCacheKey(loaded.sha256, options.outputNode, size);
  const stem = `${loaded.name.replace(/[^A-Za-z0-9._-]/g, '_')}-${key.slice(0, 16)}`;
  const modelPath = join(options.cacheDir, `${stem}.onnx`);
  const entryPath = join(options.cacheDir, `${stem}.json`);

  const found = await lookup(modelPath, entryPath, key);
  if ('hit' in found) {
    logger.debug({ model: loaded.name, path: modelPath }, 'onnx model from cache');
    return found.hit;
  }
  if (found.miss !== 'not cached') {
    logger.warn(
      { model: loaded.name, path: modelPath, reason: found.miss },
      'onnx cache entry unusable; reconverting',
    );
  }

  const started = Date.now();
  const converted = await convertGraphModelToOnnx(loaded.artifacts, {
    outputNode: options.outputNode,
    ...(options.inputHeight === undefined ? {} : { inputHeight: options.inputHeight }),
    ...(options.inputWidth === undefined ? {} : { inputWidth: options.inputWidth }),
  });
  const entry: CacheEntry = {
    key,
    converterVersion: CONVERTER_VERSION,
    sourceSha256: loaded.sha256,
    outputNode: options.outputNode,
    inputName: converted.inputName,
    outputName: converted.outputName,
    inputShape: converted.inputShape,
    outputShape: converted.outputShape,
    ...(converted.dim === undefined ? {} : { dim: converted.dim }),
    opset: converted.opset,
    bytes: converted.bytes.byteLength,
    sha256: sha256(converted.bytes),
  };
  await mkdir(options.cacheDir, { recursive: true });
  // The model first, then the sidecar that vouches for it.
  await writeAtomically(modelPath, converted.bytes);
  await writeAtomically(entryPath, `${JSON.stringify(entry, null, 2)}\n`);
  logger.info(
    { model: loaded.name, path: modelPath, bytes: converted.bytes.byteLength, ms: Date.now() - started },
    'onnx model converted and cached',
  );
  return { ...converted, path: modelPath, key, fromCache: false };
}
