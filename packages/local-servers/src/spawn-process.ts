import { spawn, type ChildProcess } from 'node:child_process';
import { LineSplitter } from './line-splitter';

export type OutputStreamName = 'stdout' | 'stderr';

/** One OS process to start. */
export interface SpawnSpec {
  command: string;
  args?: string[];
  /** The full environment of the process (merge `process.env` yourself). Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /**
   * Run it in its own process group (default false): a terminal's Ctrl-C then reaches only this
   * process's parent, and `kill()` reaches the process's own children (sandboxed job processors) too.
   */
  detached?: boolean;
  /** Every output line (without its newline). */
  onLine?: (line: string, stream: OutputStreamName) => void;
  /** Output lines kept for `output()`. Default 200. */
  keepLines?: number;
}

/** How a process ended: `error` when it could not be spawned at all. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

/** A spawned process, killed (SIGKILL) if this process exits without stopping it. */
export interface SpawnedProcess {
  /** The OS process id; undefined when it could not be spawned. */
  readonly pid: number | undefined;
  readonly running: boolean;
  /**
   * Resolves once the process is gone and its output delivered: on 'close', or at most
   * CLOSE_GRACE_MS after 'exit' (a grandchild holding the pipes open must not hold it up).
   */
  readonly exited: Promise<ProcessExit>;
  /** The last `keepLines` output lines, stdout and stderr interleaved. */
  output(): string[];
  /** Sends `signal` to the process itself. False when it is not running. */
  signal(signal: NodeJS.Signals): boolean;
  /** Sends `signal` (default SIGKILL) to the running process and, when detached, its whole process group. */
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL (to the group) if it is still running after `graceMs`. Idempotent. */
  stop(graceMs: number): Promise<ProcessExit>;
}

const CLOSE_GRACE_MS = 1000;

/** Every live process spawned here, with how to kill it. */
const live = new Map<ChildProcess, () => void>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort: never leave processes running when this one exits without stopping them.
  process.once('exit', () => {
    for (const kill of live.values()) kill();
  });
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && child.pid !== undefined;
}

/** Signals a detached child's whole process group, else the child. */
function killTree(child: ChildProcess, signal: NodeJS.Signals, detached: boolean): void {
  if (child.pid === undefined) return;
  try {
    if (detached) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function captureLines(child: ChildProcess, keep: (line: string, stream: OutputStreamName) => void): void {
  for (const streamName of ['stdout', 'stderr'] as const) {
    const stream = child[streamName];
    if (!stream) continue;
    stream.setEncoding('utf8');
    const splitter = new LineSplitter((line) => keep(line, streamName));
    stream.on('data', (chunk: string) => splitter.push(chunk));
    stream.on('end', () => splitter.flush());
    stream.on('error', () => undefined);
  }
}

function trackExit(child: ChildProcess): Promise<ProcessExit> {
  return new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      const timer = setTimeout(() => resolve({ code, signal }), CLOSE_GRACE_MS);
      child.once('close', () => {
        clearTimeout(timer);
        resolve({ code, signal });
      });
    });
    child.once('error', (error) => {
      if (child.pid === undefined) resolve({ code: null, signal: null, error });
    });
  });
}

/**
 * Spawns one OS process with its output piped, split into lines and the last ones kept, and its
 * exit tracked. The one process spawner of the repository: test servers (`spawnServer`) and the
 * CLI's supervisor (`ProcessGroup`) both start their processes here.
 */
export function spawnProcess(spec: SpawnSpec): SpawnedProcess {
  installExitHook();
  const detached = spec.detached ?? false;
  const keepLines = spec.keepLines ?? 200;
  const child = spawn(spec.command, spec.args ?? [], {
    env: spec.env ?? process.env,
    cwd: spec.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });
  live.set(child, () => killTree(child, 'SIGKILL', detached));
  const recent: string[] = [];
  captureLines(child, (line, stream) => {
    recent.push(line);
    if (recent.length > keepLines) recent.shift();
    spec.onLine?.(line, stream);
  });
  const exited = trackExit(child).then((exit) => {
    live.delete(child);
    return exit;
  });
  let stopping: Promise<ProcessExit> | undefined;
  return {
    pid: child.pid,
    get running() {
      return isRunning(child);
    },
    exited,
    output: () => [...recent],
    signal(signal) {
      if (!isRunning(child)) return false;
      child.kill(signal);
      return true;
    },
    kill(signal = 'SIGKILL') {
      if (isRunning(child)) killTree(child, signal, detached);
    },
    stop(graceMs) {
      stopping ??= (async () => {
        if (!isRunning(child)) return exited;
        child.kill('SIGTERM');
        const timer = setTimeout(() => killTree(child, 'SIGKILL', detached), graceMs);
        const exit = await exited;
        clearTimeout(timer);
        return exit;
      })();
      return stopping;
    },
  };
}
