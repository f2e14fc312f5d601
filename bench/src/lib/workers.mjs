// Real service processes (node services/<name>/dist/main.js) with their JSON logs captured.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { serviceMain, load } from './resolve.mjs';
import { procCpuSeconds } from './machine.mjs';

const { freePort } = load('@lookalike/local-servers');

/** Keeps each thread's FAISS/OpenBLAS to one thread (parallelism from processes, as local mode does). */
export const SINGLE_THREAD_ENV = {
  OMP_NUM_THREADS: '1',
  OPENBLAS_NUM_THREADS: '1',
  OMP_WAIT_POLICY: 'PASSIVE',
};

function healthy(port) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once('error', () => resolve(false));
    req.once('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

/**
 * Starts one worker process of `service` and resolves once its /healthz answers 200.
 * `logs` collects its parsed JSON log lines (with a `t` receive timestamp, performance.now() ms).
 */
export async function startWorker(service, name, env, { timeoutMs = 60_000 } = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [serviceMain(service)], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env, LOOKALIKE_HTTP_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs = [];
  let tail = '';
  let pending = '';
  const onData = (chunk) => {
    const t = performance.now();
    pending += chunk.toString();
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      tail = (tail + line + '\n').slice(-4000);
      try {
        logs.push({ t, ...JSON.parse(line) });
      } catch {
        /* not JSON */
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', (c) => (tail = (tail + c.toString()).slice(-4000)));
  let exited = false;
  const exit = new Promise((resolve) =>
    child.once('exit', (code, signal) => ((exited = true), resolve({ code, signal }))),
  );
  const deadline = Date.now() + timeoutMs;
  while (!(await healthy(port))) {
    if (exited) throw new Error(`${name} exited during start-up:\n${tail}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not become healthy in ${timeoutMs} ms:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name,
    pid: child.pid,
    port,
    logs,
    tail: () => tail,
    cpuSeconds: () => procCpuSeconds(child.pid),
    get exited() {
      return exited;
    },
    /** SIGTERM (graceful: finishes its job), SIGKILL after `graceMs`. */
    async stop(graceMs = 30_000) {
      if (exited) return exit;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const r = await exit;
      clearTimeout(timer);
      return r;
    },
  };
}

/** Completed-job log lines of a worker: [{ jobId, stage, ms, t }]. */
export function completedJobs(worker) {
  return worker.logs
    .filter((l) => l.msg === 'job completed')
    .map((l) => ({ jobId: l.jobId, stage: l.stage, ms: l.ms, t: l.t, worker: worker.name }));
}

/** Log lines that look like problems (warn and above). */
export function problems(worker) {
  return worker.logs.filter((l) =>
    typeof l.level === 'number' ? l.level >= 40 : ['warn', 'error', 'fatal'].includes(l.level),
  );
}
