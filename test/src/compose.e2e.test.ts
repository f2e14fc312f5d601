import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { ProcessGroup, waitForHealthy } from '@lookalike/cli';
import { ENV, QUEUES, generateApiToken, sha256Hex } from '@lookalike/core';
import {
  freePort,
  startRedisServer,
  startS3Server,
  type RedisServer,
  type S3Server,
} from '@lookalike/local-servers';
import { generateSample } from '@lookalike/sample-data';
import { openObjectStore, submissionKey, type ObjectStore } from '@lookalike/storage';
import {
  composeProcesses,
  parsePrometheusText,
  redisArgsProblems,
  type DeployedProcess,
} from './infra/deployment-checks';
import {
  REPO_ROOT,
  composeCommand,
  imageConfig,
  readCompose,
  readDockerfile,
  type Env,
} from './infra/deployment-files';
import { api, type ApiTarget, waitForRebuild } from './helpers';

const run = promisify(execFile);

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

/**
 * The compose deployment, run as processes on loopback: the processes and their environment come from
 * infra/docker-compose.yml (services built from infra/Dockerfile, one each, without profiles), the image's
 * ENV and entry point from infra/Dockerfile. What a Docker host would provide is replaced by its loopback
 * equivalent, and only that: redis → a redis-server with the compose command's persistence settings,
 * minio + bucket-init → an s3rver holding the bucket that bucket-init creates (with s3rver's fixed
 * credentials in place of MinIO's), container ports → free ports on 127.0.0.1, and a scrape token of
 * the test's own in place of the env file's example. A rebuild with
 * transactions then completes, and queue depth is exported once per queue and state.
 */
describe('the compose deployment, as processes on loopback', () => {
  const compose = readCompose();
  const dockerfile = readDockerfile();
  let tmp: string;
  let redis: RedisServer;
  let s3: S3Server;
  let group: ProcessGroup;
  let data: ObjectStore;
  const started: { name: string; env: Env; port: number }[] = [];
  let apiUrl = '';
  let auth = '';
  // The scrape token, in place of the env file's (only its hash is there).
  const metricsToken = generateApiToken();

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'lookalike-compose-'));
    const redisCommand = composeCommand(compose.services.redis!);
    expect(redisArgsProblems('compose redis', redisCommand)).toEqual([]);
    await mkdir(join(tmp, 'redis'));
    redis = await startRedisServer({
      appendOnly: /--appendonly\s+yes/.test(redisCommand),
      dir: join(tmp, 'redis'),
    });
    const bucket = /mc mb (?:--ignore-existing )?\w+\/([a-z0-9.-]+)/.exec(
      composeCommand(compose.services['bucket-init']!),
    )?.[1];
    expect(bucket).toBeDefined();
    s3 = await startS3Server({ buckets: [bucket!] });

    const hosts: Record<string, string> = {
      redis: new URL(redis.url).host,
      minio: new URL(s3.endpoint).host,
    };
    const processes = composeProcesses(compose, dockerfile);
    expect(processes.map((p) => p.service).sort()).toEqual([
      'embedder',
      'indexer',
      'producer',
      'recommender',
      'reducer',
    ]);
    const entrypoint = imageConfig(dockerfile, 'cpu').entrypoint!;
    expect(entrypoint).toEqual(['/app/infra/image/entrypoint.sh']);
    group = new ProcessGroup({ maxRestarts: 0, stopTimeoutMs: 75_000 });
    for (const process of processes) {
      const port = await freePort();
      const env = toLoopback(process, hosts, port, s3, metricsToken);
      const name = process.where.replace(/^compose /, '');
      started.push({ name, env, port });
      // The image's entry point, from the repository instead of /app.
      group.start({
        name,
        command: 'sh',
        args: [join(REPO_ROOT, entrypoint[0]!.replace(/^\/app\//, ''))],
        cwd: REPO_ROOT,
        env,
      });
    }
    try {
      await Promise.all(
        started.map(({ port }) => waitForHealthy(`http://127.0.0.1:${port}/healthz`, 60_000)),
      );
    } catch (err) {
      throw new Error(
        `${(err as Error).message}\n${started.map(({ name }) => `${name}: ${group.recentOutput(name).slice(-5).join('\n')}`).join('\n')}`,
      );
    }
    const producer = started.find((s) => s.env.SERVICE === 'producer')!;
    apiUrl = `http://127.0.0.1:${producer.port}`;
    const user = producer.env[ENV.dashboardUser]!;
    const password = producer.env[ENV.dashboardPassword]!;
    auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

    // The H&M files in the bucket, where the compose file's header says to put them.
    const sampleDir = join(tmp, 'sample');
    await generateSample({
      outDir: sampleDir,
      articles: 120,
      customers: 500,
      transactions: 10_000,
      seed: 11,
    });
    data = openObjectStore(`s3://${bucket}/hm`, {
      endpoint: s3.endpoint,
      region: s3.region,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      forcePathStyle: true,
    });
    for await (const path of walk(sampleDir)) await data.put(relative(sampleDir, path), await readFile(path));
  });

  afterAll(async () => {
    await group?.stop();
    await data?.close();
    await s3?.stop();
    await redis?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  const target = (): ApiTarget => ({ url: apiUrl, headers: { authorization: auth } });

  it('passes the image health check in every process', async () => {
    for (const { name, env } of started) {
      const check = compose.services[name]!.healthcheck!.test as string[];
      expect(check.slice(0, 2)).toEqual(['CMD', 'node']);
      const script = join(REPO_ROOT, check[2]!.replace(/^\/app\//, ''));
      await expect(run(process.execPath, [script], { env })).resolves.toBeDefined();
    }
  });

  it('completes a rebuild with transactions', async () => {
    const bucket = new URL(started[0]!.env[ENV.storageUrl]!).hostname;
    const submitted = await api<{ rebuildId: string }>(target(), '/rebuilds', {
      method: 'POST',
      body: JSON.stringify({
        id: 'compose-1',
        images: `s3://${bucket}/hm/images`,
        articles: `s3://${bucket}/hm/articles.csv`,
        transactions: `s3://${bucket}/hm/transactions_train.csv`,
        customers: `s3://${bucket}/hm/customers.csv`,
        shardSize: 40,
        pcaDims: 32,
        customersPerJob: 200,
      }),
    });
    expect(submitted.status).toBe(202);
    // The shared poll: it waits out a status that is not yet 200 (it raced the submit once).
    const { manifest } = await waitForRebuild(target(), 'compose-1', 150_000);
    expect(manifest?.error).toBeUndefined();
    expect(manifest?.status).toBe('completed');
    expect(manifest!.counts).toMatchObject({ planned: 120, embedded: 120, failed: 0 });
    expect(manifest!.recommend).toMatchObject({ customers: 500 });
    const store = openObjectStore(started[0]!.env[ENV.storageUrl]!, {
      endpoint: s3.endpoint,
      region: s3.region,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      forcePathStyle: true,
    });
    try {
      const lines = (await store.get(submissionKey('compose-1'))).toString('utf8').trim().split('\n');
      expect(lines).toHaveLength(501);
    } finally {
      await store.close();
    }
  });

  it('exports queue depth once per queue and state, from the producer alone', async () => {
    const exporters: Record<string, string[]> = {};
    for (const { name, port } of started) {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
        headers: { authorization: `Bearer ${metricsToken}` },
      });
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
      const text = await res.text();
      for (const series of parsePrometheusText(text).filter((s) => s.metric === 'lookalike_queue_jobs')) {
        (exporters[`${series.labels.queue}/${series.labels.state}`] ??= []).push(name);
      }
    }
    const keys = Object.keys(exporters);
    expect(keys).toContain(`${QUEUES.embed}/prioritized`);
    expect(new Set(keys.map((k) => k.split('/')[0]))).toEqual(new Set(Object.values(QUEUES)));
    expect(Object.values(exporters).every((names) => names.length === 1 && names[0] === 'producer')).toBe(
      true,
    );
  });
});

/**
 * A compose service's environment on this machine: service host names to the loopback servers that
 * stand for them, the container port to a free one on 127.0.0.1, MinIO's credentials to s3rver's, the
 * scrape token's hash to that of the test's token.
 */
function toLoopback(
  process: DeployedProcess,
  hosts: Record<string, string>,
  port: number,
  s3: S3Server,
  metricsToken: string,
): Env {
  const env: Env = {};
  for (const [name, value] of Object.entries(process.env)) {
    env[name] = value.replace(/\/\/([a-z0-9-]+):\d+/g, (whole, host: string) =>
      hosts[host] ? `//${hosts[host]}` : whole,
    );
  }
  return {
    // What a container has besides: its PATH (node) and HOME.
    PATH: globalThis.process.env.PATH ?? '/usr/bin:/bin',
    HOME: globalThis.process.env.HOME ?? tmpdir(),
    ...env,
    [ENV.httpHost]: '127.0.0.1',
    [ENV.httpPort]: String(port),
    [ENV.s3AccessKeyId]: s3.accessKeyId,
    [ENV.s3SecretAccessKey]: s3.secretAccessKey,
    ...(env[ENV.metricsToken] ? { [ENV.metricsToken]: sha256Hex(metricsToken) } : {}),
  };
}
