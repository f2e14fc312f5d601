import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { errorMessage, ModelLoadError } from './errors';
import type { ModelSource } from './model-source';

/** Bundled models: spec name → directory under the nsfwjs package. */
const BUNDLED_MODELS: Readonly<Record<string, string>> = {
  // TF-Hub MobileNetV2-1.4 224 feature vector (+ nsfw classifier head), uint8-quantized graph model.
  mobilenet_v2_140_224: 'dist/models/mobilenet_v2_mid',
};

export const BUNDLED_MODEL_NAMES: readonly string[] = Object.keys(BUNDLED_MODELS);

const SHARD_PATH = /^group\d+-shard\d+of\d+$/;
const EVAL_TIMEOUT_MS = 30_000;

/**
 * Root directory of the installed nsfwjs package. Its `exports` field blocks `nsfwjs/package.json` and deep
 * paths, so resolve the main entry and walk up to the directory whose package.json is nsfwjs's.
 */
export function locateNsfwjsPackage(): { dir: string; version: string } {
  let entry: string;
  try {
    entry = require.resolve('nsfwjs');
  } catch (err) {
    throw new ModelLoadError(
      `cannot locate the nsfwjs package that ships the bundled model: ${errorMessage(err)}`,
      { cause: err },
    );
  }
  for (let dir = dirname(entry); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'nsfwjs') return { dir, version: String(pkg.version) };
    } catch {
      // no package.json here (or a nested one without a name): keep walking up
    }
    if (dirname(dir) === dir) break;
  }
  throw new ModelLoadError(`cannot find the nsfwjs package root above ${entry}`);
}

/**
 * Evaluates one of nsfwjs's browserify UMD model files and returns its `module.exports`. The code runs in a
 * fresh `vm` context that holds only `module` and `exports` (no `require`, `process` or Node globals); the
 * result is copied out of that realm by the caller.
 */
function evaluateUmd(code: string, filename: string): unknown {
  const mod: { exports: unknown } = { exports: {} };
  const context = vm.createContext({ module: mod, exports: mod.exports });
  vm.runInContext(code, context, { filename, timeout: EVAL_TIMEOUT_MS });
  return mod.exports;
}

/** Reads the graph models that nsfwjs@4.4.0 ships as UMD modules (`model.min.js`, `group1-shard*.min.js`). */
export class BundledModelSource implements ModelSource {
  readonly format = 'graph-model' as const;
  readonly location: string;
  private readonly dir: string;

  constructor(readonly name: string) {
    const subdir = BUNDLED_MODELS[name];
    if (subdir === undefined) {
      throw new ModelLoadError(`unknown bundled model '${name}' (known: ${BUNDLED_MODEL_NAMES.join(', ')})`);
    }
    this.location = `bundled:${name}`;
    this.dir = join(locateNsfwjsPackage().dir, subdir);
  }

  readOnnxModel(): Promise<Uint8Array> {
    return Promise.reject(new ModelLoadError(`${this.location}: is a TF.js graph model, not an .onnx file`));
  }

  async readModelJson(): Promise<unknown> {
    const exported = await this.evaluate('model.min.js');
    if (typeof exported !== 'object' || exported === null) {
      throw new ModelLoadError(`${this.location}: model.min.js did not export a model JSON object`);
    }
    // Copy out of the vm realm into plain objects of this realm.
    return JSON.parse(JSON.stringify(exported)) as unknown;
  }

  async readWeightFile(path: string): Promise<Uint8Array> {
    if (!SHARD_PATH.test(path))
      throw new ModelLoadError(`${this.location}: unexpected weight shard path '${path}'`);
    const exported = await this.evaluate(`${path}.min.js`);
    if (typeof exported !== 'string' || exported.length === 0) {
      throw new ModelLoadError(`${this.location}: ${path}.min.js did not export base64 weight data`);
    }
    return Buffer.from(exported, 'base64');
  }

  private async evaluate(file: string): Promise<unknown> {
    const path = join(this.dir, file);
    let code: string;
    try {
      if (!(await stat(path)).isFile()) throw new Error('not a file');
      code = await readFile(path, 'utf8');
    } catch (err) {
      throw new ModelLoadError(`${this.location}: cannot read ${path}: ${errorMessage(err)}`, { cause: err });
    }
    try {
      return evaluateUmd(code, path);
    } catch (err) {
      throw new ModelLoadError(`${this.location}: cannot evaluate ${path}: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  }
}
