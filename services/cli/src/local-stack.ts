import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, portIsFree, type RedisServer } from '@lookalike/local-servers';
import { waitForHealthy } from './health';
import { startLocalRedis } from './local-redis';
import {
  LOCAL_SERVICES,
  processName,
  serviceCounts,
  serviceEntry,
  serviceProcess,
  type LocalServiceName,
  type WorkerCounts,
} from './local-services';
import { ProcessGroup, type ProcessGroupOptions } from './process-group';
import { findRepoRoot } from './repo-root';

/**
 * Worker counts: 0 runs none of a service (see `serviceCounts` for the defaults); supervision
 * (`onLine`, `onEvent`, restarts, stop timeout): see ProcessGroupOptions.
 */
export interface LocalStackOptions
  extends
    WorkerCounts,
    Pick<ProcessGroupOptions, 'onLine' | 'onEvent' | 'restartDelayMs' | 'maxRestarts' | 'stopTimeoutMs'> {
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
  /** How long to wait for the producer (and workers) to answer /healthz. Default 60 s. */
  healthTimeoutMs?: number;
  /** Also wait for every worker's /healthz before resolving. Default true. */
  waitForWorkers?: boolean;
  /** Aborting it during start-up stops whatever was started and rejects. */
  signal?: AbortSignal;
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

/** Throws, naming the entry points, when a service that is to run has not been built. */
function assertBuilt(repoRoot: string, counts: Record<LocalServiceName, number>): void {
  const missing = LOCAL_SERVICES.filter((s) => counts[s] > 0 && !existsSync(serviceEntry(repoRoot, s)));
  if (missing.length === 0) return;
  throw new Error(
    `not built: ${missing.map((s) => serviceEntry(repoRoot, s)).join(', ')} — run \`pnpm build\` first` +
      (missing.some((s) => s !== 'producer') ? ' (or run 0 of a service that does not exist yet)' : ''),
  );
}

/** Throws when a fixed producer port is taken (before anything is started). */
async function assertPortFree(port: number | undefined): Promise<void> {
  if (port === undefined || port === 0 || (await portIsFree(port))) return;
  throw new Error(`port ${port} on 127.0.0.1 is in use (another \`lookalike local\`?): choose another port`);
}

/** The environment every process of the stack shares. */
function stackEnvironment(
  options: LocalStackOptions,
  redisUrl: string,
  storageUrl: string,
): NodeJS.ProcessEnv {
  const inherited = { ...process.env, ...options.env };
  const allowed = [
    ...(inherited.LOOKALIKE_ALLOWED_LOCATIONS ?? '').split(',').filter((l) => l.trim() !== ''),
    ...(options.allowedLocations ?? []).map((l) =>
      /^[a-z0-9]+:/i.test(l) ? l : pathToFileURL(resolve(l)).href,
    ),
  ];
  return {
    ...inherited,
    ...(allowed.length > 0 ? { LOOKALIKE_ALLOWED_LOCATIONS: allowed.join(',') } : {}),
    LOOKALIKE_REDIS_URL: redisUrl,
    LOOKALIKE_STORAGE_URL: storageUrl,
    LOOKALIKE_HTTP_HOST: '127.0.0.1',
  };
}

/** The supervisor; a process that gives up during start-up aborts `startup` with its last output. */
function createSupervisor(options: LocalStackOptions, startup: AbortController): ProcessGroup {
  const group: ProcessGroup = new ProcessGroup({
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
  return group;
}

interface ServicesPlan {
  repoRoot: string;
  counts: Record<LocalServiceName, number>;
  producerPort: number;
  env: NodeJS.ProcessEnv;
  serviceEnv: LocalStackOptions['serviceEnv'];
}

/** Starts every service process in order, each on a port of its own; returns their /healthz URLs by name. */
async function startServices(group: ProcessGroup, plan: ServicesPlan): Promise<Record<string, string>> {
  const healthUrls: Record<string, string> = {};
  for (const service of LOCAL_SERVICES) {
    for (let i = 1; i <= plan.counts[service]; i++) {
      const name = processName(service, i);
      const port = service === 'producer' ? plan.producerPort : await freePort();
      healthUrls[name] = `http://127.0.0.1:${port}/healthz`;
      group.start(
        serviceProcess({
          repoRoot: plan.repoRoot,
          service,
          name,
          port,
          env: plan.env,
          serviceEnv: plan.serviceEnv?.[service],
        }),
      );
    }
  }
  return healthUrls;
}

/** Resolves when every worker (not the producer) answers /healthz. */
function waitForWorkersOf(healthUrls: Record<string, string>, timeoutMs: number, signal?: AbortSignal) {
  const workers = Object.entries(healthUrls).filter(([name]) => name !== 'producer');
  return Promise.all(workers.map(([, url]) => waitForHealthy(url, timeoutMs, { signal }))).then(
    () => undefined,
  );
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
  const counts = serviceCounts(options);
  const repoRoot = options.repoRoot ?? findRepoRoot();
  assertBuilt(repoRoot, counts);
  await assertPortFree(options.port);
  const storageDir = resolve(options.storageDir ?? join(process.cwd(), '.lookalike', 'storage'));
  const storageUrl = options.storageUrl ?? pathToFileURL(storageDir).href;
  await mkdir(storageDir, { recursive: true });
  const redis: RedisServer | undefined =
    options.redisUrl === undefined
      ? await startLocalRedis(resolve(options.redisDir ?? join(storageDir, '..', 'redis')))
      : undefined;
  const redisUrl = options.redisUrl ?? redis!.url;

  const startup = new AbortController();
  const onAbort = () => startup.abort(new Error('start-up interrupted'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const group = createSupervisor(options, startup);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await group.stop();
      await redis?.stop();
    })();
    return stopping;
  };

  try {
    const producerPort = options.port === undefined || options.port === 0 ? await freePort() : options.port;
    const env = stackEnvironment(options, redisUrl, storageUrl);
    const plan = { repoRoot, counts, producerPort, env, serviceEnv: options.serviceEnv };
    const healthUrls = await startServices(group, plan);
    const timeoutMs = options.healthTimeoutMs ?? 60_000;
    await waitForHealthy(healthUrls.producer!, timeoutMs, { signal: startup.signal });
    if (options.waitForWorkers ?? true) await waitForWorkersOf(healthUrls, timeoutMs, startup.signal);
    // From here on, a process that gives up is reported through onEvent only.
    options.signal?.removeEventListener('abort', onAbort);
    startup.abort(new Error('started'));
    return {
      apiUrl: `http://127.0.0.1:${producerPort}`,
      redisUrl,
      storageDir,
      storageUrl,
      get processes() {
        return group.processes.map(({ name, pid }) => ({ name, pid }));
      },
      healthUrls,
      group,
      waitForWorkers: (ms = timeoutMs) => waitForWorkersOf(healthUrls, ms),
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
