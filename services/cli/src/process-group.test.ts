import { execFileSync } from 'node:child_process';
import { ProcessGroup, type ProcessEvent } from './process-group';
import { until } from '../test/fixtures';

const node = process.execPath;

/** A node process that prints, then stays up until SIGTERM (printing on its way out). */
const LONG_RUNNING = `
  console.log('hello from ' + process.env.WHO);
  console.error('on stderr');
  process.on('SIGTERM', () => { console.log('got SIGTERM'); setTimeout(() => process.exit(0), 100); });
  setInterval(() => {}, 1000);
`;

describe('ProcessGroup', () => {
  let group: ProcessGroup | undefined;
  afterEach(async () => {
    group?.kill();
    await group?.stop();
    group = undefined;
  });

  it('forwards output lines by name and stops processes with SIGTERM', async () => {
    const lines: string[] = [];
    const events: ProcessEvent[] = [];
    group = new ProcessGroup({
      onLine: (name, line, stream) => lines.push(`${name}/${stream}: ${line}`),
      onEvent: (e) => events.push(e),
    });
    group.start({ name: 'a', command: node, args: ['-e', LONG_RUNNING], env: { ...process.env, WHO: 'a' } });
    group.start({ name: 'b', command: node, args: ['-e', LONG_RUNNING], env: { ...process.env, WHO: 'b' } });
    await until(
      () =>
        lines.filter((l) => l.includes('hello')).length === 2 &&
        lines.filter((l) => l.includes('stderr')).length === 2,
    );
    expect(lines).toEqual(
      expect.arrayContaining(['a/stdout: hello from a', 'b/stdout: hello from b', 'a/stderr: on stderr']),
    );
    expect(group.processes.map((p) => p.name)).toEqual(['a', 'b']);
    expect(group.processes.every((p) => p.running && typeof p.pid === 'number')).toBe(true);
    expect(() => group!.start({ name: 'a', command: node })).toThrow('already in the group');

    await group.stop();
    expect(lines).toEqual(expect.arrayContaining(['a/stdout: got SIGTERM', 'b/stdout: got SIGTERM']));
    expect(events.filter((e) => e.type === 'exited')).toEqual([
      expect.objectContaining({ name: expect.any(String), code: 0, expected: true }),
      expect.objectContaining({ name: expect.any(String), code: 0, expected: true }),
    ]);
    expect(events.some((e) => e.type === 'restarting')).toBe(false);
    expect(group.processes.every((p) => !p.running && p.pid === undefined)).toBe(true);
    expect(group.recentOutput('a')).toContain('got SIGTERM');
  });

  it('runs each process in its own process group', async () => {
    group = new ProcessGroup();
    group.start({ name: 'a', command: node, args: ['-e', LONG_RUNNING] });
    await until(() => group!.processes[0]!.running);
    const pid = group.processes[0]!.pid!;
    const pgid = Number(
      execFileSync('ps', ['-o', 'pgid=', '-p', String(pid)])
        .toString()
        .trim(),
    );
    expect(pgid).toBe(pid);
  });

  it('restarts a process that exits unexpectedly, at most maxRestarts times', async () => {
    const events: ProcessEvent[] = [];
    group = new ProcessGroup({ restartDelayMs: 10, maxRestarts: 2, onEvent: (e) => events.push(e) });
    group.start({ name: 'crashy', command: node, args: ['-e', 'console.log("up"); process.exit(3)'] });
    await until(() => events.some((e) => e.type === 'gave-up'));
    expect(events.map((e) => e.type)).toEqual([
      'started',
      'exited',
      'restarting',
      'started',
      'exited',
      'restarting',
      'started',
      'exited',
      'gave-up',
    ]);
    expect(events.find((e) => e.type === 'exited')).toMatchObject({ code: 3, expected: false });
    expect(group.processes[0]).toMatchObject({ restarts: 2, gaveUp: true, running: false });
    expect(group.recentOutput('crashy')).toEqual(['up', 'up', 'up']);
    expect(group.lastRunOutput('crashy')).toEqual(['up']);
  });

  it('restarts a killed process with a new pid', async () => {
    const events: ProcessEvent[] = [];
    group = new ProcessGroup({ restartDelayMs: 10, onEvent: (e) => events.push(e) });
    group.start({ name: 'w', command: node, args: ['-e', LONG_RUNNING] });
    await until(() => group!.processes[0]!.running);
    const first = group.processes[0]!.pid;
    expect(group.signal('w', 'SIGKILL')).toBe(true);
    await until(() => group!.processes[0]!.running && group!.processes[0]!.pid !== first);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'exited', signal: 'SIGKILL', expected: false }),
    );
    expect(group.processes[0]!.restarts).toBe(1);
    expect(group.signal('nope')).toBe(false);
  });

  it('SIGKILLs a process that ignores SIGTERM after stopTimeoutMs', async () => {
    const events: ProcessEvent[] = [];
    group = new ProcessGroup({ stopTimeoutMs: 300, onEvent: (e) => events.push(e) });
    group.start({
      name: 'stubborn',
      command: node,
      args: [
        '-e',
        'process.on("SIGTERM", () => console.log("ignoring")); console.log("ready"); setInterval(() => {}, 1000)',
      ],
    });
    await until(() => group!.recentOutput('stubborn').includes('ready'));
    const started = Date.now();
    await group.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'exited', signal: 'SIGKILL', expected: true }),
    );
    expect(group.recentOutput('stubborn')).toContain('ignoring');
  });

  it('reports a command that cannot be spawned', async () => {
    const events: ProcessEvent[] = [];
    group = new ProcessGroup({ restartDelayMs: 10, maxRestarts: 1, onEvent: (e) => events.push(e) });
    group.start({ name: 'ghost', command: '/nonexistent/binary' });
    await until(() => events.some((e) => e.type === 'gave-up'));
    expect(events).toContainEqual(expect.objectContaining({ type: 'spawn-error', name: 'ghost' }));
    expect(() => group!.start({ name: 'late', command: node })).not.toThrow();
    await group.stop();
    expect(() => group!.start({ name: 'later', command: node })).toThrow('stopping');
  });
});
