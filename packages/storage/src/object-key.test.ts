import { InvalidKeyError } from './errors';
import { isValidKey, validateKey, validatePrefix } from './object-key';

describe('validateKey', () => {
  it.each([
    'a',
    'a/b/c.json',
    'rebuilds/r-1/plan/00001.json',
    'cache/embeddings/clip/ab12',
    'é/ü',
    'a b',
    '.hidden',
    'a..b',
    '...',
    'x'.repeat(255),
  ])('accepts %j', (key) => {
    expect(validateKey(key)).toBe(key);
    expect(isValidKey(key)).toBe(true);
  });

  it.each([
    ['', /empty/],
    ['/a', /absolute/],
    ['//a', /absolute/],
    ['a/', /trailing/],
    ['a//b', /empty segment/],
    ['..', /".." segment/],
    ['../x', /".." segment/],
    ['a/../b', /".." segment/],
    ['a/..', /".." segment/],
    ['./a', /"\." segment/],
    ['a\\b', /backslash/],
    ['a\0b', /NUL/],
    ['a\tb', /control/],
    ['C:/x', /drive letter/],
    ['c:x', /drive letter/],
    ['a/.lookalike-tmp-1', /reserved/],
    ['x'.repeat(256), /segment longer/],
    ['a/'.repeat(600) + 'a', /longer than 1024/],
  ])('rejects %j', (key, reason) => {
    expect(() => validateKey(key)).toThrow(InvalidKeyError);
    expect(() => validateKey(key)).toThrow(reason);
    expect(isValidKey(key)).toBe(false);
  });

  it('rejects non-strings', () => {
    expect(() => validateKey(undefined as unknown as string)).toThrow(InvalidKeyError);
    expect(() => validateKey(5 as unknown as string)).toThrow(/not a string/);
  });

  it('says which key was bad', () => {
    expect(() => validateKey('../etc/passwd')).toThrow('invalid object key "../etc/passwd": ".." segment');
  });
});

describe('validatePrefix', () => {
  it.each(['', 'a', 'a/', 'a/b/', 'plan/000'])('accepts %j', (prefix) =>
    expect(validatePrefix(prefix)).toBe(prefix),
  );
  it.each(['/', '/a', '../', 'a//', 'a\\', 'a/../'])('rejects %j', (prefix) =>
    expect(() => validatePrefix(prefix)).toThrow(InvalidKeyError),
  );
});
