import { createQueue, createRedisConnection } from '@lookalike/queue';
import { testServerEnv } from '@lookalike/local-servers';
import { ServiceMetrics } from './metrics';
import { startOpsServer } from './ops-server';

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
