import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ALL_QUEUES } from '@lookalike/core';
import { testServerEnv } from '@lookalike/local-servers';
import { ServiceMetrics } from '@lookalike/observability';
import { createQueue, createRedisConnection } from '@lookalike/queue';
import {
  composeImageProblems,
  composeProblems,
  composeProcesses,
  dockerfileProblems,
  environmentProblems,
  gpuProblems,
  k8sProcesses,
  k8sRedisProblems,
  k8sReferenceProblems,
  k8sWorkloadProblems,
  kedaProblems,
  parsePrometheusText,
  queueConsumerProblems,
  queueDepthExporters,
  serviceQueues,
  type ExportedSeries,
} from './deployment-checks';
import {
  COMPOSE_FILE,
  REPO_ROOT,
  readCompose,
  readDockerfile,
  renderKustomize,
  type ComposeFile,
  type K8sObject,
} from './deployment-files';
import { k8sSchemaProblems } from './k8s-schemas';

/**
 * The deployment files held to the code: queues and their consumers, environment variables and the config
 * schema, ports and probe paths, KEDA queries and the metrics the code exports, Secret/ConfigMap names,
 * GPU scheduling, and the Kubernetes schemas. No Docker engine or cluster runs here: these read the files
 * (the Kubernetes manifests rendered by `kubectl kustomize`).
 */
/** `kubectl kustomize` renders the manifests; a machine without kubectl skips these checks and says so. */
const kubectlPresent = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).error === undefined;
if (!kubectlPresent)
  process.stderr.write('deployment files: SKIPPED — kubectl (for `kubectl kustomize`) is not on PATH on this machine\n');

(kubectlPresent ? describe : describe.skip)('deployment files', () => {
  const dockerfile = readDockerfile();
  const compose = readCompose();
  let objects: K8sObject[];
  let exported: ExportedSeries[];

  beforeAll(async () => {
    objects = await renderKustomize();
    // What the code exports: the producer's ServiceMetrics watching every queue, scraped from a real Redis.
    const connection = createRedisConnection(testServerEnv().LOOKALIKE_TEST_REDIS_URL);
    const queues = ALL_QUEUES.map((name) => createQueue(name, { connection, prefix: `infra${Date.now()}` }));
    try {
      const metrics = new ServiceMetrics('producer');
      metrics.watchQueues(queues);
      exported = parsePrometheusText(await metrics.registry.metrics());
    } finally {
      await Promise.all(queues.map((q) => q.close()));
      await connection.quit();
    }
  });

  const k8s = () => k8sProcesses(objects, dockerfile);
  const composed = (file: ComposeFile = compose) => composeProcesses(file, dockerfile, { profiles: true });

  it('derives the queue consumers and the queue-depth exporter from the services', () => {
    expect(serviceQueues()).toMatchObject({
      producer: ['rebuild'],
      embedder: ['embed'],
      reducer: ['reduce'],
      indexer: ['index'],
      recommender: ['recommend'],
    });
    expect(queueDepthExporters()).toEqual(['producer']);
  });

  it('runs a consumer of every queue, in compose and in Kubernetes', () => {
    expect(queueConsumerProblems(composed(), 'compose')).toEqual([]);
    expect(queueConsumerProblems(k8s(), 'k8s')).toEqual([]);
    expect(new Set(k8s().map((p) => p.service))).toEqual(
      new Set(['producer', 'embedder', 'reducer', 'indexer', 'recommender']),
    );
  });

  it('fails on a compose file whose recommender is gone', async () => {
    const text = readFileSync(COMPOSE_FILE, 'utf8');
    const without = text.replace(/\n {2}recommender:\n(?: {4}.*\n)+/, '\n');
    expect(without).not.toEqual(text);
    const mutated = readCompose(COMPOSE_FILE, without);
    expect(queueConsumerProblems(composed(mutated), 'compose')).toEqual([
      expect.stringMatching(/^compose: queue recommend has no consumer/),
    ]);
  });

  it('fails on Kubernetes manifests without the recommender Deployment', async () => {
    const mutated = await renderKustomize(undefined, async (copy) => {
      const path = join(copy, 'base', 'kustomization.yaml');
      const text = await readFile(path, 'utf8');
      await writeFile(path, text.replace('  - recommender.yaml\n', ''));
    });
    const processes = k8sProcesses(mutated, dockerfile);
    expect(queueConsumerProblems(processes, 'k8s')).toEqual([
      expect.stringMatching(/^k8s: queue recommend has no consumer/),
    ]);
    expect(kedaProblems(mutated, processes, exported)).toContainEqual(
      expect.stringMatching(
        /ScaledObject\/lookalike-recommender: scales lookalike-recommender, which is no lookalike Deployment/,
      ),
    );
  });

  it('sets only variables the config schema knows, and every one a deployment needs', () => {
    const processes = [...composed(), ...k8s()];
    expect(processes.length).toBeGreaterThanOrEqual(12);
    expect(processes.flatMap(environmentProblems)).toEqual([]);
    // The Secret carries the credentials: S3 keys and the dashboard's (the producer listens on 0.0.0.0).
    const secret = objects.find((o) => o.kind === 'Secret')!;
    expect(Object.keys(secret.data as object).sort()).toEqual([
      'LOOKALIKE_DASHBOARD_PASSWORD',
      'LOOKALIKE_DASHBOARD_USER',
      'LOOKALIKE_METRICS_TOKEN',
      'LOOKALIKE_S3_ACCESS_KEY_ID',
      'LOOKALIKE_S3_SECRET_ACCESS_KEY',
    ]);
  });

  it('fails on a variable the schema does not know, and on services left without their credentials', async () => {
    const mutated = await renderKustomize(undefined, async (copy) => {
      const path = join(copy, 'overlays', 'example', 'secrets.env');
      const text = await readFile(path, 'utf8');
      await writeFile(
        path,
        `${text.replace(/^LOOKALIKE_(DASHBOARD_USER|DASHBOARD_PASSWORD|METRICS_TOKEN)=.*\n/gm, '')}LOOKALIKE_WORKER_COUNT=4\n`,
      );
    });
    const problems = k8sProcesses(mutated, dockerfile).flatMap(environmentProblems);
    expect(problems).toContainEqual(
      expect.stringMatching(
        /k8s Deployment\/lookalike-embedder: LOOKALIKE_WORKER_COUNT \(from Secret\/lookalike-secrets-\w+\) is not a variable of the config schema/,
      ),
    );
    expect(problems).toContainEqual(
      'k8s Deployment/lookalike-producer: the producer refuses to listen on 0.0.0.0 without LOOKALIKE_API_TOKENS or the dashboard credentials',
    );
    expect(problems).toContainEqual(
      'k8s Deployment/lookalike-producer: without LOOKALIKE_METRICS_TOKEN, Prometheus cannot scrape the queue depth that KEDA scales on',
    );
    expect(problems).toContainEqual(
      'k8s Deployment/lookalike-indexer: refuses to listen on 0.0.0.0 without LOOKALIKE_METRICS_TOKEN',
    );
    // One unknown variable and one missing token in each of the six workloads, and the producer's credentials.
    expect(problems).toHaveLength(6 + 6 + 1);
  });

  it('probes the port and paths the services serve, with grace periods past the shutdown window', async () => {
    expect(k8sWorkloadProblems(objects, k8s())).toEqual([]);
    expect(composeProblems(compose, composed())).toEqual([]);
    // A liveness probe on the producer's /healthz would restart it while Redis is away.
    const broken = structuredClone(objects);
    const producer = broken.find((o) => o.metadata.name === 'lookalike-producer' && o.kind === 'Deployment')!;
    const pod = (
      producer.spec as {
        template: {
          spec: { terminationGracePeriodSeconds: number; containers: { livenessProbe: unknown }[] };
        };
      }
    ).template.spec;
    pod.containers[0]!.livenessProbe = { httpGet: { path: '/healthz', port: 'http' }, timeoutSeconds: 5 };
    pod.terminationGracePeriodSeconds = 30;
    const indexer = broken.find((o) => o.metadata.name === 'lookalike-indexer' && o.kind === 'Deployment')!;
    const indexerPod = (indexer.spec as { template: { spec: { containers: { livenessProbe: unknown }[] } } })
      .template.spec;
    indexerPod.containers[0]!.livenessProbe = { httpGet: { path: '/livez', port: 8080 }, timeoutSeconds: 5 };
    expect(k8sWorkloadProblems(broken, k8sProcesses(broken, dockerfile))).toEqual([
      expect.stringMatching(
        /lookalike-indexer container indexer: liveness path \/livez is not served \(\/healthz, \/metrics\)/,
      ),
      expect.stringMatching(
        /lookalike-producer: terminationGracePeriodSeconds 30 is shorter than the 60 s shutdown window/,
      ),
      expect.stringMatching(/lookalike-producer container producer: liveness GET \/healthz reads Redis/),
    ]);
  });

  it('references only ConfigMaps and Secrets that exist', () => {
    expect(k8sReferenceProblems(objects)).toEqual([]);
    const broken = objects.filter((o) => o.kind !== 'Secret');
    expect(k8sReferenceProblems(broken)).toContainEqual(
      expect.stringMatching(/lookalike-producer: Secret lookalike-secrets-\w+ does not exist/),
    );
  });

  it('keeps Redis durable: AOF and noeviction (compose: in the probes test above)', () => {
    expect(k8sRedisProblems(objects, k8s())).toEqual([]);
    const broken = structuredClone(objects);
    const redis = broken.find((o) => o.kind === 'StatefulSet')!;
    const container = (redis.spec as { template: { spec: { containers: { args: string[] }[] } } }).template
      .spec.containers[0]!;
    container.args = container.args.filter((a) => a !== 'noeviction' && a !== '--maxmemory-policy');
    expect(k8sRedisProblems(broken, k8sProcesses(broken, dockerfile))).toEqual([
      'k8s StatefulSet/lookalike-redis: Redis without --maxmemory-policy noeviction may evict BullMQ keys',
    ]);
  });

  it('scales every worker with KEDA on a query over metrics and labels the code exports', () => {
    expect(kedaProblems(objects, k8s(), exported)).toEqual([]);
    const broken = structuredClone(objects);
    const scaled = broken.find((o) => o.kind === 'ScaledObject' && o.metadata.name === 'lookalike-indexer')!;
    const trigger = (scaled.spec as { triggers: { metadata: { query: string } }[] }).triggers[0]!;
    trigger.metadata.query = 'sum(lookalike_queue_jobs{queue="index", state=~"wait|prioritised"})';
    expect(kedaProblems(broken, k8sProcesses(broken, dockerfile), exported)).toEqual([
      'k8s ScaledObject/lookalike-indexer: lookalike_queue_jobs never has state="prioritised"',
      'k8s ScaledObject/lookalike-indexer: depth leaves out prioritized, delayed (wait + prioritized + delayed)',
      expect.stringMatching(/lookalike-indexer: query must be sum\(max by \(queue, state\) \(…\)\)/),
    ]);
    trigger.metadata.query =
      'sum(max by (queue, state) (lookalike_queue_jobs{queue="embed", state=~"wait|prioritized|delayed"}))';
    expect(kedaProblems(broken, k8sProcesses(broken, dockerfile), exported)).toEqual([
      expect.stringMatching(
        /lookalike-indexer: reads queue embed, but lookalike-indexer runs indexer, which consumes index/,
      ),
    ]);
  });

  it('runs GPU embedders on one GPU each, on GPU nodes (k8s) and under a profile with a device reservation (compose)', () => {
    expect(gpuProblems(objects, compose)).toEqual([]);
    const gpu = k8s().find((p) => p.target === 'gpu')!;
    expect(gpu).toMatchObject({ service: 'embedder', env: { LOOKALIKE_BACKEND: 'onnx' } });
  });

  it('builds CPU and GPU targets on base images given as build arguments, non-root, with health checks', () => {
    const dockerignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8');
    expect(dockerfileProblems(dockerfile, dockerignore)).toEqual([]);
    expect(composeImageProblems(compose)).toEqual([]);
    expect(dockerfileProblems(dockerfile, dockerignore.replace('**/node_modules\n', ''))).toEqual([
      '.dockerignore: does not exclude **/node_modules',
    ]);
  });

  it('validates against the Kubernetes and KEDA schemas', () => {
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'Deployment',
      'Deployment',
      'Deployment',
      'Deployment',
      'Deployment',
      'Namespace',
      'ScaledObject',
      'ScaledObject',
      'ScaledObject',
      'ScaledObject',
      'ScaledObject',
      'Secret',
      'Service',
      'Service',
      'StatefulSet',
    ]);
    expect(k8sSchemaProblems(objects)).toEqual([]);
    const broken = structuredClone(objects);
    const embedder = broken.find((o) => o.metadata.name === 'lookalike-embedder' && o.kind === 'Deployment')!;
    (
      embedder.spec as { template: { spec: { containers: { ports: unknown }[] } } }
    ).template.spec.containers[0]!.ports = [{ containerPort: 'http' }];
    expect(k8sSchemaProblems(broken)).toEqual([
      expect.stringMatching(/^Deployment\/lookalike-embedder: .*containerPort/),
    ]);
  });
});
