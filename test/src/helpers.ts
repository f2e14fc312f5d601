import type { Manifest } from '@lookalike/core';

export interface StatusBody {
  manifest: Manifest;
  progress: { step: string; done: number; failed: number; total: number };
  job?: { state: string; failedReason?: string };
}

export async function api<T>(apiUrl: string, path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(`${apiUrl}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init?.headers ?? {}) },
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** Polls a rebuild until it is no longer running. */
export async function waitForRebuild(apiUrl: string, rebuildId: string, timeoutMs: number): Promise<StatusBody> {
  const deadline = Date.now() + timeoutMs;
  let last: StatusBody | undefined;
  while (Date.now() < deadline) {
    const { status, body } = await api<StatusBody>(apiUrl, `/rebuilds/${rebuildId}`);
    if (status === 200) {
      last = body;
      if (body.manifest.status !== 'running') return body;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`rebuild ${rebuildId} still running after ${timeoutMs} ms: ${JSON.stringify(last?.manifest.stages)}`);
}

/** Sum of `lookalike_jobs_total{status="completed"}` in a process's Prometheus metrics. */
export async function completedJobs(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('lookalike_jobs_total{') && line.includes('status="completed"')) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}
