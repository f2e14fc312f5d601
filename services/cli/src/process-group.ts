import {
  spawnProcess,
  type OutputStreamName,
  type SpawnedProcess,
  type SpawnSpec,
} from '@lookalike/local-servers';

export type { OutputStreamName } from '@lookalike/local-servers';

/** One process to run and keep running. */
export interface ProcessSpec extends Pick<SpawnSpec, 'command' | 'args' | 'env' | 'cwd'> {
  /** Unique name, e.g. `embedder-1`: the tag of its log lines. */
  name: string;
}

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
  /** The current (or last) run; undefined before the first. */
  run: SpawnedProcess | undefined;
  /** Resolves once the current run has ended and its exit been reported. */
  exited: Promise<void>;
  restarts: number;
  gaveUp: boolean;
  restartTimer: NodeJS.Timeout | undefined;
  recent: string[];
}

/**
 * Runs named OS processes (started with local-servers' `spawnProcess`), forwards their output line
 * by line, restarts one that exits unexpectedly (after `restartDelayMs`, at most `maxRestarts`
 * times), and stops them all gracefully: SIGTERM, wait, SIGKILL after `stopTimeoutMs`.
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
  }

  /** Starts a process. Names must be unique within the group. */
  start(spec: ProcessSpec): void {
    if (this.stopping) throw new Error(`cannot start ${spec.name}: the process group is stopping`);
    if (this.procs.has(spec.name)) throw new Error(`a process named ${spec.name} is already in the group`);
    const proc: Supervised = {
      spec,
      run: undefined,
      exited: Promise.resolve(),
      restarts: 0,
      gaveUp: false,
      restartTimer: undefined,
      recent: [],
    };
    this.procs.set(spec.name, proc);
    this.spawn(proc);
  }

  /** Name and current pid of every process (pids change when a process is restarted). */
  get processes(): ProcessInfo[] {
    return [...this.procs.values()].map((p) => {
      const running = p.run?.running === true;
      return {
        name: p.spec.name,
        pid: running ? p.run!.pid : undefined,
        running,
        restarts: p.restarts,
        gaveUp: p.gaveUp,
      };
    });
  }

  /** The last output lines of a process, across its restarts. */
  recentOutput(name: string): string[] {
    return [...(this.procs.get(name)?.recent ?? [])];
  }

  /** The last output lines of a process's current (or last) run: why it failed to start. */
  lastRunOutput(name: string): string[] {
    return this.procs.get(name)?.run?.output() ?? [];
  }

  /**
   * Sends `signal` to one process (e.g. SIGKILL to test crash recovery). Unless the group is
   * stopping, its exit counts as unexpected and it is restarted. False when it is not running.
   */
  signal(name: string, signal: NodeJS.Signals = 'SIGTERM'): boolean {
    return this.procs.get(name)?.run?.signal(signal) ?? false;
  }

  /** Stops every process: SIGTERM, then SIGKILL to those still running after `stopTimeoutMs`. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const waits: Promise<void>[] = [];
      for (const proc of this.procs.values()) {
        this.cancelRestart(proc);
        if (!proc.run?.running) continue;
        void proc.run.stop(this.stopTimeoutMs);
        waits.push(proc.exited);
      }
      await Promise.all(waits);
    })();
    return this.stopping;
  }

  /** SIGKILLs every process (and its process group) now: the answer to a second Ctrl-C. */
  kill(): void {
    for (const proc of this.procs.values()) {
      this.cancelRestart(proc);
      proc.run?.kill('SIGKILL');
    }
    this.stopping ??= Promise.all([...this.procs.values()].map((p) => p.exited)).then(() => undefined);
  }

  private emit(event: ProcessEvent): void {
    this.options.onEvent?.(event);
  }

  private cancelRestart(proc: Supervised): void {
    if (proc.restartTimer) clearTimeout(proc.restartTimer);
    proc.restartTimer = undefined;
  }

  private spawn(proc: Supervised): void {
    const { spec } = proc;
    const run = spawnProcess({
      command: spec.command,
      args: spec.args,
      env: spec.env,
      cwd: spec.cwd,
      detached: this.detached,
      keepLines: this.keepLines,
      onLine: (line, stream) => {
        proc.recent.push(line);
        if (proc.recent.length > this.keepLines) proc.recent.shift();
        this.options.onLine?.(spec.name, line, stream);
      },
    });
    proc.run = run;
    proc.exited = run.exited.then(({ code, signal, error }) => {
      if (error) this.emit({ type: 'spawn-error', name: spec.name, error });
      const expected = this.stopping !== undefined;
      this.emit({ type: 'exited', name: spec.name, pid: run.pid, code, signal, expected });
      if (!expected) this.scheduleRestart(proc);
    });
    if (run.pid !== undefined)
      this.emit({ type: 'started', name: spec.name, pid: run.pid, restarts: proc.restarts });
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
