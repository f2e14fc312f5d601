import type { FetchLike } from '../src/api-client';
import { runCli } from '../src/program';
import { Sink } from './fixtures';

/**
 * Runs the CLI as from /home/me, without colours (NO_COLOR), sleeps or signal handlers, against
 * `fetch` when given; returns its exit code and what it printed.
 */
export async function runCliCaptured(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; fetch?: FetchLike } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await runCli(args, {
    env: { NO_COLOR: '1', ...options.env },
    cwd: '/home/me',
    stdout,
    stderr,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    sleep: async () => undefined,
    signals: { on: () => undefined, off: () => undefined },
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
