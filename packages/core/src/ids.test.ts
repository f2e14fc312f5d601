import { checkRebuildId, jobId, newRebuildId, rebuildIdSchema, shardName } from './ids';

describe('ids', () => {
  it('makes sortable, unique rebuild ids', () => {
    const a = newRebuildId(new Date('2026-11-25T22:36:29Z'));
    expect(a).toMatch(/^rb-20261125-223629-[0-9a-f]{6}$/);
    expect(rebuildIdSchema.safeParse(a).success).toBe(true);
    expect(newRebuildId()).not.toBe(newRebuildId());
  });

  it('has one rule for rebuild ids: 1-100 of A-Z a-z 0-9 _ -', () => {
    for (const ok of ['test-1', 'a', 'A_b-9', 'x'.repeat(100)]) {
      expect(rebuildIdSchema.safeParse(ok).success).toBe(true);
      expect(checkRebuildId(ok)).toBe(ok);
    }
    for (const bad of ['', 'a.b', 'a:b', 'a/b', '..', 'x'.repeat(101), 'a b', 'é']) {
      expect(rebuildIdSchema.safeParse(bad).success).toBe(false);
      expect(() => checkRebuildId(bad)).toThrow(/invalid rebuild id .*1-100 of A-Z a-z 0-9 _ -/);
    }
  });

  it('builds job ids without colons, padded so they sort', () => {
    expect(jobId('rb-20261125-223629-abcdef', 'embed', 7)).toBe('rb-20261125-223629-abcdef.embed.00007');
    expect(jobId('rb-20261125-223629-abcdef', 'publish')).toBe('rb-20261125-223629-abcdef.publish');
    expect(() => jobId('rb:1', 'embed', 1)).toThrow(/invalid rebuild id/);
    expect(() => shardName(-1)).toThrow(RangeError);
    expect(() => shardName(1.5)).toThrow(RangeError);
    expect(shardName(12)).toBe('00012');
  });
});
