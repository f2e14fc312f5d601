import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { request } from 'node:http';
import { freePort } from './free-port';
import { spawnServer, type ChildServer } from './child-server';
import { waitFor } from './wait-for';

export interface S3ServerOptions {
  port?: number;
  /** Data directory; a new temporary one (removed on stop) by default. */
  dir?: string;
  /** Buckets created at start. */
  buckets?: string[];
}

export interface S3Server extends ChildServer {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
}

function answersHttp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', method: 'GET', timeout: 1000 }, (res) => {
      res.resume();
      resolve(true);
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
 * Starts `s3rver` (a real HTTP server speaking the S3 REST API over a directory) on 127.0.0.1
 * in its own Node process. It needs the OpenSSL legacy provider for paginated listing.
 */
export async function startS3Server(options: S3ServerOptions = {}): Promise<S3Server> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'lookalike-s3-')));
  const bin = join(dirname(require.resolve('s3rver/package.json')), 'bin', 's3rver.js');
  const args = [bin, '--directory', dir, '--port', String(port), '--address', '127.0.0.1', '--silent'];
  for (const bucket of options.buckets ?? []) args.push('--configure-bucket', bucket);
  const nodeOptions = [process.env.NODE_OPTIONS, '--openssl-legacy-provider'].filter(Boolean).join(' ');
  const server = await spawnServer({
    name: 's3rver',
    command: process.execPath,
    args,
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
    port,
    dir,
    removeDirOnStop: options.dir === undefined,
    ready: (signal) => waitFor(() => answersHttp(port), 15_000, `s3rver on port ${port}`, signal),
  });
  return {
    ...server,
    stop: server.stop,
    endpoint: `http://127.0.0.1:${port}`,
    // s3rver's fixed development credentials.
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    region: 'us-east-1',
  };
}
