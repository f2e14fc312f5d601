import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';

/** A server running as a child process, stopped with `stop()` (also on exit of this process). */
export interface ChildServer {
  readonly pid: number;
  readonly port: number;
  /** Temporary directory holding the server's data; removed by `stop()` unless kept. */
  readonly dir: string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  port: number;
  dir: string;
  removeDirOnStop: boolean;
  /** Resolves once the server answers; rejects with a reason when it cannot. Stop polling when `signal` aborts. */
  ready: (signal: AbortSignal) => Promise<void>;
  name: string;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort: never leave servers running when the parent exits without stopping them.
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/** Spawns a server, waits until it is ready, and returns a handle that stops it. */
export async function spawnServer(options: SpawnOptions): Promise<ChildServer> {
  installExitHook();
  const child = spawn(options.command, options.args, {
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  live.add(child);

  const exited = new Promise<never>((_, reject) => {
    child.once('error', (err) => reject(new Error(`${options.name} failed to start: ${err.message}`)));
    child.once('exit', (code, signal) =>
      reject(new Error(`${options.name} exited early (code ${code}, signal ${signal}): ${output.trim()}`)),
    );
  });
  const abort = new AbortController();
  try {
    await Promise.race([options.ready(abort.signal), exited]);
  } catch (err) {
    abort.abort();
    live.delete(child);
    child.kill('SIGKILL');
    child.stdout?.destroy();
    child.stderr?.destroy();
    throw err;
  }
  exited.catch(() => undefined);
  child.stdout?.off('data', keep);
  child.stderr?.off('data', keep);
  child.stdout?.resume();
  child.stderr?.resume();

  let stopping: Promise<void> | undefined;
  return {
    pid: child.pid ?? -1,
    port: options.port,
    dir: options.dir,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await gone;
          clearTimeout(timer);
        }
        live.delete(child);
        if (options.removeDirOnStop) await rm(options.dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

/** Polls `probe` until it succeeds or `timeoutMs` passes. */
export async function waitFor(
  probe: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  while (Date.now() < deadline) {
    if (signal?.aborted) return;
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 200);
  }
  throw new Error(`${what} was not ready within ${timeoutMs} ms`);
}
