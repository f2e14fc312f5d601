import { rm } from 'node:fs/promises';
import { spawnProcess, type ProcessExit, type SpawnSpec } from './spawn-process';

/** A server running as a child process, stopped with `stop()` (also on exit of this process). */
export interface ChildServer {
  readonly pid: number;
  readonly port: number;
  /** Temporary directory holding the server's data; removed by `stop()` unless kept. */
  readonly dir: string;
  stop(): Promise<void>;
}

export interface SpawnOptions extends Pick<SpawnSpec, 'command' | 'args' | 'env'> {
  args: string[];
  port: number;
  dir: string;
  removeDirOnStop: boolean;
  /** Resolves once the server answers; rejects with a reason when it cannot. Stop polling when `signal` aborts. */
  ready: (signal: AbortSignal) => Promise<void>;
  name: string;
}

/** How long `stop()` waits after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 5000;

function exitError(name: string, exit: ProcessExit, output: string[]): Error {
  if (exit.error) return new Error(`${name} failed to start: ${exit.error.message}`);
  const tail = output.join('\n').slice(-4000).trim();
  return new Error(`${name} exited early (code ${exit.code}, signal ${exit.signal}): ${tail}`);
}

/** Spawns a server, waits until it is ready (killing it when it cannot be), and returns a handle that stops it. */
export async function spawnServer(options: SpawnOptions): Promise<ChildServer> {
  const proc = spawnProcess({ command: options.command, args: options.args, env: options.env });
  const exitedEarly = proc.exited.then((exit) => {
    throw exitError(options.name, exit, proc.output());
  });
  const abort = new AbortController();
  try {
    await Promise.race([options.ready(abort.signal), exitedEarly]);
  } catch (err) {
    abort.abort();
    proc.kill();
    throw err;
  }
  exitedEarly.catch(() => undefined);

  let stopping: Promise<void> | undefined;
  return {
    pid: proc.pid ?? -1,
    port: options.port,
    dir: options.dir,
    stop() {
      stopping ??= (async () => {
        await proc.stop(STOP_GRACE_MS);
        if (options.removeDirOnStop) await rm(options.dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
