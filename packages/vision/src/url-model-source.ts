import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage, ModelLoadError } from './errors';
import type { ModelFormat, ModelSource } from './model-source';

export interface UrlModelSourceOptions {
  /** Name used in `modelId`; default: the name of the directory holding `model.json`. */
  name?: string;
  /** HTTP only: `fetch` implementation (default: global `fetch`). */
  fetch?: typeof fetch;
  /** HTTP only: timeout per request in ms (default 120 000). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const TFHUB_HOSTS = /(^|\.)(tfhub\.dev|kaggle\.com)$/i;

function sanitiseName(raw: string): string {
  const name = raw
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '_')
    .replace(/^[_.-]+|[_.-]+$/g, '');
  return name === '' ? 'graph_model' : name;
}

const isOnnx = (path: string): boolean => path.toLowerCase().endsWith('.onnx');

function notOnnx(location: string): never {
  throw new ModelLoadError(`${location}: is a TF.js graph model, not an .onnx file`);
}

function onnxOnly(location: string): never {
  throw new ModelLoadError(`${location}: is an .onnx file, not a TF.js graph model`);
}

function parseJson(text: string, location: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ModelLoadError(`${location}: model.json is not valid JSON`, {
      cause: err,
    });
  }
}

/**
 * A model on the local filesystem: a TF.js graph model (`file:///dir/model.json`, `file:///dir/` or a plain path)
 * or an ONNX file (`file:///dir/model.onnx`).
 */
export class FileModelSource implements ModelSource {
  readonly format: ModelFormat;
  readonly location: string;
  readonly name: string;
  private readonly modelJsonPath: string;

  constructor(spec: string, options: UrlModelSourceOptions = {}) {
    let path: string;
    try {
      path = /^file:\/\//i.test(spec) ? fileURLToPath(spec) : resolve(spec);
    } catch (err) {
      throw new ModelLoadError(`invalid file model URL '${spec}': ${errorMessage(err)}`, { cause: err });
    }
    this.format = isOnnx(path) ? 'onnx' : 'graph-model';
    const lower = path.toLowerCase();
    this.modelJsonPath =
      lower.endsWith('.json') || this.format === 'onnx' ? path : resolve(path, 'model.json');
    this.location = `file://${this.modelJsonPath}`;
    this.name =
      options.name ??
      sanitiseName(
        this.format === 'onnx'
          ? basename(path).slice(0, -'.onnx'.length)
          : basename(dirname(this.modelJsonPath)),
      );
  }

  async readOnnxModel(): Promise<Uint8Array> {
    if (this.format !== 'onnx') notOnnx(this.location);
    return this.read(this.modelJsonPath);
  }

  async readModelJson(): Promise<unknown> {
    if (this.format === 'onnx') onnxOnly(this.location);
    return parseJson(await this.read(this.modelJsonPath, 'utf8'), this.location);
  }

  async readWeightFile(path: string): Promise<Uint8Array> {
    const dir = dirname(this.modelJsonPath);
    const file = resolve(dir, path);
    const rel = relative(dir, file);
    if (isAbsolute(path) || rel.startsWith('..') || isAbsolute(rel)) {
      throw new ModelLoadError(`${this.location}: weight path '${path}' points outside the model directory`);
    }
    return this.read(file);
  }

  private async read(file: string): Promise<Buffer>;
  private async read(file: string, encoding: 'utf8'): Promise<string>;
  private async read(file: string, encoding?: 'utf8'): Promise<Buffer | string> {
    try {
      return encoding ? await readFile(file, encoding) : await readFile(file);
    } catch (err) {
      throw new ModelLoadError(`${this.location}: cannot read ${file}: ${errorMessage(err)}`, { cause: err });
    }
  }
}

/**
 * A TF.js graph model served over HTTP(S): `https://host/dir/model.json` or `https://host/dir/`. Weight shards
 * are fetched relative to model.json, keeping its query string (as TF.js's own http loader does, e.g. for
 * TF-Hub's `?tfjs-format=file`, which is added to a TF-Hub/Kaggle model directory URL that has no query).
 */
export class HttpModelSource implements ModelSource {
  readonly format: ModelFormat;
  readonly location: string;
  readonly name: string;
  private readonly modelJsonUrl: URL;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(spec: string, options: UrlModelSourceOptions = {}) {
    let url: URL;
    try {
      url = new URL(spec);
    } catch (err) {
      throw new ModelLoadError(`invalid model URL '${spec}': ${errorMessage(err)}`, { cause: err });
    }
    this.format = isOnnx(url.pathname) ? 'onnx' : 'graph-model';
    if (this.format === 'graph-model' && !url.pathname.toLowerCase().endsWith('.json')) {
      url.pathname = `${url.pathname.replace(/\/+$/, '')}/model.json`;
      // As TF.js's `loadGraphModel(url, { fromTFHub: true })`: TF-Hub (now Kaggle) serves files with this query.
      if (url.search === '' && TFHUB_HOSTS.test(url.hostname)) url.search = '?tfjs-format=file';
    }
    this.modelJsonUrl = url;
    this.location = url.toString();
    const segments = url.pathname.split('/').filter((s) => s !== '');
    const last = segments.at(-1) ?? '';
    this.name =
      options.name ??
      sanitiseName(
        this.format === 'onnx' ? last.slice(0, -'.onnx'.length) : (segments.at(-2) ?? url.hostname),
      );
    this.fetchImpl = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async readOnnxModel(): Promise<Uint8Array> {
    if (this.format !== 'onnx') notOnnx(this.location);
    return this.get(this.modelJsonUrl);
  }

  async readModelJson(): Promise<unknown> {
    if (this.format === 'onnx') onnxOnly(this.location);
    const bytes = await this.get(this.modelJsonUrl);
    return parseJson(Buffer.from(bytes).toString('utf8'), this.location);
  }

  async readWeightFile(path: string): Promise<Uint8Array> {
    const url = new URL(path, this.modelJsonUrl);
    if (url.search === '') url.search = this.modelJsonUrl.search;
    return this.get(url);
  }

  private async get(url: URL): Promise<Uint8Array> {
    let res: Response;
    try {
      res = await this.fetchImpl(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw new ModelLoadError(`cannot fetch ${url.toString()}: ${errorMessage(err)}`, { cause: err });
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new ModelLoadError(`cannot fetch ${url.toString()}: HTTP ${res.status} ${res.statusText}`);
    }
    try {
      return new Uint8Array(await res.arrayBuffer());
    } catch (err) {
      throw new ModelLoadError(`cannot read the body of ${url.toString()}: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  }
}
