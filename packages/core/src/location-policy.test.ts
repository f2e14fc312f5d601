import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  allowedLocationsSchema,
  checkLocation,
  checkSpecLocations,
  createLocationPolicy,
  locationSyntaxProblem,
} from './location-policy';

describe('location policy', () => {
  let dir: string;
  let data: string;
  let storage: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lookalike-policy-'));
    data = join(dir, 'data');
    storage = join(dir, 'storage');
    await mkdir(join(data, 'images'), { recursive: true });
    await mkdir(join(dir, 'data-other'), { recursive: true });
    await mkdir(join(dir, 'secret'), { recursive: true });
    await writeFile(join(dir, 'secret', 'key.json'), '{"secret":true}');
    await symlink(join(dir, 'secret'), join(data, 'escape'));
    await symlink(join(data, 'images'), join(dir, 'link-to-images'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const url = (path: string) => pathToFileURL(path).href;
  const policy = () =>
    createLocationPolicy({
      storageUrl: url(storage),
      allowedLocations: [url(data), 's3://hm-data/images', 's3://whole-bucket'],
    });

  it('allows the storage root and the configured roots, and what is below them', async () => {
    const p = policy();
    for (const ok of [
      url(storage),
      url(join(storage, 'inputs', 'articles.csv')),
      url(data),
      url(join(data, 'images')),
      url(join(data, 'not-yet', 'there.csv')),
      's3://hm-data/images',
      's3://hm-data/images/010/0108775015.jpg',
      's3://whole-bucket/anything/at/all.csv',
    ]) {
      expect({ ok, problem: await checkLocation(p, ok) }).toEqual({ ok, problem: undefined });
    }
  });

  it.each([
    ['file:///etc', 'outside'],
    ['file:///etc/passwd', 'outside'],
    ['file:///', 'outside'],
    ['s3://hm-data/images-other', 'outside'],
    ['s3://hm-data', 'outside'],
    ['s3://other-bucket/images', 'outside'],
    ['s3://hm-data/images/../secrets', '".." segment'],
    ['s3://hm-data/images/%2e%2e/secrets', '".." segment'],
    ['s3://hm-data/images/./x', '"." or ".." segment'],
    ['s3://hm-data/images?x=1', 'query'],
    ['http://example.com/images', 'expected s3://'],
  ])('refuses %s', async (location, message) => {
    expect(await checkLocation(policy(), location)).toContain(message);
  });

  it('resolves the path before comparing: no .. tricks, no symbolic links out, no prefix confusion', async () => {
    const p = policy();
    expect(await checkLocation(p, `file://${data}/../secret/key.json`)).toContain('".." segment');
    expect(await checkLocation(p, `file://${data}/images/%2E%2E/%2e%2e/secret`)).toContain('".." segment');
    expect(await checkLocation(p, `file://${data}/images/%2Fetc`)).toContain('encoded "/"');
    expect(await checkLocation(p, url(join(data, 'escape', 'key.json')))).toContain('outside');
    expect(await checkLocation(p, url(join(data, 'escape', 'missing', 'deeper.csv')))).toContain('outside');
    expect(await checkLocation(p, url(join(dir, 'data-other')))).toContain('outside');
    // A link from outside into an allowed root reads allowed data.
    expect(await checkLocation(p, url(join(dir, 'link-to-images')))).toBeUndefined();
  });

  it('names each refused field of a spec', async () => {
    const issues = await checkSpecLocations(policy(), {
      images: 'file:///etc',
      articles: url(join(data, 'articles.csv')),
      transactions: 's3://elsewhere/t.csv',
      customers: `file://${data}/../c.csv`,
    });
    expect(issues.map((i) => i.field)).toEqual(['images', 'transactions', 'customers']);
    expect(issues[0]!.message).toBe(
      'file:///etc is outside the allowed locations (the storage and LOOKALIKE_ALLOWED_LOCATIONS)',
    );
  });

  it('parses LOOKALIKE_ALLOWED_LOCATIONS', () => {
    expect(allowedLocationsSchema.parse(' s3://hm-data/images/ , /data/hm ,file:///mnt/x')).toEqual([
      's3://hm-data/images',
      'file:///data/hm',
      'file:///mnt/x',
    ]);
    const bad = allowedLocationsSchema.safeParse('s3://ok-bucket,http://x,/data/../etc');
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.message)).toEqual([
      'http://x: expected s3://bucket/prefix, file:///path or an absolute path',
      '/data/../etc: has a "." or ".." segment',
    ]);
    expect(locationSyntaxProblem('s3://bucket/a')).toBeUndefined();
  });
});
