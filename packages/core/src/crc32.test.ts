import { randomBytes } from 'node:crypto';
import { crc32 } from './crc32';

describe('crc32', () => {
  it('matches the standard check values', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
    expect(crc32(Buffer.from('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });

  it('continues over more bytes as over the whole', () => {
    for (const size of [0, 1, 7, 8, 9, 63, 64, 1000, 65537]) {
      const data = randomBytes(size);
      const cut = Math.floor(size / 3);
      expect(crc32(data.subarray(cut), crc32(data.subarray(0, cut)))).toBe(crc32(data));
    }
  });
});
