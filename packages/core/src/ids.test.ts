import { isRebuildId, jobId, newRebuildId, shardName } from './ids';

describe('ids', () => {
  it('makes sortable, unique rebuild ids', () => {
    const a = newRebuildId(new Date('2026-11-25T22:36:29Z'));
    expect(a).toMatch(/^rb-20261125-223629-[0-9a-f]{6}$/);
    expect(isRebuildId(a)).toBe(true);
    expect(newRebuildId()).not.toBe(newRebuildId());
    expect(isRebuildId('rb-2026')).toBe(false);
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
