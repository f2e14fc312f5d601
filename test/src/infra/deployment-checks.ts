import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_QUEUES, ConfigError, ENV, isLoopbackHost, loadConfig, type QueueName } from '@lookalike/core';
import { SHUTDOWN_TIMEOUT_MS } from '@lookalike/queue';
import {
  REPO_ROOT,
  composeCommand,
  composeDurationSeconds,
  composeEnvFiles,
  composeEnvironment,
  composeLookalikeServices,
  imageConfig,
  interpolateDefaults,
  objectData,
  targetOfImage,
  workloads,
  type ComposeFile,
  type Dockerfile,
  type Env,
  type K8sContainer,
  type K8sObject,
  type K8sPodSpec,
  type K8sProbe,
} from './deployment-files';

/**
 * Checks that hold the deployment files to the code. Each returns the problems it finds (empty when
 * all is well), so that a test can show it catching a broken copy.
 */

// ---------------------------------------------------------------------------------------------------------------
// What the code says

function serviceSource(service: string): string {
  return readFileSync(join(REPO_ROOT, 'services', service, 'src', 'main.ts'), 'utf8');
}

/** The services that have an entry point (`services/<name>/src/main.ts`). */
export function codeServices(): string[] {
  return readdirSync(join(REPO_ROOT, 'services'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .filter((name) => {
      try {
        serviceSource(name);
        return true;
      } catch {
        return false;
      }
    });
}

/** The queues each service consumes: `runWorkerService({ queue: QUEUES.x })` or `createWorker(QUEUES.x, …)` in its main.ts. */
export function serviceQueues(): Record<string, QueueName[]> {
  const queues: Record<string, QueueName[]> = {};
  for (const service of codeServices()) {
    const source = serviceSource(service);
    queues[service] = [...source.matchAll(/(?:\bqueue:\s*|createWorker\(\s*)QUEUES\.(\w+)/g)].map(
      (m) => m[1] as QueueName,
    );
  }
  return queues;
}

/** Services whose process exports queue depth (`lookalike_queue_jobs`): they call `watchQueues`. */
export function queueDepthExporters(): string[] {
  return codeServices().filter((s) => /\.watchQueues\(/.test(serviceSource(s)));
}

/** HTTP paths a service answers GET on without credentials: the producer's app, or every worker's ops server. */
export function servedPaths(service: string): string[] {
  const file =
    service === 'producer'
      ? join(REPO_ROOT, 'services', 'producer', 'src', 'http', 'app.ts')
      : join(REPO_ROOT, 'packages', 'observability', 'src', 'ops-server.ts');
  const source = readFileSync(file, 'utf8');
  const pattern = service === 'producer' ? /app\.get\('(\/[a-z]+)'/g : /path === '(\/[a-z]+)'/g;
  return [...source.matchAll(pattern)].map((m) => m[1]!);
}

/**
 * Why a path cannot carry a liveness probe: `/healthz` reports the Redis connection (a Redis outage would
 * restart every process), and `/metrics` reads queue depth from Redis in the processes that export it and
 * is meant for the scraper (credentials) everywhere.
 */
export function unfitForLiveness(service: string): Record<string, string> {
  return {
    '/healthz': 'reads Redis: a Redis outage would restart the process',
    '/metrics': queueDepthExporters().includes(service)
      ? 'reads Redis (queue depth): a Redis outage would restart the process'
      : 'is for the scraper (it may want the scrape credential)',
  };
}

/** Variables the deployment files may set that the config schema does not own, with who reads them. */
export const RUNTIME_VARIABLES: Record<string, string> = {
  SERVICE: 'the image entry point (infra/image/entrypoint.sh) picks the service',
  NODE_ENV: 'Node.js libraries (express)',
  OMP_NUM_THREADS: 'OpenMP threads of FAISS',
  OPENBLAS_NUM_THREADS: 'OpenBLAS threads of FAISS',
  OMP_WAIT_POLICY: 'OpenMP idle threads sleep instead of spinning against OpenBLAS',
};

const CONFIG_VARIABLES = new Set<string>(Object.values(ENV));

// ---------------------------------------------------------------------------------------------------------------
// One process as a deployment file starts it

export interface DeployedProcess {
  /** e.g. `compose embedder`, `k8s Deployment/lookalike-embedder-gpu`. */
  where: string;
  /** SERVICE: which entry point runs. */
  service: string;
  /** The whole environment: the image's ENV, then what the deployment files set. */
  env: Env;
  /** Variables the deployment files (not the image) set, each with where. */
  set: { name: string; from: string }[];
  /** Dockerfile target of its image. */
  target?: string;
}

/** Every lookalike process the compose file starts (one per service; profiles included when asked). */
export function composeProcesses(
  compose: ComposeFile,
  dockerfile: Dockerfile,
  options: { profiles?: boolean } = {},
): DeployedProcess[] {
  const processes: DeployedProcess[] = [];
  for (const [name, service] of composeLookalikeServices(compose)) {
    if (!options.profiles && service.profiles?.length) continue;
    const target = service.build?.target ?? 'cpu';
    const files = composeEnvFiles(compose, service);
    const environment = composeEnvironment(service);
    const env = { ...imageConfig(dockerfile, target).env, ...files.env, ...environment };
    processes.push({
      where: `compose ${name}`,
      service: env.SERVICE ?? '',
      env,
      set: [
        ...Object.keys(files.env).map((n) => ({ name: n, from: files.files.join(', ') })),
        ...Object.keys(environment).map((n) => ({ name: n, from: 'environment' })),
      ],
      target,
    });
  }
  return processes;
}

function lookalikeContainers(pod: K8sPodSpec): K8sContainer[] {
  return pod.containers.filter((c) => targetOfImage(c.image) !== undefined);
}

/** Every lookalike container of the rendered manifests, with the environment its pod gets. */
export function k8sProcesses(objects: K8sObject[], dockerfile: Dockerfile): DeployedProcess[] {
  const byName = (kind: string, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name);
  const processes: DeployedProcess[] = [];
  for (const { object, pod } of workloads(objects)) {
    for (const container of lookalikeContainers(pod)) {
      const target = targetOfImage(container.image)!;
      const where = `k8s ${object.kind}/${object.metadata.name}`;
      const env: Env = { ...imageConfig(dockerfile, target).env };
      const set: DeployedProcess['set'] = [];
      for (const source of container.envFrom ?? []) {
        const ref = source.configMapRef
          ? (['ConfigMap', source.configMapRef.name] as const)
          : (['Secret', source.secretRef!.name] as const);
        const found = byName(ref[0], ref[1]);
        if (!found) continue;
        for (const [name, value] of Object.entries(objectData(found))) {
          env[name] = value;
          set.push({ name, from: `${ref[0]}/${ref[1]}` });
        }
      }
      for (const variable of container.env ?? []) {
        const ref = variable.valueFrom?.configMapKeyRef ?? variable.valueFrom?.secretKeyRef;
        const kind = variable.valueFrom?.configMapKeyRef ? 'ConfigMap' : 'Secret';
        const value = ref
          ? objectData(byName(kind, ref.name) ?? ({ kind, data: {} } as unknown as K8sObject))[ref.key]
          : variable.value;
        if (value !== undefined) env[variable.name] = value;
        set.push({ name: variable.name, from: `${where} env` });
      }
      processes.push({ where, service: env.SERVICE ?? '', env, set, target });
    }
  }
  return processes;
}

// ---------------------------------------------------------------------------------------------------------------
// Checks

/** Every queue of `core` is consumed by some process (else a rebuild waits for ever in waiting-children). */
export function queueConsumerProblems(processes: DeployedProcess[], label: string): string[] {
  const consumers = serviceQueues();
  const running = new Set(processes.map((p) => p.service));
  return ALL_QUEUES.filter(
    (queue) => !Object.entries(consumers).some(([s, qs]) => qs.includes(queue) && running.has(s)),
  ).map(
    (queue) =>
      `${label}: queue ${queue} has no consumer (it is consumed by ${Object.entries(consumers)
        .filter(([, qs]) => qs.includes(queue))
        .map(([s]) => s)
        .join(', ')}, which ${label} does not run)`,
  );
}

/**
 * Every variable set is one the config schema knows (or one of RUNTIME_VARIABLES), the whole environment
 * passes the schema, what a deployment must set is set, and SERVICE names an entry point.
 */
export function environmentProblems(process: DeployedProcess): string[] {
  const problems: string[] = [];
  for (const { name, from } of process.set) {
    if (!CONFIG_VARIABLES.has(name) && !(name in RUNTIME_VARIABLES)) {
      problems.push(`${process.where}: ${name} (from ${from}) is not a variable of the config schema`);
    }
  }
  for (const [name] of Object.entries(process.env)) {
    if (!CONFIG_VARIABLES.has(name) && !(name in RUNTIME_VARIABLES)) {
      if (!process.set.some((s) => s.name === name))
        problems.push(`${process.where}: the image sets ${name}, unknown to the config schema`);
    }
  }
  if (!codeServices().includes(process.service) || process.service === 'cli') {
    problems.push(`${process.where}: SERVICE=${process.service || '(unset)'} is not a long-running service`);
  }
  try {
    const config = loadConfig(process.env);
    // Probes, the Service and Prometheus reach a container from outside: it listens on every address.
    const host = config.http.host;
    if (host !== '0.0.0.0' && host !== '::') {
      problems.push(`${process.where}: ${ENV.httpHost}=${host}: probes and other containers cannot reach it`);
    }
    if (!isLoopbackHost(host)) {
      // The services' own rules for a non-loopback bind (producer main.ts, observability's ops server).
      const hasApiCredentials =
        config.apiTokens.length > 0 || (config.dashboard.user && config.dashboard.password);
      if (process.service === 'producer' && !hasApiCredentials) {
        problems.push(
          `${process.where}: the producer refuses to listen on ${host} without ${ENV.apiTokens} or the dashboard credentials`,
        );
      }
      if (config.metricsTokenSha256 === undefined) {
        problems.push(
          process.service === 'producer'
            ? `${process.where}: without ${ENV.metricsToken}, Prometheus cannot scrape the queue depth that KEDA scales on`
            : `${process.where}: refuses to listen on ${host} without ${ENV.metricsToken}`,
        );
      }
    }
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems.map((p) => `${process.where}: ${p}`));
  }
  for (const name of [ENV.redisUrl, ENV.storageUrl]) {
    if (!process.env[name])
      problems.push(`${process.where}: ${name} is not set (its default is for local mode only)`);
  }
  const storage = process.env[ENV.storageUrl];
  if (storage && !storage.startsWith('s3://')) {
    problems.push(`${process.where}: ${ENV.storageUrl}=${storage} is not shared storage (expected s3://)`);
  }
  return problems;
}

/** The port a process serves HTTP on, from its configuration. */
export function httpPort(process: DeployedProcess): number {
  return loadConfig(process.env).http.port;
}

function probePort(probe: K8sProbe): number | string | undefined {
  return probe.httpGet?.port ?? probe.tcpSocket?.port;
}

function resolvePort(container: K8sContainer, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/** Ports, probes and grace periods of the Kubernetes workloads against what the services serve. */
export function k8sWorkloadProblems(objects: K8sObject[], processes: DeployedProcess[]): string[] {
  const problems: string[] = [];
  const graceNeeded = SHUTDOWN_TIMEOUT_MS / 1000;
  for (const { object, pod } of workloads(objects)) {
    const where = `k8s ${object.kind}/${object.metadata.name}`;
    for (const container of pod.containers) {
      const at = `${where} container ${container.name}`;
      if (
        !container.resources?.requests?.cpu ||
        !container.resources.requests.memory ||
        !container.resources.limits?.memory
      ) {
        problems.push(`${at}: needs cpu and memory requests and a memory limit`);
      }
      if (!container.readinessProbe) problems.push(`${at}: no readiness probe`);
      if (!container.livenessProbe) problems.push(`${at}: no liveness probe`);
    }
    const lookalike = lookalikeContainers(pod);
    if (lookalike.length === 0) continue;
    if ((pod.terminationGracePeriodSeconds ?? 30) < graceNeeded) {
      problems.push(
        `${where}: terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds ?? 30} is shorter than the ${graceNeeded} s shutdown window`,
      );
    }
    for (const container of lookalike) {
      const at = `${where} container ${container.name}`;
      const process = processes.find((p) => p.where === where);
      if (!process) continue;
      let port: number;
      try {
        port = httpPort(process);
      } catch {
        continue; // reported by environmentProblems
      }
      if (!container.ports?.some((p) => p.containerPort === port))
        problems.push(`${at}: does not declare containerPort ${port} (LOOKALIKE_HTTP_PORT)`);
      const served = servedPaths(process.service);
      const readiness = container.readinessProbe;
      if (
        readiness &&
        (readiness.httpGet?.path !== '/healthz' || resolvePort(container, probePort(readiness)) !== port)
      ) {
        problems.push(`${at}: readiness must be GET /healthz on port ${port}`);
      }
      const liveness = container.livenessProbe;
      if (liveness) {
        if (resolvePort(container, probePort(liveness)) !== port)
          problems.push(`${at}: liveness probes another port than ${port}`);
        const path = liveness.httpGet?.path;
        if (path !== undefined && !served.includes(path))
          problems.push(`${at}: liveness path ${path} is not served (${served.join(', ')})`);
        const unfit = path === undefined ? undefined : unfitForLiveness(process.service)[path];
        if (unfit) problems.push(`${at}: liveness GET ${path} ${unfit}`);
        if (path !== undefined && (liveness.timeoutSeconds ?? 1) < 5) {
          problems.push(
            `${at}: liveness timeout ${liveness.timeoutSeconds ?? 1} s: a long batch holds the event loop longer`,
          );
        }
      }
    }
  }
  for (const service of objects.filter((o) => o.kind === 'Service')) {
    const spec = service.spec as {
      selector?: Record<string, string>;
      ports: { targetPort?: number | string }[];
    };
    const selected = workloads(objects).filter(({ object }) => {
      const labels =
        (object.spec as { template: { metadata: { labels?: Record<string, string> } } }).template.metadata
          .labels ?? {};
      return Object.entries(spec.selector ?? {}).every(([k, v]) => labels[k] === v);
    });
    if (selected.length === 0) problems.push(`k8s Service/${service.metadata.name}: selects no workload`);
    for (const { pod } of selected) {
      for (const { targetPort } of spec.ports) {
        if (!pod.containers.some((c) => resolvePort(c, targetPort) !== undefined)) {
          problems.push(
            `k8s Service/${service.metadata.name}: targetPort ${targetPort} is no container port`,
          );
        }
      }
    }
  }
  return problems;
}

/** ConfigMaps and Secrets that the pods reference exist, and none is optional (that hides a missing one). */
export function k8sReferenceProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const exists = (kind: string, name: string) =>
    objects.some((o) => o.kind === kind && o.metadata.name === name);
  for (const { object, pod } of workloads(objects)) {
    const where = `k8s ${object.kind}/${object.metadata.name}`;
    for (const container of pod.containers) {
      const refs: { kind: string; name: string; optional?: boolean }[] = [];
      for (const source of container.envFrom ?? []) {
        if (source.configMapRef) refs.push({ kind: 'ConfigMap', ...source.configMapRef });
        if (source.secretRef) refs.push({ kind: 'Secret', ...source.secretRef });
      }
      for (const variable of container.env ?? []) {
        if (variable.valueFrom?.configMapKeyRef)
          refs.push({ kind: 'ConfigMap', ...variable.valueFrom.configMapKeyRef });
        if (variable.valueFrom?.secretKeyRef)
          refs.push({ kind: 'Secret', ...variable.valueFrom.secretKeyRef });
      }
      for (const ref of refs) {
        if (!exists(ref.kind, ref.name)) problems.push(`${where}: ${ref.kind} ${ref.name} does not exist`);
        if (ref.optional)
          problems.push(`${where}: ${ref.kind} ${ref.name} is optional: a missing one would go unnoticed`);
      }
    }
  }
  return problems;
}

/** Redis keeps every job: AOF on, noeviction. */
export function redisArgsProblems(where: string, args: string): string[] {
  const problems: string[] = [];
  if (!/--appendonly\s+'?yes'?/.test(args))
    problems.push(`${where}: Redis without --appendonly yes loses queued jobs on restart`);
  if (!/--maxmemory-policy\s+noeviction/.test(args))
    problems.push(`${where}: Redis without --maxmemory-policy noeviction may evict BullMQ keys`);
  return problems;
}

export function k8sRedisProblems(objects: K8sObject[], processes: DeployedProcess[]): string[] {
  const problems: string[] = [];
  const hosts = new Set(
    processes.map((p) => (p.env[ENV.redisUrl] ? new URL(p.env[ENV.redisUrl]!).hostname : '')),
  );
  for (const host of hosts) {
    const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === host);
    if (!service) {
      problems.push(
        `k8s: ${ENV.redisUrl} names ${host}, which is no Service here (an external Redis needs appendonly yes + noeviction)`,
      );
      continue;
    }
    const selector = (service.spec as { selector: Record<string, string> }).selector;
    const redis = workloads(objects).find(({ object }) => {
      const labels = (object.spec as { template: { metadata: { labels: Record<string, string> } } }).template
        .metadata.labels;
      return Object.entries(selector).every(([k, v]) => labels[k] === v);
    });
    if (!redis) continue;
    if (redis.object.kind !== 'StatefulSet')
      problems.push(
        `k8s ${redis.object.kind}/${redis.object.metadata.name}: Redis needs a StatefulSet (its data on a volume)`,
      );
    const container = redis.pod.containers[0]!;
    problems.push(
      ...redisArgsProblems(
        `k8s ${redis.object.kind}/${redis.object.metadata.name}`,
        (container.args ?? []).join(' '),
      ),
    );
  }
  return problems;
}

/** Compose: health checks on /healthz of the configured port, published ports, grace periods, Redis, bucket. */
export function composeProblems(compose: ComposeFile, processes: DeployedProcess[]): string[] {
  const problems: string[] = [];
  const healthcheckScript = readFileSync(join(REPO_ROOT, 'infra', 'image', 'healthcheck.js'), 'utf8');
  const graceNeeded = SHUTDOWN_TIMEOUT_MS / 1000;
  for (const [name, service] of composeLookalikeServices(compose)) {
    const where = `compose ${name}`;
    const process = processes.find((p) => p.where === where);
    const test = service.healthcheck?.test;
    const testText = Array.isArray(test) ? test.join(' ') : (test ?? '');
    if (
      !testText.includes('/app/infra/image/healthcheck.js') ||
      !/LOOKALIKE_HTTP_PORT/.test(healthcheckScript) ||
      !healthcheckScript.includes('/healthz')
    ) {
      problems.push(
        `${where}: the health check must GET /healthz on LOOKALIKE_HTTP_PORT (infra/image/healthcheck.js)`,
      );
    }
    if (composeDurationSeconds(service.stop_grace_period ?? '10s') < graceNeeded) {
      problems.push(
        `${where}: stop_grace_period ${service.stop_grace_period ?? '10s'} is shorter than the ${graceNeeded} s shutdown window`,
      );
    }
    const files = composeEnvFiles(compose, service);
    for (const missing of files.missing)
      problems.push(`${where}: env file ${missing} (or its .example) does not exist`);
    const depends = service.depends_on ?? {};
    const conditions = Array.isArray(depends) ? {} : depends;
    for (const [dependency, condition] of [
      ['redis', 'service_healthy'],
      ['bucket-init', 'service_completed_successfully'],
    ] as const) {
      if (conditions[dependency]?.condition !== condition)
        problems.push(`${where}: must depend on ${dependency} (${condition})`);
    }
    if (!process) continue;
    let port: number;
    try {
      port = httpPort(process);
    } catch {
      continue;
    }
    for (const mapping of service.ports ?? []) {
      const container = Number(String(mapping).split(':').at(-1));
      if (container !== port)
        problems.push(`${where}: publishes container port ${container}, but it serves ${port}`);
    }
  }
  const redis = compose.services.redis;
  if (!redis) problems.push('compose: no redis service');
  else problems.push(...redisArgsProblems('compose redis', composeCommand(redis)));
  const init = compose.services['bucket-init'];
  const buckets = new Set(
    processes
      .map((p) => p.env[ENV.storageUrl])
      .filter(Boolean)
      .map((u) => new URL(u!).hostname),
  );
  for (const bucket of buckets) {
    if (!init || !new RegExp(`mc mb [^&]*\\b${bucket}\\b`).test(composeCommand(init))) {
      problems.push(`compose: no bucket-init step creates the bucket ${bucket} of ${ENV.storageUrl}`);
    }
  }
  return problems;
}

/** GPU embedders: one GPU each, scheduled on GPU nodes (k8s); a device reservation under a profile (compose). */
export function gpuProblems(objects: K8sObject[], compose: ComposeFile): string[] {
  const problems: string[] = [];
  const gpuWorkloads = workloads(objects).filter(({ pod }) =>
    pod.containers.some((c) => targetOfImage(c.image)?.startsWith('gpu')),
  );
  if (gpuWorkloads.length === 0) problems.push('k8s: no GPU embedder');
  for (const { object, pod } of gpuWorkloads) {
    const where = `k8s ${object.kind}/${object.metadata.name}`;
    for (const container of pod.containers.filter((c) => targetOfImage(c.image)?.startsWith('gpu'))) {
      if (String(container.resources?.limits?.['nvidia.com/gpu']) !== '1')
        problems.push(`${where}: limits["nvidia.com/gpu"] must be 1`);
    }
    if (!pod.nodeSelector || Object.keys(pod.nodeSelector).length === 0)
      problems.push(`${where}: no GPU node selector`);
    if (!pod.tolerations?.length) problems.push(`${where}: no toleration of the GPU nodes' taint`);
  }
  const gpuServices = composeLookalikeServices(compose).filter(([, s]) => s.build?.target?.startsWith('gpu'));
  if (gpuServices.length === 0) problems.push('compose: no GPU embedder');
  for (const [name, service] of gpuServices) {
    if (!service.profiles?.length)
      problems.push(
        `compose ${name}: a GPU service must be under a profile (hosts without GPUs start the rest)`,
      );
    const devices = service.deploy?.resources?.reservations?.devices ?? [];
    if (!devices.some((d) => d.capabilities?.includes('gpu')))
      problems.push(`compose ${name}: no GPU device reservation`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// KEDA

/** The series a process exports: metric name and label set, read from Prometheus text. */
export interface ExportedSeries {
  metric: string;
  labels: Record<string, string>;
}

export function parsePrometheusText(text: string): ExportedSeries[] {
  const series: ExportedSeries[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+\S+/.exec(line);
    if (!m || line.startsWith('#')) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
    series.push({ metric: m[1]!, labels });
  }
  return series;
}

interface Matcher {
  label: string;
  op: '=' | '=~' | '!=' | '!~';
  value: string;
}

/** The selector `metric{label op "value", …}` of a query and the `by (…)` groupings around it. */
export function parseSelector(
  query: string,
): { metric: string; matchers: Matcher[]; groupings: { op: string; by: string[] }[] } | undefined {
  const m = /([a-zA-Z_:][\w:]*)\s*\{([^}]*)\}/.exec(query);
  if (!m) return undefined;
  const matchers = [...m[2]!.matchAll(/(\w+)\s*(=~|!~|!=|=)\s*"([^"]*)"/g)].map(([, label, op, value]) => ({
    label: label!,
    op: op as Matcher['op'],
    value: value!,
  }));
  const groupings = [...query.matchAll(/\b(sum|max|min|avg)\s+by\s*\(([^)]*)\)/g)].map(([, op, by]) => ({
    op: op!,
    by: by!.split(',').map((s) => s.trim()),
  }));
  return { metric: m[1]!, matchers, groupings };
}

/** States whose jobs are waiting for a worker; scaling on `wait` alone misses prioritised and delayed jobs. */
export const WAITING_STATES = ['wait', 'prioritized', 'delayed'] as const;

/**
 * Each ScaledObject scales a workload that consumes the queue its query reads; the query names a metric
 * and labels the code exports, counts every waiting state, and collapses the exporters' series with
 * `max by (queue, state)` (a sum over them counts each queue once per exporting process). The exporter
 * is not itself scaled to zero, so the query answers when every worker is.
 */
export function kedaProblems(
  objects: K8sObject[],
  processes: DeployedProcess[],
  exported: ExportedSeries[],
): string[] {
  const problems: string[] = [];
  const consumers = serviceQueues();
  const scaled = objects.filter((o) => o.kind === 'ScaledObject');
  const scaledTargets = new Set<string>();
  for (const object of scaled) {
    const where = `k8s ScaledObject/${object.metadata.name}`;
    const spec = object.spec as {
      scaleTargetRef: { name: string; kind?: string };
      minReplicaCount?: number;
      triggers: { type: string; metadata: Record<string, string> }[];
    };
    const target = spec.scaleTargetRef.name;
    scaledTargets.add(target);
    const process = processes.find(
      (p) => p.where === `k8s ${spec.scaleTargetRef.kind ?? 'Deployment'}/${target}`,
    );
    if (!process) {
      problems.push(`${where}: scales ${target}, which is no lookalike Deployment`);
      continue;
    }
    const queues = consumers[process.service] ?? [];
    for (const trigger of spec.triggers) {
      if (trigger.type !== 'prometheus') {
        problems.push(
          `${where}: trigger ${trigger.type}: expected prometheus (queue depth from lookalike_queue_jobs, not LLEN wait)`,
        );
        continue;
      }
      for (const key of ['serverAddress', 'query', 'threshold'])
        if (!trigger.metadata[key]) problems.push(`${where}: trigger without ${key}`);
      const query = trigger.metadata.query ?? '';
      const selector = parseSelector(query);
      if (!selector) {
        problems.push(`${where}: query ${query} has no metric selector`);
        continue;
      }
      const series = exported.filter((s) => s.metric === selector.metric);
      if (series.length === 0) {
        problems.push(`${where}: metric ${selector.metric} is not exported`);
        continue;
      }
      for (const matcher of selector.matchers) {
        const values = new Set(series.map((s) => s.labels[matcher.label]).filter((v) => v !== undefined));
        if (values.size === 0) {
          problems.push(`${where}: ${selector.metric} has no label ${matcher.label}`);
          continue;
        }
        const wanted = matcher.op === '=~' ? matcher.value.split('|') : [matcher.value];
        for (const value of wanted)
          if (!values.has(value))
            problems.push(`${where}: ${selector.metric} never has ${matcher.label}="${value}"`);
      }
      const queue = selector.matchers.find((m) => m.label === 'queue' && m.op === '=')?.value;
      if (!queue || !queues.includes(queue as QueueName)) {
        problems.push(
          `${where}: reads queue ${queue ?? '(any)'}, but ${target} runs ${process.service}, which consumes ${queues.join(', ') || 'nothing'}`,
        );
      }
      const state = selector.matchers.find((m) => m.label === 'state');
      const states = state
        ? state.op === '=~'
          ? state.value.split('|')
          : state.op === '='
            ? [state.value]
            : []
        : [];
      const missing = WAITING_STATES.filter((s) => !states.includes(s));
      if (missing.length > 0)
        problems.push(`${where}: depth leaves out ${missing.join(', ')} (wait + prioritized + delayed)`);
      const collapse = selector.groupings.find(
        (g) => g.op === 'max' && g.by.includes('queue') && g.by.includes('state'),
      );
      if (!collapse || !/^\s*sum\s*\(/.test(query)) {
        problems.push(
          `${where}: query must be sum(max by (queue, state) (…)): each exporting process reports the whole queue, so summing their series over-counts`,
        );
      }
    }
  }
  const exporters = queueDepthExporters();
  const exporterWorkloads = processes.filter((p) => exporters.includes(p.service));
  if (exporterWorkloads.length === 0)
    problems.push(`k8s: no process exports queue depth (${exporters.join(', ')})`);
  for (const exporter of exporterWorkloads) {
    const name = exporter.where.split('/')[1]!;
    const workload = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
    const replicas = (workload?.spec as { replicas?: number } | undefined)?.replicas ?? 1;
    if (scaledTargets.has(name) || replicas < 1)
      problems.push(`${exporter.where}: exports queue depth, so it must not scale to zero`);
    const annotations =
      (workload?.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template
        .metadata.annotations ?? {};
    if (
      annotations['prometheus.io/scrape'] !== 'true' ||
      Number(annotations['prometheus.io/port']) !== httpPort(exporter)
    ) {
      problems.push(
        `${exporter.where}: exports queue depth but is not annotated for scraping on port ${httpPort(exporter)}`,
      );
    }
  }
  const workers = processes.filter(
    (p) => !exporters.includes(p.service) && (consumers[p.service] ?? []).length > 0,
  );
  for (const worker of workers) {
    const name = worker.where.split('/')[1]!;
    if (!scaledTargets.has(name)) problems.push(`${worker.where}: no ScaledObject scales it on queue depth`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Images

/** The three targets, their bases as build arguments, non-root, a health check, the GPU providers installed. */
export function dockerfileProblems(dockerfile: Dockerfile, dockerignore: string): string[] {
  const problems: string[] = [];
  for (const target of ['cpu', 'gpu', 'gpu-tf']) {
    const stage = dockerfile.stages.find((s) => s.name === target);
    if (!stage) {
      problems.push(`Dockerfile: no target ${target}`);
      continue;
    }
    if (!/^\$\{\w+\}$/.test(stage.rawBase))
      problems.push(`Dockerfile ${target}: its base image ${stage.rawBase} is not a build argument`);
    const image = imageConfig(dockerfile, target);
    if (!image.user || image.user === 'root' || image.user === '0')
      problems.push(`Dockerfile ${target}: runs as root`);
    if (!image.healthcheck) problems.push(`Dockerfile ${target}: no HEALTHCHECK`);
    if (image.entrypoint?.[0] !== '/app/infra/image/entrypoint.sh')
      problems.push(`Dockerfile ${target}: entry point is not infra/image/entrypoint.sh`);
    if (!image.exposes.includes(image.env[ENV.httpPort] ?? '8080'))
      problems.push(`Dockerfile ${target}: does not EXPOSE LOOKALIKE_HTTP_PORT`);
  }
  const allRuns = dockerfile.stages.flatMap((s) => s.runs).join('\n');
  if (/pnpm prune/.test(allRuns))
    problems.push(
      'Dockerfile: `pnpm prune --prod` prunes nothing without a TTY and empties workspace packages with CI=true',
    );
  const runsOf = (stage: string) => dockerfile.stages.find((s) => s.name === stage)?.runs.join('\n') ?? '';
  if (
    !/ONNXRUNTIME_NODE_INSTALL=\$\{ONNXRUNTIME_NODE_INSTALL\} node "\$ort\/script\/install\.js"/.test(
      runsOf('runtime-embedder-onnx'),
    ) ||
    dockerfile.args.ONNXRUNTIME_NODE_INSTALL !== 'cuda12'
  ) {
    problems.push(
      "Dockerfile gpu: onnxruntime-node's install script must run with ONNXRUNTIME_NODE_INSTALL=cuda12",
    );
  }
  if (!/--allow-build=@tensorflow\/tfjs-node-gpu/.test(runsOf('runtime-embedder-tf')))
    problems.push("Dockerfile gpu-tf: tfjs-node-gpu's install script must run");
  const ignored = dockerignore.split('\n').map((l) => l.trim());
  for (const entry of [
    '**/node_modules',
    '**/dist',
    '.lookalike',
    '.git',
    'infra/lookalike.env',
    'infra/k8s/**/secrets.env',
  ]) {
    if (!ignored.includes(entry)) problems.push(`.dockerignore: does not exclude ${entry}`);
  }
  return problems;
}

/** The image names the compose file builds, by target, with interpolation defaults applied. */
export function composeImageProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, service] of composeLookalikeServices(compose)) {
    const image = interpolateDefaults(service.image ?? '');
    if (targetOfImage(image) !== (service.build?.target ?? 'cpu')) {
      problems.push(
        `compose ${name}: image ${image} is not the name of target ${service.build?.target} (k8s tells images apart by name)`,
      );
    }
  }
  return problems;
}
