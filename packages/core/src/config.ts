import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { apiTokensSchema, sha256HexSchema, type ApiToken } from './api-tokens';
import { allowedLocationsSchema } from './location-policy';
import { allowedModelHostsSchema } from './model-url-policy';

/** Environment-variable names, in one place so error messages and docs agree. */
export const ENV = {
  redisUrl: 'LOOKALIKE_REDIS_URL',
  queuePrefix: 'LOOKALIKE_QUEUE_PREFIX',
  storageUrl: 'LOOKALIKE_STORAGE_URL',
  s3Endpoint: 'LOOKALIKE_S3_ENDPOINT',
  s3Region: 'LOOKALIKE_S3_REGION',
  s3AccessKeyId: 'LOOKALIKE_S3_ACCESS_KEY_ID',
  s3SecretAccessKey: 'LOOKALIKE_S3_SECRET_ACCESS_KEY',
  s3ForcePathStyle: 'LOOKALIKE_S3_FORCE_PATH_STYLE',
  modelUrl: 'LOOKALIKE_MODEL_URL',
  backend: 'LOOKALIKE_BACKEND',
  modelOutput: 'LOOKALIKE_MODEL_OUTPUT',
  modelCacheDir: 'LOOKALIKE_MODEL_CACHE_DIR',
  threads: 'LOOKALIKE_THREADS',
  concurrency: 'LOOKALIKE_CONCURRENCY',
  lockMs: 'LOOKALIKE_LOCK_MS',
  stalledIntervalMs: 'LOOKALIKE_STALLED_INTERVAL_MS',
  retryBudgetMs: 'LOOKALIKE_RETRY_BUDGET_MS',
  httpHost: 'LOOKALIKE_HTTP_HOST',
  httpPort: 'LOOKALIKE_HTTP_PORT',
  dashboardUser: 'LOOKALIKE_DASHBOARD_USER',
  dashboardPassword: 'LOOKALIKE_DASHBOARD_PASSWORD',
  dashboardReadOnly: 'LOOKALIKE_DASHBOARD_READ_ONLY',
  apiTokens: 'LOOKALIKE_API_TOKENS',
  metricsToken: 'LOOKALIKE_METRICS_TOKEN',
  allowedLocations: 'LOOKALIKE_ALLOWED_LOCATIONS',
  allowedModelHosts: 'LOOKALIKE_ALLOWED_MODEL_HOSTS',
  logLevel: 'LOG_LEVEL',
  blasCoreType: 'LOOKALIKE_BLAS_CORETYPE',
} as const;

export const DEFAULT_MODEL_URL = 'bundled:mobilenet_v2_140_224';
/** Inference runtimes of the embedder: `auto` = a working GPU, then ONNX Runtime CPU, then wasm, then cpu. */
export const BACKENDS = ['auto', 'onnx', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];
/** `auto` (pick where OpenBLAS falls back to a generic core), `off` (library default) or an OpenBLAS core name. */
export type BlasCoreTypeSetting = 'auto' | 'off' | (string & {});

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const redisUrl = z
  .string()
  .refine((v) => /^rediss?:\/\/[^\s]+$/.test(v), { message: 'expected a redis:// or rediss:// URL' });

const storageUrl = z.string().refine((v) => /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(v) || /^file:\/\/\/.*/.test(v), {
  message: 'expected s3://bucket[/prefix] or file:///absolute/path',
});

const modelUrl = z.string().refine((v) => /^(bundled:[\w.-]+|file:\/\/\/.+|https?:\/\/.+)$/.test(v), {
  message: 'expected bundled:<name>, file:///path/model.json|model.onnx or http(s)://…/model.json|model.onnx',
});

const port = z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65535);

/** The schema of the environment, keyed by variable name. */
const envSchema = z.object({
  [ENV.redisUrl]: redisUrl.default('redis://127.0.0.1:6379'),
  [ENV.queuePrefix]: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'expected letters, digits, _ or -')
    .default('lookalike'),
  [ENV.storageUrl]: storageUrl.optional(),
  [ENV.s3Endpoint]: optionalString.pipe(z.url({ message: 'expected an http(s) URL' }).optional()),
  [ENV.s3Region]: z.string().min(1).default('us-east-1'),
  [ENV.s3AccessKeyId]: optionalString,
  [ENV.s3SecretAccessKey]: optionalString,
  [ENV.s3ForcePathStyle]: booleanFlag.optional(),
  [ENV.modelUrl]: modelUrl.default(DEFAULT_MODEL_URL),
  [ENV.backend]: z.enum(BACKENDS, { message: `expected one of ${BACKENDS.join(', ')}` }).default('auto'),
  [ENV.modelOutput]: optionalString,
  [ENV.modelCacheDir]: optionalString.pipe(
    z.string().startsWith('/', { message: 'expected an absolute path' }).optional(),
  ),
  [ENV.threads]: z.coerce.number({ message: 'expected an integer' }).int().min(1).max(256).default(1),
  [ENV.concurrency]: z.coerce.number({ message: 'expected an integer' }).int().min(1).max(256).default(1),
  [ENV.lockMs]: z.coerce.number({ message: 'expected milliseconds' }).int().min(1000).default(60_000),
  [ENV.stalledIntervalMs]: z.coerce.number({ message: 'expected milliseconds' }).int().min(500).default(30_000),
  [ENV.retryBudgetMs]: z.coerce.number({ message: 'expected milliseconds' }).int().min(0).default(600_000),
  [ENV.httpHost]: z.string().min(1).default('127.0.0.1'),
  [ENV.httpPort]: port.default(8080),
  [ENV.dashboardUser]: optionalString,
  [ENV.dashboardPassword]: optionalString,
  [ENV.dashboardReadOnly]: booleanFlag.default(false),
  [ENV.apiTokens]: apiTokensSchema.default([]),
  [ENV.metricsToken]: sha256HexSchema.optional(),
  [ENV.allowedLocations]: allowedLocationsSchema.default([]),
  [ENV.allowedModelHosts]: allowedModelHostsSchema.default([]),
  [ENV.logLevel]: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  [ENV.blasCoreType]: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{1,31}$/, 'expected auto, off or an OpenBLAS core name such as SkylakeX')
    .default('auto'),
});

export interface S3Settings {
  endpoint?: string;
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
}

/** The project's one typed configuration. Every service reads it with `loadConfig()`. */
export interface Config {
  redisUrl: string;
  queuePrefix: string;
  /** `file:///abs/path` or `s3://bucket/prefix`. */
  storageUrl: string;
  s3: S3Settings;
  modelUrl: string;
  backend: BackendChoice;
  /** Graph node (TF.js) or output name (ONNX) that holds the embedding; default: the model's feature vector. */
  modelOutput?: string;
  /** Where converted ONNX models are cached; default `~/.cache/lookalike/models`. */
  modelCacheDir?: string;
  /** ONNX Runtime intra-op threads per embedder process (CPU). */
  threads: number;
  concurrency: number;
  /**
   * How long a worker's job lock lasts (renewed every half of it while the job runs). A worker that
   * dies loses its jobs' locks after this, and another worker redoes them.
   */
  lockMs: number;
  /** How often workers look for jobs whose lock expired (stalled jobs). */
  stalledIntervalMs: number;
  /**
   * How long a job keeps retrying transient failures (storage or Redis away, network), counted in
   * backoff time; then it fails. Default 10 minutes: long enough to ride out a restart of either.
   */
  retryBudgetMs: number;
  http: { host: string; port: number };
  /** Bull dashboard at /admin/queues: Basic auth credentials, and whether it may pause/retry/remove jobs. */
  dashboard: { user?: string; password?: string; readOnly: boolean };
  /** Bearer tokens of the API, as configured (name, SHA-256, access); see api-tokens.ts. */
  apiTokens: ApiToken[];
  /** SHA-256 hex of the scrape token of every `/metrics`; without it `/metrics` answers loopback peers only. */
  metricsTokenSha256?: string;
  /** Roots rebuild inputs and `file://` models may come from, besides the storage root. */
  allowedLocations: string[];
  /** Model hosts that may be fetched from even though they resolve to non-public addresses. */
  allowedModelHosts: string[];
  logLevel: string;
  /** OpenBLAS kernels for FAISS, chosen before it loads (see @lookalike/ann `selectBlasCore`). */
  blasCoreType: BlasCoreTypeSetting;
}

/** Thrown when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  /** Storage used when LOOKALIKE_STORAGE_URL is not set (local mode): defaults to ./.lookalike/storage. */
  defaultStorageDir?: string;
}

/** Reads and validates the configuration from `env` (default `process.env`). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): Config {
  const picked: Record<string, string | undefined> = {};
  for (const name of Object.values(ENV)) {
    const value = env[name];
    if (value !== undefined && value !== '') picked[name] = value;
  }
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '(environment)');
        // Never echo a credential, even a misplaced one.
        const got = name === ENV.apiTokens || name === ENV.metricsToken ? undefined : picked[name];
        return `${name}: ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
      }),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  const accessKeyId = e[ENV.s3AccessKeyId];
  const secretAccessKey = e[ENV.s3SecretAccessKey];
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    problems.push(`${ENV.s3AccessKeyId} and ${ENV.s3SecretAccessKey} must be set together`);
  }
  if ((e[ENV.dashboardUser] === undefined) !== (e[ENV.dashboardPassword] === undefined)) {
    problems.push(`${ENV.dashboardUser} and ${ENV.dashboardPassword} must be set together`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const defaultDir = options.defaultStorageDir ?? `${process.cwd()}/.lookalike/storage`;
  const endpoint = e[ENV.s3Endpoint];
  return {
    redisUrl: e[ENV.redisUrl],
    queuePrefix: e[ENV.queuePrefix],
    storageUrl: e[ENV.storageUrl] ?? pathToFileURL(defaultDir).href,
    s3: {
      ...(endpoint !== undefined ? { endpoint } : {}),
      region: e[ENV.s3Region],
      ...(accessKeyId !== undefined && secretAccessKey !== undefined
        ? { credentials: { accessKeyId, secretAccessKey } }
        : {}),
      // Custom endpoints (MinIO, s3rver, Ceph) want path-style addressing; AWS itself does not.
      forcePathStyle: e[ENV.s3ForcePathStyle] ?? endpoint !== undefined,
    },
    modelUrl: e[ENV.modelUrl],
    backend: e[ENV.backend],
    ...(e[ENV.modelOutput] !== undefined ? { modelOutput: e[ENV.modelOutput] } : {}),
    ...(e[ENV.modelCacheDir] !== undefined ? { modelCacheDir: e[ENV.modelCacheDir] } : {}),
    threads: e[ENV.threads],
    concurrency: e[ENV.concurrency],
    lockMs: e[ENV.lockMs],
    stalledIntervalMs: e[ENV.stalledIntervalMs],
    retryBudgetMs: e[ENV.retryBudgetMs],
    http: { host: e[ENV.httpHost], port: e[ENV.httpPort] },
    dashboard: { user: e[ENV.dashboardUser], password: e[ENV.dashboardPassword], readOnly: e[ENV.dashboardReadOnly] },
    apiTokens: e[ENV.apiTokens],
    ...(e[ENV.metricsToken] !== undefined ? { metricsTokenSha256: e[ENV.metricsToken] } : {}),
    allowedLocations: e[ENV.allowedLocations],
    allowedModelHosts: e[ENV.allowedModelHosts],
    logLevel: e[ENV.logLevel],
    blasCoreType: e[ENV.blasCoreType],
  };
}
