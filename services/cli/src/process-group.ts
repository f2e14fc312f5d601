import { spawn, type ChildProcess } from 'node:child_process';
import { LineSplitter } from './line-splitter';

/** One process to run and keep running. */
export interface ProcessSpec {
  /** Unique name, e.g. `embedder-1`: the tag of its log lines. */
  name: string;
  command: string;
  args?: string[];
  /** The full environment of the process (merge `process.env` yourself). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export type OutputStreamName = 'stdout' | 'stderr';

export type ProcessEvent =
  | { type: 'started'; name: string; pid: number; restarts: number }
  | {
      type: 'exited';
      name: string;
      pid: number | undefined;
      code: number | null;
      signal: NodeJS.Signals | null;
      expected: boolean;
    }
  | { type: 'restarting'; name: string; attempt: number; maxRestarts: number; delayMs: number }
  | { type: 'gave-up'; name: string; restarts: number }
  | { type: 'spawn-error'; name: string; error: Error };

export interface ProcessGroupOptions {
  /** Every output line of every process (without its newline). */
  onLine?: (name: string, line: string, stream: OutputStreamName) => void;
  onEvent?: (event: ProcessEvent) => void;
  /** Wait before restarting a process that exited unexpectedly. Default 1000 ms. */
  restartDelayMs?: number;
  /** Restarts per process before giving up on it. Default 5. */
  maxRestarts?: number;
  /**
   * How long `stop()` waits after SIGTERM before SIGKILL. Default 75 s: the services give
   * themselves 60 s to finish their active jobs.
   */
  stopTimeoutMs?: number;
  /**
   * Run each process in its own process group (default true), so that Ctrl-C in a terminal
   * reaches only the supervisor, which then stops the processes in order, instead of every
   * process receiving SIGINT at once.
   */
  detached?: boolean;
  /** Output lines kept per process for `recentOutput()`. Default 200. */
  keepLines?: number;
}

/** A supervised process as seen from outside. */
export interface ProcessInfo {
  name: string;
  /** The current OS process id; undefined between a crash and its restart. */
  pid: number | undefined;
  running: boolean;
  restarts: number;
  gaveUp: boolean;
}

interface Supervised {
  spec: ProcessSpec;
  child: ChildProcess | undefined;
  exited: Promise<void>;
  restarts: number;
  gaveUp: boolean;
  restartTimer: NodeJS.Timeout | undefined;
  recent: string[];
  /** Output of the current (or last) run only. */
  lastRun: string[];
}

const CLOSE_GRACE_MS = 1000;

/** Every live child of every group in this process, killed if this process exits without stopping them. */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of liveChildren) killTree(child, 'SIGKILL');
  });
}

function isRunning(child: ChildProcess | undefined): child is ChildProcess {
  return (
    child !== undefined && child.exitCode === null && child.signalCode === null && child.pid !== undefined
  );
}

/** Signals a detached child's whole process group (sandboxed job processors included), else the child. */
function killTree(child: ChildProcess, signal: NodeJS.Signals, detached = true): void {
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

/**
 * Runs named OS processes, forwards their output line by line, restarts one that exits
 * unexpectedly (after `restartDelayMs`, at most `maxRestarts` times), and stops them all
 * gracefully: SIGTERM, wait, SIGKILL after `stopTimeoutMs`.
 */
export class ProcessGroup {
  private readonly procs = new Map<string, Supervised>();
  private stopping: Promise<void> | undefined;
  private readonly restartDelayMs: number;
  private readonly maxRestarts: number;
  private readonly stopTimeoutMs: number;
  private readonly detached: boolean;
  private readonly keepLines: number;

  constructor(private readonly options: ProcessGroupOptions = {}) {
    this.restartDelayMs = options.restartDelayMs ?? 1000;
    this.maxRestarts = options.maxRestarts ?? 5;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 75_000;
    this.detached = options.detached ?? true;
    this.keepLines = options.keepLines ?? 200;
    installExitHook();
  }

  /** Starts a process. Names must be unique within the group. */
  start(spec: ProcessSpec): void {
    if (this.stopping) throw new Error(`cannot start ${spec.name}: the process group is stopping`);
    if (this.procs.has(spec.name)) throw new Error(`a process named ${spec.name} is already in the group`);
    const proc: Supervised = {
      spec,
      child: undefined,
      exited: Promise.resolve(),
      restarts: 0,
      gaveUp: false,
      restartTimer: undefined,
      recent: [],
      lastRun: [],
    };
    this.procs.set(spec.name, proc);
    this.spawn(proc);
  }

  /** Name and current pid of every process (pids change when a process is restarted). */
  get processes(): ProcessInfo[] {
    return [...this.procs.values()].map((p) => ({
      name: p.spec.name,
      pid: isRunning(p.child) ? p.child.pid : undefined,
      running: isRunning(p.child),
      restarts: p.restarts,
      gaveUp: p.gaveUp,
    }));
  }

  /** The last output lines of a process, across its restarts. */
  recentOutput(name: string): string[] {
    return [...(this.procs.get(name)?.recent ?? [])];
  }

  /** The last output lines of a process's current (or last) run: why it failed to start. */
  lastRunOutput(name: string): string[] {
    return [...(this.procs.get(name)?.lastRun ?? [])];
  }

  /**
   * Sends `signal` to one process (e.g. SIGKILL to test crash recovery). Unless the group is
   * stopping, its exit counts as unexpected and it is restarted. False when it is not running.
   */
  signal(name: string, signal: NodeJS.Signals = 'SIGTERM'): boolean {
    const child = this.procs.get(name)?.child;
    if (!isRunning(child)) return false;
    child.kill(signal);
    return true;
  }

  /** Stops every process: SIGTERM, then SIGKILL to those still running after `stopTimeoutMs`. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const waits: Promise<void>[] = [];
      for (const proc of this.procs.values()) {
        if (proc.restartTimer) clearTimeout(proc.restartTimer);
        proc.restartTimer = undefined;
        const child = proc.child;
        if (!isRunning(child)) continue;
        child.kill('SIGTERM');
        waits.push(
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => killTree(child, 'SIGKILL', this.detached), this.stopTimeoutMs);
            void proc.exited.then(() => {
              clearTimeout(timer);
              resolve();
            });
          }),
        );
      }
      await Promise.all(waits);
    })();
    return this.stopping;
  }

  /** SIGKILLs every process (and its process group) now: the answer to a second Ctrl-C. */
  kill(): void {
    for (const proc of this.procs.values()) {
      if (proc.restartTimer) clearTimeout(proc.restartTimer);
      proc.restartTimer = undefined;
      if (isRunning(proc.child)) killTree(proc.child, 'SIGKILL', this.detached);
    }
    this.stopping ??= Promise.all([...this.procs.values()].map((p) => p.exited)).then(() => undefined);
  }

  private emit(event: ProcessEvent): void {
    this.options.onEvent?.(event);
  }

  private spawn(proc: Supervised): void {
    const { spec } = proc;
    const child = spawn(spec.command, spec.args ?? [], {
      env: spec.env ?? process.env,
      cwd: spec.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: this.detached,
    });
    proc.child = child;
    proc.lastRun = [];
    liveChildren.add(child);
    for (const streamName of ['stdout', 'stderr'] as const) {
      const stream = child[streamName];
      if (!stream) continue;
      stream.setEncoding('utf8');
      const splitter = new LineSplitter((line) => {
        for (const kept of [proc.recent, proc.lastRun]) {
          kept.push(line);
          if (kept.length > this.keepLines) kept.shift();
        }
        this.options.onLine?.(spec.name, line, streamName);
      });
      stream.on('data', (chunk: string) => splitter.push(chunk));
      stream.on('end', () => splitter.flush());
      stream.on('error', () => undefined);
    }
    proc.exited = new Promise<void>((resolve) => {
      let ended = false;
      const onEnd = (code: number | null, signal: NodeJS.Signals | null, error?: Error) => {
        if (ended) return;
        ended = true;
        liveChildren.delete(child);
        if (error) this.emit({ type: 'spawn-error', name: spec.name, error });
        const expected = this.stopping !== undefined;
        this.emit({ type: 'exited', name: spec.name, pid: child.pid, code, signal, expected });
        resolve();
        if (!expected) this.scheduleRestart(proc);
      };
      // 'close' comes once the output pipes are drained too, so that a process's last lines are
      // delivered before it is reported gone; wait for it at most CLOSE_GRACE_MS after 'exit'
      // (a grandchild holding the pipes open must not hold up a restart or a stop).
      child.once('exit', (code, signal) => {
        const timer = setTimeout(() => onEnd(code, signal), CLOSE_GRACE_MS);
        child.once('close', () => {
          clearTimeout(timer);
          onEnd(code, signal);
        });
      });
      child.once('error', (error) => {
        if (child.pid === undefined) onEnd(null, null, error);
      });
    });
    if (child.pid !== undefined)
      this.emit({ type: 'started', name: spec.name, pid: child.pid, restarts: proc.restarts });
  }

  private scheduleRestart(proc: Supervised): void {
    if (proc.restarts >= this.maxRestarts) {
      proc.gaveUp = true;
      this.emit({ type: 'gave-up', name: proc.spec.name, restarts: proc.restarts });
      return;
    }
    proc.restarts += 1;
    this.emit({
      type: 'restarting',
      name: proc.spec.name,
      attempt: proc.restarts,
      maxRestarts: this.maxRestarts,
      delayMs: this.restartDelayMs,
    });
    proc.restartTimer = setTimeout(() => {
      proc.restartTimer = undefined;
      if (this.stopping === undefined) this.spawn(proc);
    }, this.restartDelayMs);
  }
}
