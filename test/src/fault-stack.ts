import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  LOCAL_SERVICES,
  ProcessGroup,
  serviceProcess,
  findRepoRoot,
  type LocalServiceName,
} from '@lookalike/cli';
import { pollUntil, QUEUES, type QueueName } from '@lookalike/core';
import {
  freePort,
  startRedisServer,
  startS3Server,
  type RedisServer,
  type S3Server,
} from '@lookalike/local-servers';
import { createQueue, createRedisConnection, type Job } from '@lookalike/queue';
import { openObjectStore, type ObjectStore } from '@lookalike/storage';
import { api as apiCall, pollRebuild, servicesS3Env, type StatusBody } from './helpers';

/** The queue each kind of worker takes jobs from. */
export const QUEUE_OF: Record<Exclude<LocalServiceName, 'producer'>, QueueName> & { producer: QueueName } = {
  producer: QUEUES.rebuild,
  embedder: QUEUES.embed,
  reducer: QUEUES.reduce,
  indexer: QUEUES.index,
  recommender: QUEUES.recommend,
};

const BUCKET = 'faults';

type Queue = ReturnType<typeof createQueue>;

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

export interface FaultStackOptions {
  /** Processes of each kind at start (producers included). */
  counts: Record<LocalServiceName, number>;
  /** Environment of every service process. */
  env: NodeJS.ProcessEnv;
}

/**
 * Everything a fault test needs to break on purpose, on loopback: its own Redis (append-only file,
 * restartable on its port), its own s3rver (stoppable and restartable on its port and folder), and
 * the services as OS processes under a supervisor that never restarts them (a killed process stays
 * dead; another of its kind must take over, and `add` starts a fresh one with a new pid).
 */
export class FaultStack {
  readonly group = new ProcessGroup({
    maxRestarts: 0,
    stopTimeoutMs: 20_000,
    keepLines: 400,
    onEvent: (event) => {
      if (event.type === 'started') this.pids.set(event.name, event.pid);
      if (event.type === 'exited') this.exits.set(event.name, { code: event.code, signal: event.signal });
    },
  });
  /** pid of each process, by name, as started (kept after it exits). */
  readonly pids = new Map<string, number>();
  /** Exit code and signal of each process that exited. */
  readonly exits = new Map<string, { code: number | null; signal: NodeJS.Signals | null }>();
  readonly producerUrls = new Map<string, string>();
  /** Processes sent SIGKILL or SIGTERM by `killHolder` (a dying process may still list jobs as its own). */
  private readonly signalled = new Set<string>();
  private readonly next: Record<string, number> = {};
  private readonly repoRoot = findRepoRoot();
  private readonly queues = new Map<QueueName, Queue>();
  private connection!: ReturnType<typeof createRedisConnection>;
  redis!: RedisServer;
  s3!: S3Server;
  store!: ObjectStore;
  data!: ObjectStore;
  dir = '';
  private redisPort = 0;
  private s3Port = 0;
  private baseEnv: NodeJS.ProcessEnv = {};

  /** s3:// location of the sample's files. */
  get dataUrl(): string {
    return `s3://${BUCKET}/hm`;
  }

  get storageUrl(): string {
    return `s3://${BUCKET}/store`;
  }

  async start(options: FaultStackOptions, sampleDir: string): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'lookalike-faults-'));
    this.redisPort = await freePort();
    this.s3Port = await freePort();
    await mkdir(join(this.dir, 'redis'));
    await mkdir(join(this.dir, 's3'));
    await this.startRedis();
    await this.startS3();
    this.connection = createRedisConnection(this.redis.url);
    this.connection.on('error', () => undefined);
    const s3 = this.s3Options();
    this.store = openObjectStore(this.storageUrl, s3);
    this.data = openObjectStore(this.dataUrl, s3);
    for await (const path of walk(sampleDir))
      await this.data.put(relative(sampleDir, path), await readFile(path));
    this.baseEnv = {
      ...process.env,
      ...options.env,
      ...servicesS3Env(s3),
      LOOKALIKE_REDIS_URL: this.redis.url,
      LOOKALIKE_STORAGE_URL: this.storageUrl,
      LOOKALIKE_ALLOWED_LOCATIONS: this.dataUrl,
      LOOKALIKE_HTTP_HOST: '127.0.0.1',
    };
    for (const service of LOCAL_SERVICES)
      for (let i = 0; i < options.counts[service]; i++) await this.add(service);
    await this.waitHealthy();
  }

  s3Options() {
    return {
      endpoint: `http://127.0.0.1:${this.s3Port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      forcePathStyle: true,
    };
  }

  async startRedis(): Promise<void> {
    this.redis = await startRedisServer({
      port: this.redisPort,
      dir: join(this.dir, 'redis'),
      appendOnly: true,
    });
  }

  async startS3(): Promise<void> {
    this.s3 = await startS3Server({ port: this.s3Port, dir: join(this.dir, 's3'), buckets: [BUCKET] });
  }

  /** Kills Redis at once (SIGKILL): what it had not yet appended to its file is lost. */
  killRedis(): void {
    process.kill(this.redis.pid, 'SIGKILL');
  }

  /** Starts one more process of a kind, named `<service>-<n>`; returns its name. */
  async add(service: LocalServiceName): Promise<string> {
    const n = (this.next[service] = (this.next[service] ?? 0) + 1);
    const name = `${service}-${n}`;
    const port = await freePort();
    if (service === 'producer') this.producerUrls.set(name, `http://127.0.0.1:${port}`);
    this.group.start(serviceProcess({ repoRoot: this.repoRoot, service, name, port, env: this.baseEnv }));
    return name;
  }

  /** Waits until every running process answers /healthz (workers: their ops port is not tracked, so producers only). */
  async waitHealthy(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const [name, url] of this.producerUrls) {
      if (!this.running(name)) continue;
      await pollUntil(
        async () =>
          (await fetch(`${url}/healthz`)
            .then((r) => r.status)
            .catch(() => 0)) === 200,
        {
          timeoutMs: Math.max(0, deadline - Date.now()),
          intervalMs: 200,
          timeoutMessage: () => `${name} not healthy: ${this.group.recentOutput(name).slice(-10).join('\n')}`,
        },
      );
    }
  }

  running(name: string): boolean {
    return this.group.processes.some((p) => p.name === name && p.running);
  }

  /** The names of the running processes of a kind. */
  alive(service: LocalServiceName): string[] {
    return this.group.processes
      .filter((p) => p.running && p.name.startsWith(`${service}-`))
      .map((p) => p.name);
  }

  /** BullMQ's `processedBy` of a process's jobs (see the worker factory's default name). */
  workerName(name: string): string {
    return `${hostname()}:${this.pids.get(name)}`;
  }

  /** The process whose worker name is `workerName`. */
  processOf(workerName: string | undefined): string | undefined {
    return [...this.pids.entries()].find(([name]) => this.workerName(name) === workerName)?.[0];
  }

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = createQueue(name, {
        connection: this.connection,
        prefix: String(this.baseEnv.LOOKALIKE_QUEUE_PREFIX ?? 'lookalike'),
      });
      this.queues.set(name, queue);
    }
    return queue;
  }

  signal(name: string, signal: NodeJS.Signals): void {
    const pid = this.pids.get(name);
    if (pid === undefined) throw new Error(`no process ${name}`);
    process.kill(pid, signal);
  }

  /** Resolves when a process has exited. */
  async exited(
    name: string,
    timeoutMs = 90_000,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return pollUntil(() => this.exits.get(name), {
      timeoutMs,
      timeoutMessage: `${name} did not exit within ${timeoutMs} ms`,
    });
  }

  /** Calls the API of the first producer that answers (one may just have been killed). */
  async api<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
    let last: unknown;
    for (const [name, url] of this.producerUrls) {
      if (!this.running(name)) continue;
      try {
        return await apiCall<T>(url, path, init);
      } catch (err) {
        last = err;
      }
    }
    throw new Error(`no producer answered ${path}: ${(last as Error)?.message ?? 'none running'}`);
  }

  /** Polls a rebuild's status until `done(status)`, through whichever producer answers. */
  poll(
    rebuildId: string,
    done: (s: StatusBody) => boolean,
    timeoutMs: number,
    intervalMs = 250,
  ): Promise<StatusBody> {
    return pollRebuild((path) => this.api(path), rebuildId, done, timeoutMs, intervalMs);
  }

  /** Removes the embedding cache, so that the next rebuild really embeds (and can be interrupted mid-embed). */
  async clearEmbeddingCache(): Promise<void> {
    const keys: string[] = [];
    for await (const entry of this.store.list('cache/')) keys.push(entry.key);
    await this.store.deleteMany(keys);
  }

  /**
   * Waits for a job of `rebuildId` to be active on `queue`, held by a process of `service`; freezes
   * that process (SIGSTOP) and checks it still holds the job, then kills it (SIGKILL). Another
   * process must then find the job stalled and complete it. Returns the job id and the killed process.
   */
  async killHolder(
    service: LocalServiceName,
    rebuildId: string,
    timeoutMs: number,
    signal: NodeJS.Signals = 'SIGKILL',
  ): Promise<{ jobId: string; name: string }> {
    const queue = this.queue(QUEUE_OF[service]);
    const deadline = Date.now() + timeoutMs;
    const ours = (job: Job) => job.id === rebuildId || String(job.id).startsWith(`${rebuildId}.`);
    while (Date.now() < deadline) {
      const active = (await queue.getActive()).filter(ours);
      for (const job of active) {
        const name = this.processOf(job.processedBy);
        if (!name || !name.startsWith(`${service}-`) || !this.running(name) || this.signalled.has(name))
          continue;
        if (signal === 'SIGTERM') {
          this.signalled.add(name);
          this.signal(name, 'SIGTERM');
          return { jobId: job.id!, name };
        }
        this.signal(name, 'SIGSTOP');
        const still = await queue.getJob(job.id!);
        if (
          still &&
          (await still.getState()) === 'active' &&
          still.processedBy === job.processedBy &&
          still.attemptsStarted === job.attemptsStarted
        ) {
          this.signalled.add(name);
          this.signal(name, 'SIGKILL');
          await this.exited(name);
          return { jobId: job.id!, name };
        }
        this.signal(name, 'SIGCONT');
      }
      await new Promise((r) => setTimeout(r, 15));
    }
    throw new Error(`no ${service} held a job of ${rebuildId} within ${timeoutMs} ms`);
  }

  async stop(): Promise<void> {
    await this.group.stop();
    for (const queue of this.queues.values()) await queue.close().catch(() => undefined);
    this.connection?.disconnect();
    await this.store?.close();
    await this.data?.close();
    await this.redis?.stop();
    await this.s3?.stop();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}
