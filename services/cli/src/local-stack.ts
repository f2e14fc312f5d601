import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, startRedisServer, type RedisServer } from '@lookalike/local-servers';
import { waitForHealthy } from './health';
import { ProcessGroup, type OutputStreamName, type ProcessEvent } from './process-group';
import { findRepoRoot } from './repo-root';

export const LOCAL_SERVICES = ['producer', 'embedder', 'reducer', 'indexer', 'recommender'] as const;
export type LocalServiceName = (typeof LOCAL_SERVICES)[number];

/** Environment that keeps an indexer's FAISS/OpenBLAS to one thread: parallelism comes from processes. */
export const SINGLE_THREAD_ENV = {
  OMP_NUM_THREADS: '1',
  OPENBLAS_NUM_THREADS: '1',
  OMP_WAIT_POLICY: 'PASSIVE',
} as const;

export interface LocalStackOptions {
  /** Worker processes per service. Defaults 2 embedders, 1 reducer, 2 indexers, 1 recommender; 0 runs none. */
  embedders?: number;
  reducers?: number;
  indexers?: number;
  recommenders?: number;
  /** The producer's HTTP port. Default: a free port (the `lookalike local` command defaults to 8080). */
  port?: number;
  /** Where rebuild outputs go (`LOOKALIKE_STORAGE_URL=file://…`). Default `<cwd>/.lookalike/storage`. */
  storageDir?: string;
  /**
   * Store rebuild outputs here instead (e.g. `s3://bucket/prefix`, with LOOKALIKE_S3_* in `env`);
   * `storageDir` then only holds the local Redis's data.
   */
  storageUrl?: string;
  /** Use this Redis instead of starting one. */
  redisUrl?: string;
  /**
   * Folders (or `s3://` prefixes) rebuilds may read their inputs from, besides the storage: added to
   * LOOKALIKE_ALLOWED_LOCATIONS of every process. Paths are made absolute.
   */
  allowedLocations?: string[];
  /** Data folder of the Redis started here (append-only file). Default `<storageDir>/../redis`. */
  redisDir?: string;
  /** The monorepo root holding `services/<name>/dist/main.js`. Default: found from this file. */
  repoRoot?: string;
  /** Extra environment for every process, on top of `process.env` (e.g. LOG_LEVEL, LOOKALIKE_MODEL_URL). */
  env?: NodeJS.ProcessEnv;
  /** Extra environment per service. */
  serviceEnv?: Partial<Record<LocalServiceName, NodeJS.ProcessEnv>>;
  /** Each output line of each process. Default: discarded (the CLI passes a printer). */
  onLine?: (name: string, line: string, stream: OutputStreamName) => void;
  /** Start, exit, restart and give-up events of each process. */
  onEvent?: (event: ProcessEvent) => void;
  /** How long to wait for the producer (and workers) to answer /healthz. Default 60 s. */
  healthTimeoutMs?: number;
  /** Also wait for every worker's /healthz before resolving. Default true. */
  waitForWorkers?: boolean;
  /** Aborting it during start-up stops whatever was started and rejects. */
  signal?: AbortSignal;
  /** Supervision: see ProcessGroupOptions. */
  restartDelayMs?: number;
  maxRestarts?: number;
  stopTimeoutMs?: number;
}

export interface LocalStack {
  /** The producer's API, e.g. `http://127.0.0.1:8080`. */
  apiUrl: string;
  redisUrl: string;
  /** Absolute path of the storage folder. */
  storageDir: string;
  /** The storage URL the services use: `file:///…` of `storageDir`, or `options.storageUrl`. */
  storageUrl: string;
  /** Current name and pid of every process (pids change on restart). */
  readonly processes: { name: string; pid: number | undefined }[];
  /** `/healthz` URL of every process, by name. */
  healthUrls: Record<string, string>;
  /** The supervisor: `signal(name, 'SIGKILL')` to simulate a crash, `recentOutput(name)` for diagnostics. */
  group: ProcessGroup;
  /** Resolves when every worker answers /healthz. */
  waitForWorkers(timeoutMs?: number): Promise<void>;
  /** SIGTERM to every process, waits for them (they finish their active jobs), then stops the Redis started here. */
  stop(): Promise<void>;
}

/** Path of a service's entry point in the monorepo. */
export function serviceEntry(repoRoot: string, service: LocalServiceName): string {
  return join(repoRoot, 'services', service, 'dist', 'main.js');
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

/**
 * A redis-server launcher that puts Redis in its own session (`setsid`, same pid), so that
 * Ctrl-C in the terminal does not shut Redis down while the workers are still finishing their
 * jobs; the stack stops it last. Undefined when `setsid` is not available.
 */
async function detachedRedisLauncher(dir: string): Promise<string | undefined> {
  const setsid = which('setsid');
  if (!setsid) return undefined;
  const real = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  const path = join(dir, 'redis-server-detached.sh');
  await writeFile(path, `#!/bin/sh\nexec ${shellQuote(setsid)} ${shellQuote(real)} "$@"\n`);
  await chmod(path, 0o755);
  return path;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', () => resolvePromise(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePromise(true)));
  });
}

function count(name: string, value: number | undefined, fallback: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > 256)
    throw new Error(`${name}: expected an integer from 0 to 256, got ${n}`);
  return n;
}

/**
 * Local mode: runs the whole pipeline on this machine as separate OS processes — a Redis (unless
 * `redisUrl` is given), one producer and N embedders, reducers and indexers from the built
 * `services/<name>/dist/main.js` — all sharing a storage folder. Resolves once the producer (and,
 * by default, every worker) answers /healthz; rejects, having stopped everything, when one cannot
 * start.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  options.signal?.throwIfAborted();
  const counts: Record<LocalServiceName, number> = {
    producer: 1,
    embedder: count('embedders', options.embedders, 2),
    reducer: count('reducers', options.reducers, 1),
    indexer: count('indexers', options.indexers, 2),
    recommender: count('recommenders', options.recommenders, 1),
  };
  const repoRoot = options.repoRoot ?? findRepoRoot();
  const missing = LOCAL_SERVICES.filter((s) => counts[s] > 0 && !existsSync(serviceEntry(repoRoot, s)));
  if (missing.length > 0) {
    throw new Error(
      `not built: ${missing.map((s) => serviceEntry(repoRoot, s)).join(', ')} — run \`pnpm build\` first` +
        (missing.some((s) => s !== 'producer') ? ' (or run 0 of a service that does not exist yet)' : ''),
    );
  }
  if (options.port !== undefined && options.port !== 0 && !(await portIsFree(options.port))) {
    throw new Error(
      `port ${options.port} on 127.0.0.1 is in use (another \`lookalike local\`?): choose another port`,
    );
  }
  const storageDir = resolve(options.storageDir ?? join(process.cwd(), '.lookalike', 'storage'));
  const storageUrl = options.storageUrl ?? pathToFileURL(storageDir).href;
  await mkdir(storageDir, { recursive: true });

  let redis: RedisServer | undefined;
  let redisUrl = options.redisUrl;
  if (redisUrl === undefined) {
    const dir = resolve(options.redisDir ?? join(storageDir, '..', 'redis'));
    await mkdir(dir, { recursive: true });
    const binary = await detachedRedisLauncher(dir);
    redis = await startRedisServer({ dir, appendOnly: true, ...(binary ? { binary } : {}) });
    redisUrl = redis.url;
  }

  const startup = new AbortController();
  const onAbort = () => startup.abort(new Error('start-up interrupted'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const group = new ProcessGroup({
    restartDelayMs: options.restartDelayMs,
    maxRestarts: options.maxRestarts,
    stopTimeoutMs: options.stopTimeoutMs,
    onLine: options.onLine,
    onEvent: (event) => {
      options.onEvent?.(event);
      if (event.type === 'gave-up' && !startup.signal.aborted) {
        const tail = group.lastRunOutput(event.name).slice(-20).join('\n');
        startup.abort(
          new Error(
            `${event.name} could not start (gave up after ${event.restarts} restarts)${tail ? `; its last output:\n${tail}` : ''}`,
          ),
        );
      }
    },
  });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await group.stop();
      await redis?.stop();
    })();
    return stopping;
  };

  const healthUrls: Record<string, string> = {};
  try {
    const producerPort = options.port === undefined || options.port === 0 ? await freePort() : options.port;
    const apiUrl = `http://127.0.0.1:${producerPort}`;
    const inherited = { ...process.env, ...options.env };
    const allowed = [
      ...(inherited.LOOKALIKE_ALLOWED_LOCATIONS ?? '').split(',').filter((l) => l.trim() !== ''),
      ...(options.allowedLocations ?? []).map((l) =>
        /^[a-z0-9]+:/i.test(l) ? l : pathToFileURL(resolve(l)).href,
      ),
    ];
    const baseEnv: NodeJS.ProcessEnv = {
      ...inherited,
      ...(allowed.length > 0 ? { LOOKALIKE_ALLOWED_LOCATIONS: allowed.join(',') } : {}),
      LOOKALIKE_REDIS_URL: redisUrl,
      LOOKALIKE_STORAGE_URL: storageUrl,
      LOOKALIKE_HTTP_HOST: '127.0.0.1',
    };
    for (const service of LOCAL_SERVICES) {
      for (let i = 1; i <= counts[service]; i++) {
        const name = service === 'producer' ? 'producer' : `${service}-${i}`;
        const port = service === 'producer' ? producerPort : await freePort();
        healthUrls[name] = `http://127.0.0.1:${port}/healthz`;
        group.start({
          name,
          command: process.execPath,
          args: [serviceEntry(repoRoot, service)],
          cwd: repoRoot,
          env: {
            ...baseEnv,
            ...(service === 'indexer' ? SINGLE_THREAD_ENV : {}),
            ...options.serviceEnv?.[service],
            LOOKALIKE_HTTP_PORT: String(port),
          },
        });
      }
    }
    const timeoutMs = options.healthTimeoutMs ?? 60_000;
    const waitForWorkers = async (workerTimeoutMs = timeoutMs, signal?: AbortSignal) => {
      const workers = Object.entries(healthUrls).filter(([name]) => name !== 'producer');
      await Promise.all(workers.map(([, url]) => waitForHealthy(url, workerTimeoutMs, { signal })));
    };
    await waitForHealthy(healthUrls.producer!, timeoutMs, { signal: startup.signal });
    if (options.waitForWorkers ?? true) await waitForWorkers(timeoutMs, startup.signal);
    // From here on, a process that gives up is reported through onEvent only.
    options.signal?.removeEventListener('abort', onAbort);
    startup.abort(new Error('started'));
    return {
      apiUrl,
      redisUrl,
      storageDir,
      storageUrl,
      get processes() {
        return group.processes.map(({ name, pid }) => ({ name, pid }));
      },
      healthUrls,
      group,
      waitForWorkers: (ms) => waitForWorkers(ms),
      stop,
    };
  } catch (err) {
    options.signal?.removeEventListener('abort', onAbort);
    const reason =
      startup.signal.aborted && startup.signal.reason instanceof Error ? startup.signal.reason : err;
    startup.abort(new Error('start-up failed'));
    await stop();
    throw reason;
  }
}
