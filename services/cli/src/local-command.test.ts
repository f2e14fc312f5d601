import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeRepo } from '../test/fake-services';
import { Sink, until } from '../test/fixtures';
import { runCli } from './program';

describe('lookalike local', () => {
  it('runs the stack, prints tagged logs and the API URL, and stops on SIGINT', async () => {
    const repoRoot = await fakeRepo();
    const work = await mkdtemp(join(tmpdir(), 'lookalike-cli-local-'));
    const signals = new EventEmitter();
    const stdout = new Sink();
    const stderr = new Sink();
    try {
      const running = runCli(
        [
          'local',
          '--port',
          '0',
          '--embedders',
          '2',
          '--reducers',
          '0',
          '--indexers',
          '1',
          '--recommenders',
          '0',
          '--storage',
          'store',
          '--redis-url',
          'redis://127.0.0.1:1',
        ],
        { env: { NO_COLOR: '1' }, cwd: work, stdout, stderr, signals, repoRoot },
      );
      await until(() => stderr.text.includes('all 3 workers ready'), 15_000);
      expect(stderr.text).toMatch(
        /API ready at http:\/\/127\.0\.0\.1:\d+ {2}\(redis redis:\/\/127\.0\.0\.1:1, storage file:\/\/.*\/store\)/,
      );
      expect(stderr.text).toContain('export LOOKALIKE_API_URL=http://127.0.0.1:');
      expect(stdout.text).toMatch(/^\[producer\] {3}\d\d:\d\d:\d\d info {2}producer ready port=\d+$/m);
      expect(stdout.text).toMatch(/^\[embedder-2\] \d\d:\d\d:\d\d info {2}embedder ready/m);
      expect(signals.listenerCount('SIGINT')).toBe(1);
      signals.emit('SIGINT');
      expect(await running).toBe(0);
      expect(stderr.text).toContain('stopping: the workers finish their active jobs');
      expect(stderr.text).toMatch(/stopped\n$/);
      expect(stdout.text.match(/shutting down/g)).toHaveLength(4);
      expect(stdout.text).toMatch(/^\[indexer-1\] {2}exited \(code 0\)$/m);
      expect(signals.listenerCount('SIGINT')).toBe(0);
    } finally {
      await rm(repoRoot, { recursive: true, force: true });
      await rm(work, { recursive: true, force: true });
    }
  });

  it('exits 1 with the reason when the stack cannot start', async () => {
    const stderr = new Sink();
    const code = await runCli(['local', '--storage', '/tmp/unused', '--redis-url', 'redis://127.0.0.1:1'], {
      env: {},
      cwd: '/tmp',
      stdout: new Sink(),
      stderr,
      signals: new EventEmitter(),
      repoRoot: '/nonexistent',
    });
    expect(code).toBe(1);
    expect(stderr.text).toContain('could not start: not built: /nonexistent/services/producer/dist/main.js');
  });
});
