import { createQueue, createRedisConnection } from '@lookalike/queue';
import { testServerEnv } from '@lookalike/local-servers';
import { ServiceMetrics } from './metrics';
import { sha256Hex } from '@lookalike/core';
import { InsecureBindError, startOpsServer } from './ops-server';

describe('ops server', () => {
  it('serves /healthz and /metrics with queue depth read from a real Redis', async () => {
    const connection = createRedisConnection(testServerEnv().LOOKALIKE_TEST_REDIS_URL);
    const queue = createQueue('embed', { connection, prefix: `ops${Date.now()}` });
    await queue.addBulk([1, 2, 3].map((n) => ({ name: 'embed', data: { n } })));
    const metrics = new ServiceMetrics('embedder');
    metrics.watchQueues([queue]);
    metrics.jobsTotal.inc({ queue: 'embed', name: 'embed', status: 'completed' });
    let healthy = true;
    const ops = await startOpsServer({ host: '127.0.0.1', port: 0, metrics, health: () => ({ ok: healthy }) });
    try {
      const base = `http://127.0.0.1:${ops.port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      healthy = false;
      expect((await fetch(`${base}/healthz`)).status).toBe(503);
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).toMatch(/lookalike_queue_jobs\{queue="embed",state="wait",service="embedder"\} 3/);
      expect(text).toMatch(/lookalike_jobs_total\{queue="embed",name="embed",status="completed",service="embedder"\} 1/);
      expect(text).toMatch(/process_resident_memory_bytes/);
      expect((await fetch(`${base}/nope`)).status).toBe(404);
    } finally {
      await ops.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await connection.quit();
    }
  });
});

describe('ops server credentials', () => {
  const metrics = new ServiceMetrics('reducer');
  const token = 'scrape-me-0123456789';

  it('wants the scrape token on /metrics when one is configured; /healthz stays open', async () => {
    const ops = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      metrics,
      health: () => ({ ok: true }),
      metricsTokenSha256: sha256Hex(token),
    });
    try {
      const base = `http://127.0.0.1:${ops.port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const without = await fetch(`${base}/metrics`);
      expect(without.status).toBe(401);
      expect(without.headers.get('www-authenticate')).toBe('Bearer realm="lookalike"');
      expect(await without.text()).not.toMatch(/process_/);
      expect((await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}x` } })).status).toBe(401);
      expect((await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${sha256Hex(token)}` } })).status).toBe(401);
      const right = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(right.status).toBe(200);
      expect(await right.text()).toMatch(/process_resident_memory_bytes/);
    } finally {
      await ops.close();
    }
  });

  it('refuses a non-loopback bind without a scrape token, and takes one with it', async () => {
    await expect(startOpsServer({ host: '0.0.0.0', port: 0, metrics, health: () => ({ ok: true }) })).rejects.toThrow(
      InsecureBindError,
    );
    await expect(startOpsServer({ host: '::', port: 0, metrics, health: () => ({ ok: true }) })).rejects.toThrow(
      /without LOOKALIKE_METRICS_TOKEN/,
    );
    const ops = await startOpsServer({
      host: '0.0.0.0',
      port: 0,
      metrics,
      health: () => ({ ok: true }),
      metricsTokenSha256: sha256Hex(token),
    });
    try {
      expect((await fetch(`http://127.0.0.1:${ops.port}/metrics`)).status).toBe(401);
    } finally {
      await ops.close();
    }
  });
});
