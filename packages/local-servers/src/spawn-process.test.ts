import { execFileSync } from 'node:child_process';
import { spawnProcess, type OutputStreamName } from './spawn-process';
import { waitFor } from './wait-for';

const node = process.execPath;

/** Prints on both streams, then stays up; on SIGTERM prints and exits 0, unless told to ignore it. */
const SERVER = `
  console.log('up ' + process.env.WHO);
  console.error('on stderr');
  process.on('SIGTERM', () => {
    console.log('got SIGTERM');
    if (!process.env.IGNORE_TERM) setTimeout(() => process.exit(0), 50);
  });
  setInterval(() => {}, 1000);
`;

const until = (predicate: () => boolean) => waitFor(async () => predicate(), 10_000, 'the condition');

/** Whether a process exists and is not a zombie (an orphan's reaper may be slow in a container). */
function alive(pid: number): boolean {
  try {
    return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)])
      .toString()
      .trim()
      .startsWith('Z');
  } catch {
    return false;
  }
}

describe('spawnProcess', () => {
  it('splits both streams into lines, keeps the last ones, and stops with SIGTERM', async () => {
    const lines: string[] = [];
    const proc = spawnProcess({
      command: node,
      args: ['-e', SERVER],
      env: { ...process.env, WHO: 'me' },
      keepLines: 2,
      onLine: (line: string, stream: OutputStreamName) => lines.push(`${stream}: ${line}`),
    });
    await until(() => lines.length === 2);
    expect(lines.sort()).toEqual(['stderr: on stderr', 'stdout: up me']);
    expect(proc.running).toBe(true);
    expect(typeof proc.pid).toBe('number');
    expect(await proc.stop(5000)).toEqual({ code: 0, signal: null });
    expect(proc.running).toBe(false);
    expect(proc.output()).toHaveLength(2);
    expect(proc.output()[1]).toBe('got SIGTERM');
    expect(proc.signal('SIGTERM')).toBe(false);
  });

  it('SIGKILLs a process that ignores SIGTERM once the grace period is over', async () => {
    const proc = spawnProcess({
      command: node,
      args: ['-e', SERVER],
      env: { ...process.env, IGNORE_TERM: '1' },
    });
    await until(() => proc.output().length === 2);
    const started = Date.now();
    const exit = await proc.stop(300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(proc.output()).toContain('got SIGTERM');
  });

  it('runs a detached process in its own process group and kills the whole group', async () => {
    // The child starts a grandchild in its group and prints its pid.
    const proc = spawnProcess({
      command: node,
      args: [
        '-e',
        `const c = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
         console.log(c.pid); setInterval(() => {}, 1000);`,
      ],
      detached: true,
    });
    await until(() => proc.output().length === 1);
    const grandchild = Number(proc.output()[0]);
    const pgid = (pid: number) =>
      Number(
        execFileSync('ps', ['-o', 'pgid=', '-p', String(pid)])
          .toString()
          .trim(),
      );
    expect(pgid(proc.pid!)).toBe(proc.pid);
    expect(pgid(grandchild)).toBe(proc.pid);
    proc.kill();
    expect((await proc.exited).signal).toBe('SIGKILL');
    await until(() => !alive(grandchild));
  });

  it('reports a command that cannot be spawned as an exit with an error', async () => {
    const proc = spawnProcess({ command: '/nonexistent/binary' });
    const exit = await proc.exited;
    expect(exit.error?.message).toMatch(/ENOENT/);
    expect(proc.pid).toBeUndefined();
    expect(proc.running).toBe(false);
    expect(await proc.stop(100)).toBe(exit);
  });
});
