import { ArticleIdTable, articleCodeOf, formatArticleId, normaliseArticleId } from './article-id-table';
import { dayFromCivil, isoDay, parseIsoDay, parseIsoDayBytes } from './days';
import { IdTable } from './id-table';
import { customerId } from '../test/helpers';

describe('IdTable', () => {
  it('interns ids to dense indices in order of first appearance, through growth', () => {
    const t = new IdTable(4, 4);
    for (let i = 0; i < 5000; i++) expect(t.intern(customerId(i))).toBe(i);
    for (let i = 4999; i >= 0; i--) expect(t.intern(customerId(i))).toBe(i);
    expect(t.size).toBe(5000);
    expect(t.id(1234)).toBe(customerId(1234));
    expect(t.indexOf(customerId(77))).toBe(77);
    expect(t.indexOf('nope')).toBe(-1);
    const b = Buffer.from(`xx${customerId(42)},`);
    expect(t.findBytes(b, 2, 66)).toBe(42);
    expect(() => t.id(5000)).toThrow('out of range');
    // A first id of another length switches off the fixed-width layout; earlier ids still resolve.
    expect(t.intern('short')).toBe(5000);
    expect(t.indexOf(customerId(4321))).toBe(4321);
    expect(t.indexOf('short')).toBe(5000);
  });

  it('rebuilds from its storage with a lazy hash table', () => {
    const t = new IdTable();
    ['a', 'bb', '', 'ccc'].forEach((s) => t.intern(s));
    const { pool, offsets } = t.storage();
    const u = IdTable.fromStorage(Uint8Array.from(pool), Int32Array.from(offsets), 4);
    expect([0, 1, 2, 3].map((i) => u.id(i))).toEqual(['a', 'bb', '', 'ccc']);
    expect(u.indexOf('ccc')).toBe(3);
    expect(u.intern('d')).toBe(4);
    expect(u.id(4)).toBe('d');
  });
});

describe('article ids', () => {
  it('keep (or regain) their leading zero', () => {
    expect(normaliseArticleId('108775015')).toBe('0108775015');
    expect(normaliseArticleId('0108775015')).toBe('0108775015');
    expect(formatArticleId(959461001)).toBe('0959461001');
    expect(() => articleCodeOf('10877501x')).toThrow('not an article id');
    expect(() => articleCodeOf('12345678901')).toThrow('not an article id');
  });

  it('intern by numeric code', () => {
    const t = new ArticleIdTable(2);
    for (let i = 0; i < 3000; i++) expect(t.intern(108775000 + i * 7)).toBe(i);
    expect(t.indexOf('108775007')).toBe(1);
    expect(t.indexOf('0108775007')).toBe(1);
    expect(t.indexOf('x')).toBe(-1);
    expect(t.id(2)).toBe('0108775014');
    expect(ArticleIdTable.fromCodes(t.codeArray()).id(2999)).toBe(formatArticleId(108775000 + 2999 * 7));
    expect(() => ArticleIdTable.fromCodes([1, 1])).toThrow('duplicate');
  });
});

describe('days', () => {
  it('agree with Date.UTC', () => {
    for (let d = 0; d < 30000; d += 17) {
      const iso = isoDay(d);
      expect(parseIsoDay(iso)).toBe(d);
      const [y, m, day] = iso.split('-').map(Number) as [number, number, number];
      expect(dayFromCivil(y, m, day)).toBe(Date.UTC(y, m - 1, day) / 86_400_000);
    }
    expect(parseIsoDay('2020-09-22')).toBe(18527);
  });

  it('reject impossible dates', () => {
    for (const s of [
      '2019-02-29',
      '2020-13-01',
      '2020-00-10',
      '2020-1-01',
      '1969-12-31',
      '2020/01/01',
      '20200101xx',
    ]) {
      expect(parseIsoDayBytes(Buffer.from(s), 0, s.length)).toBe(-1);
    }
    expect(parseIsoDayBytes(Buffer.from('2020-02-29'), 0, 10)).toBeGreaterThan(0);
  });
});
