import { runCooperatively, runToCompletion, type Work } from './cooperative';

function* busy(steps: number, msPerStep: number): Work<number> {
  const progress = { phase: 'busy', done: 0, total: steps };
  for (let i = 0; i < steps; i++) {
    const until = performance.now() + msPerStep;
    while (performance.now() < until) {
      /* spin */
    }
    progress.done = i + 1;
    yield progress;
  }
  return steps;
}

describe('cooperative runner', () => {
  it('runs to completion synchronously', () => {
    expect(runToCompletion(busy(3, 0))).toBe(3);
  });

  it('yields to the event loop about every yieldEvery ms and reports progress', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const seen: number[] = [];
    try {
      const { value, stats } = await runCooperatively(busy(40, 5), {
        yieldEvery: 20,
        onProgress: (p) => seen.push(p.done),
      });
      expect(value).toBe(40);
      expect(stats.yields).toBeGreaterThanOrEqual(5);
      expect(stats.maxBlockMs).toBeGreaterThanOrEqual(20);
      expect(stats.maxBlockMs).toBeLessThan(250);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('rejects a negative yieldEvery and honours an already-aborted signal', async () => {
    await expect(runCooperatively(busy(1, 0), { yieldEvery: -1 })).rejects.toThrow(RangeError);
    await expect(
      runCooperatively(busy(1, 0), { signal: AbortSignal.abort(new Error('stop')) }),
    ).rejects.toThrow('stop');
  });
});
