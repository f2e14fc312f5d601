import type { FetchLike } from './api-client';
import { createPalette, shouldColour, type Palette } from './colors';
import type { OutputStream } from './output';

/** Signals that stop `lookalike local` (SIGHUP: the terminal went away; the processes are detached from it). */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** Signals the `local` command listens to (process in production, an emitter in tests). */
export interface SignalSource {
  on(signal: StopSignal, listener: () => void): unknown;
  off(signal: StopSignal, listener: () => void): unknown;
}

/** Everything a command touches outside itself, injectable for tests. */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: OutputStream;
  stderr: OutputStream;
  fetch?: FetchLike;
  /** Poll interval of `--follow`. */
  followIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  signals: SignalSource;
  /** Monorepo root for `local` (default: found from this file). */
  repoRoot?: string;
}

export function defaultContext(): CliContext {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    signals: process,
  };
}

export function paletteFor(stream: OutputStream, env: NodeJS.ProcessEnv): Palette {
  return createPalette(shouldColour(stream, env));
}
