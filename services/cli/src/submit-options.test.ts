import { UsageError } from './errors';
import { buildSubmitBody, parseIntegerFlag, resolveLocation } from './submit-options';

describe('buildSubmitBody', () => {
  it('maps every flag to its spec field and sends only what was given', () => {
    const body = buildSubmitBody(
      {
        images: 's3://bucket/hm/images',
        articles: 's3://bucket/hm/articles.csv',
        shardSize: '500',
        pcaDims: '128',
        pcaSample: '5000',
        k: '12',
        rowsPerJob: '2000',
        modelUrl: 'file:///models/model.json',
        batchSize: '64',
        publish: false,
        id: 'nightly-42',
      },
      '/cwd',
    );
    expect(body).toEqual({
      images: 's3://bucket/hm/images',
      articles: 's3://bucket/hm/articles.csv',
      shardSize: 500,
      pcaDims: 128,
      pcaSampleSize: 5000,
      k: 12,
      neighbourRowsPerJob: 2000,
      modelUrl: 'file:///models/model.json',
      batchSize: 64,
      publish: false,
      id: 'nightly-42',
    });
  });

  it('leaves defaults to the API and omits publish unless --no-publish', () => {
    expect(buildSubmitBody({ images: '/data/images', publish: true }, '/cwd')).toEqual({
      images: '/data/images',
    });
  });

  it('makes local paths absolute against the working directory', () => {
    expect(buildSubmitBody({ images: 'data/images', articles: '../articles.csv' }, '/home/me/hm')).toEqual({
      images: '/home/me/hm/data/images',
      articles: '/home/me/articles.csv',
    });
  });

  it('names the flag of a value outside the schema range', () => {
    expect(() => buildSubmitBody({ images: '/d', shardSize: '0' }, '/')).toThrow(
      /^--shard-size: .*\(got 0\)/,
    );
    expect(() => buildSubmitBody({ images: '/d', pcaSample: '1' }, '/')).toThrow(/--pca-sample: /);
    expect(() => buildSubmitBody({ images: '/d', rowsPerJob: '0' }, '/')).toThrow(/--rows-per-job: /);
    expect(() => buildSubmitBody({ images: '/d', batchSize: '5000' }, '/')).toThrow(/--batch-size: /);
    expect(() => buildSubmitBody({ images: '/d', k: '0' }, '/')).toThrow(/--k: /);
    expect(() => buildSubmitBody({ images: '/d', padding: 'grey' }, '/')).toThrow(/--padding: /);
    expect(() => buildSubmitBody({ images: '/d', powerNorm: '0' }, '/')).toThrow(/--power-norm: /);
    expect(() => buildSubmitBody({ images: '/d', pcaWhiten: 'lots' }, '/')).toThrow(
      /--pca-whiten: expected a number/,
    );
    expect(
      buildSubmitBody({ images: '/d', padding: 'black', powerNorm: '1', pcaWhiten: '0' }, '/'),
    ).toMatchObject({
      padding: 'black',
      powerNorm: 1,
      pcaWhiten: 0,
    });
  });

  it('--recommend sets recommender options by name, checked by the spec schema', () => {
    expect(
      buildSubmitBody(
        { images: '/d', recommend: 'visualWeight=0.2, trendingWeight=0.5,useColdLinks=false' },
        '/',
      ),
    ).toMatchObject({ recommend: { visualWeight: 0.2, trendingWeight: 0.5, useColdLinks: false } });
    expect(() => buildSubmitBody({ images: '/d', recommend: 'visualWeight' }, '/')).toThrow(
      /^--recommend: expected name=value pairs/,
    );
    expect(() => buildSubmitBody({ images: '/d', recommend: 'visualWeight=lots' }, '/')).toThrow(
      '--recommend: visualWeight: expected a number or true/false',
    );
    expect(() => buildSubmitBody({ images: '/d', recommend: 'visualWeight=-1' }, '/')).toThrow(
      /^--recommend: visualWeight /,
    );
    expect(() => buildSubmitBody({ images: '/d', recommend: 'bogus=1' }, '/')).toThrow(/^--recommend: /);
  });

  it('rejects non-integers before the schema sees them', () => {
    expect(() => buildSubmitBody({ images: '/d', pcaDims: '12abc' }, '/')).toThrow(
      '--pca-dims: expected an integer, got "12abc"',
    );
    expect(() => buildSubmitBody({ images: '/d', k: '1.5' }, '/')).toThrow('--k: expected an integer');
  });

  it('rejects a bad location, a bad id and a missing --images, all in one message', () => {
    let error: unknown;
    try {
      buildSubmitBody({ id: 'has:colon', shardSize: 'x' }, '/');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as UsageError).message;
    expect(message).toContain('--images: required');
    expect(message).toContain('--shard-size: expected an integer');
    expect(message).toContain('--id: expected 1-100 of A-Z a-z 0-9 _ -');
    expect((error as UsageError).exitCode).toBe(2);
    expect(() => buildSubmitBody({ images: 'http://example.com/images' }, '/')).toThrow(
      /^--images: expected s3:\/\/bucket\/prefix/,
    );
  });

  it("refuses transactions without customers with the spec schema's rule, naming both", () => {
    expect(() => buildSubmitBody({ images: '/d', transactions: '/d/t.csv' }, '/')).toThrow(
      '--customers: transactions and customers must be given together',
    );
    expect(() => buildSubmitBody({ images: '/d', customers: '/d/c.csv' }, '/')).toThrow(
      '--transactions: transactions and customers must be given together',
    );
  });
});

describe('parseIntegerFlag', () => {
  it('parses integers strictly', () => {
    expect(parseIntegerFlag('--n', ' 42 ')).toBe(42);
    expect(parseIntegerFlag('--n', '-3')).toBe(-3);
    for (const bad of ['', '1e3', '0x10', '4.0', 'ten'])
      expect(() => parseIntegerFlag('--n', bad)).toThrow(UsageError);
    expect(() => parseIntegerFlag('--n', '99999999999999999999')).toThrow('out of range');
  });
});

describe('resolveLocation', () => {
  it('keeps URLs and resolves paths', () => {
    expect(resolveLocation('s3://b/p', '/x')).toBe('s3://b/p');
    expect(resolveLocation('file:///abs', '/x')).toBe('file:///abs');
    expect(resolveLocation('rel/dir', '/x')).toBe('/x/rel/dir');
    expect(resolveLocation('/abs/dir', '/x')).toBe('/abs/dir');
  });
});
