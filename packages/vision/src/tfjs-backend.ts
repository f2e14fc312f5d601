import { type Logger, silentLogger } from '@lookalike/core';
import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError, errorMessage } from './errors';

/** A TF.js backend this package knows how to start. */
export type TfjsBackendName = 'tensorflow' | 'wasm' | 'cpu';

/** `auto` tries `tensorflow` (tfjs-node-gpu, then tfjs-node), then `wasm`, then `cpu`. */
export type TfjsBackendChoice = 'auto' | TfjsBackendName;

export const TFJS_BACKEND_CHOICES: readonly TfjsBackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/** Native bindings, tried in this order for the `tensorflow` backend. Optional: usually absent. */
export const TFJS_NODE_PACKAGES: readonly string[] = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';

export interface TfjsBackendInfo {
  name: TfjsBackendName;
  /** What provides it, e.g. `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-backend-wasm (SIMD)`. */
  provider: string;
  /** True when the active backend runs on a GPU (tfjs-node-gpu with a visible device). */
  gpu: boolean;
}

export interface InitBackendOptions {
  logger?: Logger;
  /** Module loader; tests replace it to simulate installed or broken native bindings. */
  requireModule?: (id: string) => unknown;
}

type Attempt = { ok: true; info: TfjsBackendInfo } | { ok: false; reason: string };

export function isTfjsBackendChoice(value: string): value is TfjsBackendChoice {
  return (TFJS_BACKEND_CHOICES as readonly string[]).includes(value);
}

/** True when `err` says that `id` itself (not one of its dependencies) is not installed. */
function isMissingModule(err: unknown, id: string): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return e?.code === 'MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`'${id}'`);
}

async function tryTensorflow(requireModule: (id: string) => unknown, logger: Logger): Promise<Attempt> {
  const reasons: string[] = [];
  for (const pkg of TFJS_NODE_PACKAGES) {
    try {
      requireModule(pkg); // registers the 'tensorflow' backend as a side effect
    } catch (err) {
      if (isMissingModule(err, pkg)) {
        logger.debug({ package: pkg }, 'native TF.js binding not installed');
        reasons.push(`${pkg} is not installed`);
      } else {
        logger.warn(
          { package: pkg, err: errorMessage(err) },
          'native TF.js binding is installed but failed to load',
        );
        reasons.push(`${pkg} failed to load: ${errorMessage(err)}`);
      }
      continue;
    }
    if (tf.findBackendFactory('tensorflow') == null) {
      reasons.push(
        `${pkg} loaded but registered no 'tensorflow' backend with this @tensorflow/tfjs (version mismatch?)`,
      );
      continue;
    }
    if (await tf.setBackend('tensorflow')) {
      // tfjs-node-gpu exposes whether libtensorflow found a CUDA device; tfjs-node never does.
      const gpu = (tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true;
      return { ok: true, info: { name: 'tensorflow', provider: pkg, gpu } };
    }
    reasons.push(`${pkg}: the 'tensorflow' backend failed to initialise`);
  }
  return { ok: false, reason: reasons.join('; ') };
}

async function tryWasm(requireModule: (id: string) => unknown): Promise<Attempt> {
  try {
    requireModule(WASM_PACKAGE); // registers the 'wasm' backend as a side effect
  } catch (err) {
    return { ok: false, reason: `${WASM_PACKAGE} failed to load: ${errorMessage(err)}` };
  }
  if (!(await tf.setBackend('wasm'))) return { ok: false, reason: 'the wasm backend failed to initialise' };
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return {
    ok: true,
    info: { name: 'wasm', provider: `${WASM_PACKAGE} (${simd ? 'SIMD' : 'no SIMD'}, 1 thread)`, gpu: false },
  };
}

async function tryCpu(): Promise<Attempt> {
  if (await tf.setBackend('cpu'))
    return { ok: true, info: { name: 'cpu', provider: '@tensorflow/tfjs-backend-cpu', gpu: false } };
  return { ok: false, reason: 'the cpu backend failed to initialise' };
}

async function attempt(
  name: TfjsBackendName,
  requireModule: (id: string) => unknown,
  logger: Logger,
): Promise<Attempt> {
  switch (name) {
    case 'tensorflow':
      return tryTensorflow(requireModule, logger);
    case 'wasm':
      return tryWasm(requireModule);
    case 'cpu':
      return tryCpu();
  }
}

// TF.js keeps one active backend per process (per module instance): serialise switches.
let pending: Promise<unknown> = Promise.resolve();

/**
 * Activates a TF.js backend for this process and returns which one is active.
 *
 * The active backend is process-wide state in TF.js: every model in the process runs on it. `auto` never
 * throws for a missing optional binding; an explicit choice that cannot start throws `BackendUnavailableError`.
 */
export function initTfjsBackend(
  choice: TfjsBackendChoice = 'auto',
  options: InitBackendOptions = {},
): Promise<TfjsBackendInfo> {
  const run = pending.then(() => initBackendNow(choice, options));
  pending = run.catch(() => undefined);
  return run;
}

async function initBackendNow(
  choice: TfjsBackendChoice,
  options: InitBackendOptions,
): Promise<TfjsBackendInfo> {
  const logger = options.logger ?? silentLogger;
  const requireModule = options.requireModule ?? ((id: string) => require(id) as unknown);
  if (!isTfjsBackendChoice(choice)) {
    throw new BackendUnavailableError(
      String(choice),
      `unknown backend '${String(choice)}' (expected one of ${TFJS_BACKEND_CHOICES.join(', ')})`,
    );
  }
  const order: TfjsBackendName[] = choice === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [choice];
  const reasons: string[] = [];
  for (const name of order) {
    const result = await attempt(name, requireModule, logger);
    if (result.ok) {
      await tf.ready();
      logger.info(
        { backend: result.info.name, provider: result.info.provider, requested: choice },
        'TF.js backend selected',
      );
      return result.info;
    }
    reasons.push(`${name}: ${result.reason}`);
    if (choice === 'auto')
      logger.debug({ backend: name, reason: result.reason }, 'TF.js backend unavailable, trying the next');
  }
  throw new BackendUnavailableError(
    choice,
    `TF.js backend '${choice}' is unavailable: ${reasons.join(' | ')}`,
  );
}
