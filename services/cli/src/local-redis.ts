import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { startRedisServer, type RedisServer } from '@lookalike/local-servers';

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

/**
 * A redis-server launcher that puts Redis in its own session (`setsid`, same pid), so that
 * Ctrl-C in the terminal does not shut Redis down while the workers are still finishing their
 * jobs; the stack stops it last. Undefined when `setsid` is not available.
 */
async function detachedRedisLauncher(dir: string): Promise<string | undefined> {
  const setsid = which('setsid');
  if (!setsid) return undefined;
  const real = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  const path = join(dir, 'redis-server-detached.sh');
  await writeFile(path, `#!/bin/sh\nexec ${shellQuote(setsid)} ${shellQuote(real)} "$@"\n`);
  await chmod(path, 0o755);
  return path;
}

/** The local stack's own Redis: append-only in `dir`, in its own session (see detachedRedisLauncher). */
export async function startLocalRedis(dir: string): Promise<RedisServer> {
  await mkdir(dir, { recursive: true });
  const binary = await detachedRedisLauncher(dir);
  return startRedisServer({ dir, appendOnly: true, ...(binary ? { binary } : {}) });
}
