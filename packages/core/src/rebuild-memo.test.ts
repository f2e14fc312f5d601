import { setTimeout as sleep } from 'node:timers/promises';
import { RebuildMemo } from './rebuild-memo';

/** A memo whose loads are counted and whose disposals are recorded. */
function counted(options: { keep?: number; disposeDelayMs?: number; fail?: Set<string> } = {}) {
  const loads: string[] = [];
  const disposed: string[] = [];
  const memo = new RebuildMemo<{ id: string; n: number }>({
    load: async (rebuildId) => {
      loads.push(rebuildId);
      await sleep(1);
      if (options.fail?.has(rebuildId)) throw new Error(`cannot load ${rebuildId}`);
      return { id: rebuildId, n: loads.length };
    },
    dispose: (value) => void disposed.push(value.id),
    ...(options.keep === undefined ? {} : { keep: options.keep }),
    ...(options.disposeDelayMs === undefined ? {} : { disposeDelayMs: options.disposeDelayMs }),
  });
  return { memo, loads, disposed };
}

describe('RebuildMemo', () => {
  it('loads a rebuild once for concurrent and later callers, and again after moving on', async () => {
    const { memo, loads } = counted();
    const [a, b] = await Promise.all([memo.get('r1'), memo.get('r1')]);
    expect(a).toBe(b);
    expect(await memo.get('r1')).toBe(a);
    expect(loads).toEqual(['r1']);
    await memo.get('r2');
    expect(memo.rebuildIds()).toEqual(['r2']);
    expect(await memo.get('r1')).not.toBe(a);
    expect(loads).toEqual(['r1', 'r2', 'r1']);
  });

  it('keeps the last N rebuilds, the most recently used first', async () => {
    const { memo, loads, disposed } = counted({ keep: 2 });
    await memo.get('r1');
    await memo.get('r2');
    await memo.get('r1');
    await memo.get('r3');
    expect(memo.rebuildIds()).toEqual(['r3', 'r1']);
    expect(loads).toEqual(['r1', 'r2', 'r3']);
    await sleep(5);
    expect(disposed).toEqual(['r2']);
  });

  it('drops a rejected load, so that the next get tries again', async () => {
    const fail = new Set(['bad']);
    const { memo, loads } = counted({ fail });
    await expect(memo.get('bad')).rejects.toThrow('cannot load bad');
    expect(memo.rebuildIds()).toEqual([]);
    fail.clear();
    expect((await memo.get('bad')).id).toBe('bad');
    expect(loads).toEqual(['bad', 'bad']);
  });

  it('disposes an evicted artifact after the delay, and the held ones at once on clear', async () => {
    const { memo, disposed } = counted({ disposeDelayMs: 40 });
    await memo.get('r1');
    await memo.get('r2');
    await sleep(10);
    expect(disposed).toEqual([]);
    await sleep(60);
    expect(disposed).toEqual(['r1']);
    await memo.clear();
    expect(disposed).toEqual(['r1', 'r2']);
    expect(memo.rebuildIds()).toEqual([]);
  });
});
