import { connect } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { spawnServer, type ChildServer } from './child-server';
import { waitFor } from './wait-for';

export interface RedisServerOptions {
  /** Port to listen on; a free one by default. */
  port?: number;
  /** Data directory; a new temporary one (removed on stop) by default. */
  dir?: string;
  /** Append-only file persistence (for durability tests and local runs that survive restarts). */
  appendOnly?: boolean;
  /** Path of the redis-server binary. */
  binary?: string;
}

export interface RedisServer extends ChildServer {
  readonly url: string;
}

/** Sends PING on a raw socket; true on +PONG. */
export function pingRedis(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/**
 * Starts Debian's `redis-server` on 127.0.0.1 as a child process with BullMQ's required
 * `maxmemory-policy noeviction`.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'lookalike-redis-')));
  const binary = options.binary ?? process.env.REDIS_SERVER_BIN ?? 'redis-server';
  // prettier-ignore
  const args = [
    '--bind', '127.0.0.1',
    '--port', String(port),
    '--dir', dir,
    '--save', '',
    '--appendonly', options.appendOnly ? 'yes' : 'no',
    '--maxmemory-policy', 'noeviction',
    '--protected-mode', 'yes',
    '--daemonize', 'no',
    '--loglevel', 'warning',
  ];
  const server = await spawnServer({
    name: 'redis-server',
    command: binary,
    args,
    port,
    dir,
    removeDirOnStop: options.dir === undefined,
    ready: (signal) => waitFor(() => pingRedis(port), 10_000, `redis-server on port ${port}`, signal),
  });
  return { ...server, stop: server.stop, url: `redis://127.0.0.1:${port}` };
}
