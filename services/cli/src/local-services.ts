import { join } from 'node:path';
import type { ProcessSpec } from './process-group';

/** The services of the pipeline, in the order the local stack starts them. */
export const LOCAL_SERVICES = ['producer', 'embedder', 'reducer', 'indexer', 'recommender'] as const;
export type LocalServiceName = (typeof LOCAL_SERVICES)[number];

/** Environment that keeps an indexer's FAISS/OpenBLAS to one thread: parallelism comes from processes. */
export const SINGLE_THREAD_ENV = {
  OMP_NUM_THREADS: '1',
  OPENBLAS_NUM_THREADS: '1',
  OMP_WAIT_POLICY: 'PASSIVE',
} as const;

/** Worker processes per service; the producer is always one. */
export interface WorkerCounts {
  embedders?: number;
  reducers?: number;
  indexers?: number;
  recommenders?: number;
}

/** Default worker processes: 2 embedders, 1 reducer, 2 indexers, 1 recommender. */
const DEFAULT_COUNTS = { embedders: 2, reducers: 1, indexers: 2, recommenders: 1 } as const;

function count(name: keyof WorkerCounts, value: number | undefined): number {
  const n = value ?? DEFAULT_COUNTS[name];
  if (!Number.isInteger(n) || n < 0 || n > 256)
    throw new Error(`${name}: expected an integer from 0 to 256, got ${n}`);
  return n;
}

/** Processes per service, defaults filled in; throws on a count that is not 0 to 256. */
export function serviceCounts(counts: WorkerCounts): Record<LocalServiceName, number> {
  return {
    producer: 1,
    embedder: count('embedders', counts.embedders),
    reducer: count('reducers', counts.reducers),
    indexer: count('indexers', counts.indexers),
    recommender: count('recommenders', counts.recommenders),
  };
}

/** The process name of the `i`-th (from 1) process of a service: `producer`, `embedder-1`, … */
export function processName(service: LocalServiceName, i: number): string {
  return service === 'producer' ? 'producer' : `${service}-${i}`;
}

/** Every process name of a stack with these counts, in start order. */
export function processNames(counts: WorkerCounts): string[] {
  const perService = serviceCounts(counts);
  return LOCAL_SERVICES.flatMap((service) =>
    Array.from({ length: perService[service] }, (_, i) => processName(service, i + 1)),
  );
}

/** Path of a service's entry point in the monorepo. */
export function serviceEntry(repoRoot: string, service: LocalServiceName): string {
  return join(repoRoot, 'services', service, 'dist', 'main.js');
}

export interface ServiceProcessOptions {
  repoRoot: string;
  service: LocalServiceName;
  /** Its process name (see `processName`). */
  name: string;
  port: number;
  /** The environment of every process of the stack. */
  env: NodeJS.ProcessEnv;
  /** On top of `env` and the single-thread settings: this service's own. */
  serviceEnv?: NodeJS.ProcessEnv;
}

/**
 * How to run one service process from the built monorepo: `node services/<service>/dist/main.js`
 * with the stack's environment, indexers kept to one BLAS thread, and its HTTP port.
 */
export function serviceProcess(options: ServiceProcessOptions): ProcessSpec {
  return {
    name: options.name,
    command: process.execPath,
    args: [serviceEntry(options.repoRoot, options.service)],
    cwd: options.repoRoot,
    env: {
      ...options.env,
      ...(options.service === 'indexer' ? SINGLE_THREAD_ENV : {}),
      ...options.serviceEnv,
      LOOKALIKE_HTTP_PORT: String(options.port),
    },
  };
}
