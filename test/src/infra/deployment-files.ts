import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { parse, parseAllDocuments } from 'yaml';

/** Readers of the deployment files in `infra/`: the Dockerfile, the compose file, the Kubernetes manifests. */

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const INFRA_DIR = join(REPO_ROOT, 'infra');
export const DOCKERFILE = join(INFRA_DIR, 'Dockerfile');
export const COMPOSE_FILE = join(INFRA_DIR, 'docker-compose.yml');
export const K8S_DIR = join(INFRA_DIR, 'k8s');
export const K8S_OVERLAY = 'overlays/example';

export type Env = Record<string, string>;

// ---------------------------------------------------------------------------------------------------------------
// Dockerfile

export interface DockerStage {
  /** `AS` name, or undefined for an unnamed stage. */
  name?: string;
  /** The FROM image with build arguments resolved to their defaults (a stage name when it builds on one). */
  base: string;
  /** The FROM image as written, e.g. `${CUDA12_IMAGE}`. */
  rawBase: string;
  env: Env;
  user?: string;
  /** HEALTHCHECK's command (JSON form), if any. */
  healthcheck?: string[];
  entrypoint?: string[];
  exposes: string[];
  /** Every RUN command's text. */
  runs: string[];
}

export interface Dockerfile {
  args: Env;
  stages: DockerStage[];
}

function substituteArgs(value: string, args: Env): string {
  return value.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (whole, a: string | undefined, b: string | undefined) => args[(a ?? b)!] ?? whole,
  );
}

/** The Dockerfile's global build arguments (with their defaults) and its stages. */
export function readDockerfile(path = DOCKERFILE): Dockerfile {
  const parsed = DockerfileParser.parse(readFileSync(path, 'utf8'));
  const args: Env = {};
  for (const arg of parsed.getInitialARGs()) {
    const property = arg.getProperty();
    if (property) args[property.getName()] = property.getValue() ?? '';
  }
  const froms = parsed.getFROMs();
  const stages: DockerStage[] = froms.map((from) => ({
    ...(from.getBuildStage() ? { name: from.getBuildStage()! } : {}),
    base: substituteArgs(from.getImage() ?? '', args),
    rawBase: from.getImage() ?? '',
    env: {},
    exposes: [],
    runs: [],
  }));
  const starts = froms.map((from) => from.getRange().start.line);
  for (const instruction of parsed.getInstructions()) {
    const line = instruction.getRange().start.line;
    const index = starts.filter((start) => start <= line).length - 1;
    if (index < 0) continue;
    const stage = stages[index]!;
    const keyword = instruction.getKeyword();
    const content = instruction.getArgumentsContent() ?? '';
    if (keyword === 'ENV') {
      for (const property of (
        instruction as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] }
      ).getProperties()) {
        stage.env[property.getName()] = property.getValue() ?? '';
      }
    } else if (keyword === 'USER') stage.user = content.trim();
    else if (keyword === 'EXPOSE') stage.exposes.push(...content.trim().split(/\s+/));
    else if (keyword === 'RUN') stage.runs.push(content);
    else if (keyword === 'ENTRYPOINT') stage.entrypoint = JSON.parse(content) as string[];
    else if (keyword === 'HEALTHCHECK') {
      const cmd = /\bCMD\s+(\[.*\])\s*$/s.exec(content);
      if (cmd) stage.healthcheck = JSON.parse(cmd[1]!) as string[];
    }
  }
  return { args, stages };
}

/** A stage and the stages it builds on, nearest last: what an image built with `--target name` holds. */
export function stageChain(dockerfile: Dockerfile, target: string): DockerStage[] {
  const chain: DockerStage[] = [];
  let stage = dockerfile.stages.find((s) => s.name === target);
  if (!stage) throw new Error(`Dockerfile: no stage ${target}`);
  while (stage) {
    chain.unshift(stage);
    const base: string = stage.base;
    stage = dockerfile.stages.find((s) => s.name === base);
  }
  return chain;
}

/** What an image of `target` carries: its environment, user, entry point and health check (last one wins). */
export function imageConfig(dockerfile: Dockerfile, target: string): Omit<DockerStage, 'name'> {
  const chain = stageChain(dockerfile, target);
  const merged: Omit<DockerStage, 'name'> = {
    base: chain[0]!.base,
    rawBase: chain[0]!.rawBase,
    env: {},
    exposes: [],
    runs: [],
  };
  for (const stage of chain) {
    Object.assign(merged.env, stage.env);
    if (stage.user !== undefined) merged.user = stage.user;
    if (stage.entrypoint) merged.entrypoint = stage.entrypoint;
    if (stage.healthcheck) merged.healthcheck = stage.healthcheck;
    merged.exposes.push(...stage.exposes);
    merged.runs.push(...stage.runs);
  }
  return merged;
}

/** The Dockerfile target that builds an image, from the image's name (`registry/lookalike-gpu:1.0` → gpu). */
export const IMAGE_TARGETS: Record<string, string> = {
  lookalike: 'cpu',
  'lookalike-gpu': 'gpu',
  'lookalike-gpu-tf': 'gpu-tf',
};

export function targetOfImage(image: string): string | undefined {
  const name = basename(image.split('@')[0]!).split(':')[0]!;
  return IMAGE_TARGETS[name];
}

// ---------------------------------------------------------------------------------------------------------------
// Compose

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string; target?: string };
  environment?: Record<string, string | number | boolean | null> | string[];
  env_file?: string | (string | { path: string; required?: boolean })[];
  profiles?: string[];
  command?: string | string[];
  entrypoint?: string | string[];
  healthcheck?: { test: string[] | string; start_period?: string };
  depends_on?: string[] | Record<string, { condition: string }>;
  ports?: string[];
  stop_grace_period?: string;
  deploy?: {
    replicas?: number;
    resources?: {
      reservations?: { devices?: { driver?: string; count?: number | string; capabilities?: string[] }[] };
    };
  };
  [key: string]: unknown;
}

export interface ComposeFile {
  /** Where it was read from: env files are relative to its folder. */
  path: string;
  raw: Record<string, unknown>;
  services: Record<string, ComposeService>;
}

export function readCompose(path = COMPOSE_FILE, text = readFileSync(path, 'utf8')): ComposeFile {
  const raw = parse(text, { merge: true }) as Record<string, unknown>;
  return { path, raw, services: (raw.services ?? {}) as Record<string, ComposeService> };
}

/** Compose's `${NAME:-default}` interpolation, with every variable at its default (the files' own values). */
export function interpolateDefaults(value: string): string {
  return value.replace(
    /\$\{(\w+)(?::?-([^}]*))?\}/g,
    (_whole, _name: string, fallback: string | undefined) => fallback ?? '',
  );
}

/** KEY=value lines (comments and blank lines skipped; surrounding quotes removed), as compose and kustomize read them. */
export function parseEnvFile(text: string): Env {
  const env: Env = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`env file: not KEY=value: ${line}`);
    env[line.slice(0, eq).trim()] = line
      .slice(eq + 1)
      .trim()
      .replace(/^(['"])(.*)\1$/, '$2');
  }
  return env;
}

/**
 * The file an env file entry stands for. An operator creates it from `<name>.example` (which the repository
 * holds); while it does not exist, the example is read.
 */
export function envFilePath(path: string): string {
  return existsSync(path) || !existsSync(`${path}.example`) ? path : `${path}.example`;
}

function envFileEntries(service: ComposeService): { path: string; required: boolean }[] {
  const entries =
    service.env_file === undefined
      ? []
      : Array.isArray(service.env_file)
        ? service.env_file
        : [service.env_file];
  return entries.map((e) =>
    typeof e === 'string' ? { path: e, required: true } : { path: e.path, required: e.required ?? true },
  );
}

/** The variables a compose service's env files set (file order; a later file wins). */
export function composeEnvFiles(
  compose: ComposeFile,
  service: ComposeService,
): { env: Env; files: string[]; missing: string[] } {
  const env: Env = {};
  const files: string[] = [];
  const missing: string[] = [];
  for (const entry of envFileEntries(service)) {
    const path = envFilePath(resolve(dirname(compose.path), entry.path));
    if (!existsSync(path)) {
      if (entry.required) missing.push(path);
      continue;
    }
    files.push(path);
    Object.assign(env, parseEnvFile(readFileSync(path, 'utf8')));
  }
  return { env, files, missing };
}

export function composeEnvironment(service: ComposeService): Env {
  const env: Env = {};
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    for (const item of environment) {
      const eq = item.indexOf('=');
      if (eq > 0) env[item.slice(0, eq)] = item.slice(eq + 1);
    }
  } else {
    for (const [key, value] of Object.entries(environment)) if (value !== null) env[key] = String(value);
  }
  return env;
}

/** Services built from infra/Dockerfile: lookalike's own processes. */
export function composeLookalikeServices(compose: ComposeFile): [string, ComposeService][] {
  return Object.entries(compose.services).filter(([, s]) => s.build?.dockerfile === 'infra/Dockerfile');
}

export function composeCommand(service: ComposeService): string {
  const parts = [service.entrypoint, service.command].flatMap((p) =>
    p === undefined ? [] : Array.isArray(p) ? p : [p],
  );
  return parts.join(' ');
}

/** Seconds of a compose duration such as `90s`, `1m30s`. */
export function composeDurationSeconds(value: string): number {
  let total = 0;
  for (const [, n, unit] of value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) {
    total += Number(n) * { h: 3600, m: 60, s: 1, ms: 0.001 }[unit as 'h' | 'm' | 's' | 'ms'];
  }
  return total;
}

// ---------------------------------------------------------------------------------------------------------------
// Kubernetes

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [key: string]: unknown;
}

/**
 * Renders a kustomization with `kubectl kustomize` (kustomize v5, shipped with kubectl), from a copy of
 * infra/k8s in which each `secrets.env` is made from its `.example` (as an operator does). `mutate` may
 * change the copy first (tests of the checks).
 */
export async function renderKustomize(
  overlay = K8S_OVERLAY,
  mutate?: (copy: string) => Promise<void> | void,
): Promise<K8sObject[]> {
  const copy = await mkdtemp(join(tmpdir(), 'lookalike-k8s-'));
  try {
    await cp(K8S_DIR, copy, { recursive: true });
    for (const entry of await readdir(copy, { recursive: true })) {
      const path = join(copy, entry);
      if (path.endsWith('.env.example') && !existsSync(path.slice(0, -'.example'.length))) {
        await copyFile(path, path.slice(0, -'.example'.length));
      }
    }
    await mutate?.(copy);
    let out: string;
    try {
      out = execFileSync('kubectl', ['kustomize', join(copy, overlay)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: string };
      if (e.code === 'ENOENT')
        throw new Error('kubectl is needed to render the kustomizations (`kubectl kustomize`)');
      throw new Error(`kubectl kustomize ${overlay}: ${e.stderr ?? e.message}`);
    }
    return parseAllDocuments(out)
      .map((doc) => doc.toJS() as K8sObject | null)
      .filter((o): o is K8sObject => o !== null);
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

export interface K8sContainer {
  name: string;
  image: string;
  args?: string[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: Record<string, { name: string; key: string; optional?: boolean }>;
  }[];
  envFrom?: {
    configMapRef?: { name: string; optional?: boolean };
    secretRef?: { name: string; optional?: boolean };
  }[];
  ports?: { name?: string; containerPort: number }[];
  readinessProbe?: K8sProbe;
  livenessProbe?: K8sProbe;
  startupProbe?: K8sProbe;
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
}

export interface K8sProbe {
  httpGet?: { path: string; port: number | string };
  tcpSocket?: { port: number | string };
  exec?: { command: string[] };
  timeoutSeconds?: number;
  periodSeconds?: number;
  failureThreshold?: number;
}

export interface K8sPodSpec {
  containers: K8sContainer[];
  terminationGracePeriodSeconds?: number;
  nodeSelector?: Record<string, string>;
  tolerations?: { key?: string; operator?: string; effect?: string }[];
}

/** Deployments and StatefulSets with their pod specs. */
export function workloads(objects: K8sObject[]): { object: K8sObject; pod: K8sPodSpec }[] {
  return objects
    .filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')
    .map((object) => ({ object, pod: (object.spec as { template: { spec: K8sPodSpec } }).template.spec }));
}

/** The variables of a ConfigMap or Secret (Secret `data` decoded). */
export function objectData(object: K8sObject): Env {
  const data: Env = {};
  for (const [key, value] of Object.entries((object.data ?? {}) as Env)) {
    data[key] = object.kind === 'Secret' ? Buffer.from(value, 'base64').toString('utf8') : value;
  }
  Object.assign(data, (object.stringData ?? {}) as Env);
  return data;
}
