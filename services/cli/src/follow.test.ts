import { completedStatus, Sink, status } from '../test/fixtures';
import { ApiError, ApiUnreachableError } from './api-client';
import type { RebuildStatusResponse } from './api-types';
import { createPalette } from './colors';
import { CliError } from './errors';
import { exitCodeFor, followRebuild } from './follow';

const plain = createPalette(false);

/** A client whose answers are scripted; the last one repeats. */
function scripted(answers: (RebuildStatusResponse | Error)[]) {
  let i = 0;
  const calls: string[] = [];
  return {
    calls,
    status: async (id: string) => {
      calls.push(id);
      const answer = answers[Math.min(i++, answers.length - 1)]!;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

const noSleep = async () => undefined;

describe('followRebuild', () => {
  it('prints one line per change on a non-terminal, then the summary', async () => {
    const out = new Sink();
    const client = scripted([
      status({ step: 'plan' }),
      status({ step: 'plan' }),
      status({}, { done: 1, total: 12 }),
      status({}, { done: 1, total: 12 }),
      status({}, { done: 12, total: 12 }),
      completedStatus(),
    ]);
    const final = await followRebuild({
      client,
      rebuildId: 'rb-x',
      out,
      err: new Sink(),
      palette: plain,
      sleep: noSleep,
      now: () => 0,
    });
    expect(final.manifest.status).toBe('completed');
    expect(client.calls).toHaveLength(6);
    const lines = out.text.split('\n').filter((l) => l.startsWith('00:00:00'));
    expect(lines).toEqual([
      '00:00:00 rebuild rb-20261125-223629-3fa2c1 running step=plan embedded=0/12000',
      '00:00:00 rebuild rb-20261125-223629-3fa2c1 running step=embed jobs=1/12 embedded=0/12000',
      '00:00:00 rebuild rb-20261125-223629-3fa2c1 running step=embed jobs=12/12 embedded=0/12000',
      // Embedded images only; those that failed are counted apart.
      '00:00:00 rebuild rb-20261125-223629-3fa2c1 completed step=done embedded=11990/12000 failed-images=10',
    ]);
    expect(out.text).toContain('explained variance 87.3%');
  });

  it('redraws a block in place on a terminal', async () => {
    const out = new Sink({ isTTY: true, columns: 120 });
    await followRebuild({
      client: scripted([status({}, { done: 3, total: 12 }), completedStatus()]),
      rebuildId: 'rb-x',
      out,
      err: new Sink(),
      palette: plain,
      tty: true,
      sleep: noSleep,
    });
    expect(out.text).toContain('3/12  25%');
    expect(out.text).toContain('█');
    // The first block (header, bar, 4 stages) is erased before the next is drawn.
    expect(out.text).toContain('\x1b[6A\r\x1b[0J');
    expect(out.text).toMatch(/status\s+completed/);
  });

  it('prints JSON records only when something changed', async () => {
    const out = new Sink();
    await followRebuild({
      client: scripted([status(), status(), completedStatus()]),
      rebuildId: 'rb-x',
      out,
      err: new Sink(),
      palette: plain,
      json: true,
      sleep: noSleep,
    });
    const records = out.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RebuildStatusResponse);
    expect(records.map((r) => r.manifest.status)).toEqual(['running', 'completed']);
  });

  it('waits out an unreachable API, then gives up after maxUnreachableMs', async () => {
    const err = new Sink();
    let t = 0;
    const down = new ApiUnreachableError('http://x', new Error('ECONNREFUSED'));
    const recovered = await followRebuild({
      client: scripted([down, new ApiError(503, 'unavailable', {}), completedStatus()]),
      rebuildId: 'rb-x',
      out: new Sink(),
      err,
      palette: plain,
      sleep: async (ms) => void (t += ms),
      now: () => t,
    });
    expect(recovered.manifest.status).toBe('completed');
    expect(err.text).toContain('ECONNREFUSED');
    expect(err.text).toContain('reachable again');
    await expect(
      followRebuild({
        client: scripted([down]),
        rebuildId: 'rb-x',
        out: new Sink(),
        err: new Sink(),
        palette: plain,
        maxUnreachableMs: 5000,
        sleep: async (ms) => void (t += ms),
        now: () => t,
      }),
    ).rejects.toThrow(/gave up after 5 s/);
  });

  it('fails at once on an unknown rebuild', async () => {
    await expect(
      followRebuild({
        client: scripted([new ApiError(404, 'unknown rebuild rb-x', {})]),
        rebuildId: 'rb-x',
        out: new Sink(),
        err: new Sink(),
        palette: plain,
        sleep: noSleep,
      }),
    ).rejects.toEqual(new CliError('unknown rebuild rb-x'));
  });
});

describe('exitCodeFor', () => {
  it('is 0 for completed (and running), 1 for failed and cancelled', () => {
    expect(exitCodeFor(completedStatus())).toBe(0);
    expect(exitCodeFor(status())).toBe(0);
    expect(exitCodeFor(status({ status: 'failed' }))).toBe(1);
    expect(exitCodeFor(status({ status: 'cancelled' }))).toBe(1);
  });
});
