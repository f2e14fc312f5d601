import { ApiError, ApiUnreachableError, type ApiClient } from './api-client';
import type { RebuildStatusResponse } from './api-types';
import type { Palette } from './colors';
import { CliError, EXIT } from './errors';
import { println, type OutputStream } from './output';
import { eraseLines, renderProgressBlock, renderProgressLine } from './progress-view';
import { renderStatusSummary } from './status-view';

export interface FollowOptions {
  client: Pick<ApiClient, 'status'>;
  rebuildId: string;
  out: OutputStream;
  /** Diagnostics (API unreachable …). */
  err: OutputStream;
  palette: Palette;
  /** Print each changed status as one JSON line instead of rendering it. */
  json?: boolean;
  /** Redraw a live block in place (a terminal); otherwise print one line per change. */
  tty?: boolean;
  intervalMs?: number;
  /** Give up after the API has been unreachable (or answering 5xx) this long. */
  maxUnreachableMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Include the quality and evaluation tables in the final summary (default true). */
  results?: boolean;
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

export function isTerminal(status: RebuildStatusResponse): boolean {
  return TERMINAL.has(status.manifest.status);
}

/** 0 for a completed rebuild, 1 for a failed or cancelled one. */
export function exitCodeFor(status: RebuildStatusResponse): number {
  return status.manifest.status === 'failed' || status.manifest.status === 'cancelled'
    ? EXIT.failure
    : EXIT.ok;
}

/** What counts as a change worth a new line or JSON record. */
function changeKey(status: RebuildStatusResponse): string {
  const m = status.manifest;
  return JSON.stringify([
    m.status,
    m.step,
    status.progress,
    status.waiting?.for,
    m.counts,
    Object.entries(m.stages).map(([k, s]) => [k, s.state]),
  ]);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `GET /rebuilds/:id` until the rebuild completes, fails or is cancelled, rendering
 * progress as it goes. Returns the last status. Transient API outages (a restarting producer)
 * are waited out for up to `maxUnreachableMs`.
 */
export async function followRebuild(options: FollowOptions): Promise<RebuildStatusResponse> {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 1000;
  const maxUnreachableMs = options.maxUnreachableMs ?? 120_000;
  const { out, palette } = options;
  let lastKey: string | undefined;
  let drawn = 0;
  let unreachableSince: number | undefined;
  let warned = false;
  while (true) {
    let status: RebuildStatusResponse;
    try {
      status = await options.client.status(options.rebuildId);
      if (warned) options.err.write(`${palette.green('API reachable again')}\n`);
      unreachableSince = undefined;
      warned = false;
    } catch (err) {
      const transient = err instanceof ApiUnreachableError || (err instanceof ApiError && err.status >= 500);
      if (!transient) throw err instanceof ApiError && err.status === 404 ? new CliError(err.message) : err;
      unreachableSince ??= now();
      if (now() - unreachableSince > maxUnreachableMs) {
        throw new CliError(
          `${(err as Error).message} (gave up after ${Math.round(maxUnreachableMs / 1000)} s)`,
        );
      }
      if (!warned) {
        options.err.write(`${palette.yellow(`${(err as Error).message}; retrying …`)}\n`);
        warned = true;
      }
      await sleep(intervalMs);
      continue;
    }
    const key = changeKey(status);
    if (options.json) {
      if (key !== lastKey) println(out, JSON.stringify(status));
    } else if (options.tty) {
      const block = renderProgressBlock(status, { palette, now: now(), columns: out.columns });
      out.write(`${eraseLines(drawn)}${block.join('\n')}\n`);
      drawn = block.length;
    } else if (key !== lastKey) {
      println(out, `${new Date(now()).toISOString().slice(11, 19)} ${renderProgressLine(status)}`);
    }
    lastKey = key;
    if (isTerminal(status)) {
      if (!options.json) {
        if (options.tty) out.write(eraseLines(drawn));
        else println(out);
        println(out, renderStatusSummary(status, { palette, now: now(), results: options.results }));
      }
      return status;
    }
    await sleep(intervalMs);
  }
}
