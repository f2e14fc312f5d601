import { connect } from 'node:net';
import { existsSync } from 'node:fs';
import { pingRedis, startRedisServer } from './redis-server';
import { startS3Server } from './s3-server';
import { spawnServer } from './child-server';
import { waitFor } from './wait-for';
import { startTestServers } from './test-environment';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('local servers', () => {
  it('starts two redis servers side by side on different ports and stops them, removing their dirs', async () => {
    const [a, b] = await Promise.all([startRedisServer(), startRedisServer()]);
    expect(a.port).not.toBe(b.port);
    expect(await pingRedis(a.port)).toBe(true);
    expect(await pingRedis(b.port)).toBe(true);
    await Promise.all([a.stop(), b.stop()]);
    expect(await portOpen(a.port)).toBe(false);
    expect(existsSync(a.dir)).toBe(false);
  });

  it('starts s3rver with a bucket that answers S3 requests', async () => {
    const s3 = await startS3Server({ buckets: ['probe'] });
    try {
      const res = await fetch(`${s3.endpoint}/probe?list-type=2`);
      // Unsigned request: s3rver answers with an S3 error document, which proves the S3 API is up.
      const body = await res.text();
      expect(body).toMatch(/<\?xml/);
    } finally {
      await s3.stop();
    }
    expect(await portOpen(s3.port)).toBe(false);
  });

  it('reports a clear error when the redis binary is missing', async () => {
    await expect(startRedisServer({ binary: '/nonexistent/redis-server' })).rejects.toThrow(/redis-server/);
  });

  it('reports the exit and last output of a server that exits before it is ready', async () => {
    await expect(
      spawnServer({
        name: 'quitter',
        command: process.execPath,
        args: ['-e', 'console.error("bad config: no port"); process.exit(2)'],
        port: 1,
        dir: '/nonexistent',
        removeDirOnStop: false,
        ready: (signal) => waitFor(async () => false, 10_000, 'quitter', signal),
      }),
    ).rejects.toThrow('quitter exited early (code 2, signal null): bad config: no port');
  });

  it('startTestServers exposes the environment for integration tests', async () => {
    const servers = await startTestServers();
    try {
      expect(servers.env.LOOKALIKE_TEST_REDIS_URL).toBe(`redis://127.0.0.1:${servers.redis.port}`);
      expect(servers.env.LOOKALIKE_TEST_S3_ENDPOINT).toBe(`http://127.0.0.1:${servers.s3.port}`);
    } finally {
      await servers.stop();
    }
  });
});
