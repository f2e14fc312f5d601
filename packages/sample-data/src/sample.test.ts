import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { readCsv } from '../test/helpers';
import { parseDay, formatDay } from './calendar';
import {
  ARTICLE_COLUMNS,
  findCompleteSample,
  generateSample,
  readSampleManifest,
  sampleParams,
  type SampleOptions,
  type SampleSummary,
} from './sample';
import { COLOUR_GROUPS } from './vocab';

const SMALL: Omit<SampleOptions, 'outDir'> = {
  seed: 7,
  articles: 160,
  customers: 500,
  transactions: 12_000,
  days: 180,
  startDate: '2019-03-01',
  imageSize: { width: 96, height: 144 },
  concurrency: 3,
};

let root: string;
let a: SampleSummary;
let b: SampleSummary;

/** Every file under `dir`, relative paths, sorted. */
function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(dir, join(prefix, e.name)) : [join(prefix, e.name)]))
    .sort();
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sample-data-'));
  a = await generateSample({ ...SMALL, outDir: join(root, 'a') });
  b = await generateSample({ ...SMALL, outDir: join(root, 'b') });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('determinism', () => {
  it('writes byte-identical CSVs, images and sample.json for the same parameters', () => {
    const files = listFiles(a.outDir);
    expect(files).toEqual(listFiles(b.outDir));
    expect(files.filter((f) => f.endsWith('.jpg'))).toHaveLength(SMALL.articles!);
    for (const f of files)
      expect(readFileSync(join(a.outDir, f)).equals(readFileSync(join(b.outDir, f)))).toBe(true);
  });

  it('writes the same CSVs without images, and different ones for another seed', async () => {
    const noImages = await generateSample({ ...SMALL, images: false, outDir: join(root, 'c') });
    expect(listFiles(noImages.outDir)).toEqual([
      'articles.csv',
      'customers.csv',
      'sample.json',
      'transactions_train.csv',
    ]);
    for (const f of ['articles.csv', 'customers.csv', 'transactions_train.csv']) {
      expect(readFileSync(join(noImages.outDir, f)).equals(readFileSync(join(a.outDir, f)))).toBe(true);
    }
    const other = await generateSample({ ...SMALL, seed: 8, images: false, outDir: join(root, 'd') });
    for (const f of ['articles.csv', 'customers.csv', 'transactions_train.csv']) {
      expect(readFileSync(join(other.outDir, f)).equals(readFileSync(join(a.outDir, f)))).toBe(false);
    }
  });
});

describe('file formats', () => {
  it("articles.csv has the competition's columns, 10-digit ids with a leading zero, and quoted descriptions", () => {
    const { header, records, text } = readCsv(a.outDir, 'articles.csv');
    expect(header).toEqual([...ARTICLE_COLUMNS]);
    expect(records).toHaveLength(SMALL.articles!);
    const ids = records.map((r) => r.article_id!);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids); // sorted by id, as H&M's file
    for (const r of records) {
      expect(r.article_id).toMatch(/^0\d{9}$/);
      expect(r.product_code).toBe(r.article_id!.slice(0, 7));
      expect(r.colour_group_code).toMatch(/^\d{2}$/);
      expect(r.product_type_no).toMatch(/^\d+$/);
      expect(r.department_no).toMatch(/^\d{4}$/);
      expect(r.index_code).toMatch(/^[A-Z]$/);
      expect(r.graphical_appearance_no).toMatch(/^10100\d\d$/);
    }
    // Several colourways share a product code; descriptions contain commas and are quoted.
    expect(new Set(records.map((r) => r.product_code)).size).toBeLessThan(records.length * 0.75);
    expect(records.filter((r) => r.detail_desc!.includes(',')).length).toBeGreaterThan(records.length * 0.9);
    expect(text).toMatch(/,"[^"\n]*, [^\n]*"\n/);
  });

  it('customers.csv has 64-hex ids and H&M-style values', () => {
    const { header, records } = readCsv(a.outDir, 'customers.csv');
    expect(header).toEqual([
      'customer_id',
      'FN',
      'Active',
      'club_member_status',
      'fashion_news_frequency',
      'age',
      'postal_code',
    ]);
    expect(records).toHaveLength(SMALL.customers!);
    expect(new Set(records.map((r) => r.customer_id)).size).toBe(SMALL.customers);
    for (const r of records) {
      expect(r.customer_id).toMatch(/^[0-9a-f]{64}$/);
      expect(r.postal_code).toMatch(/^[0-9a-f]{64}$/);
      expect(['', '1.0']).toContain(r.FN);
      expect(['', '1.0']).toContain(r.Active);
      expect(['', 'ACTIVE', 'PRE-CREATE', 'LEFT CLUB']).toContain(r.club_member_status);
      expect(['', 'NONE', 'None', 'Regularly', 'Monthly']).toContain(r.fashion_news_frequency);
      if (r.age !== '') expect(Number(r.age)).toBeGreaterThanOrEqual(16);
    }
  });

  it('transactions_train.csv is sorted by date and every id exists', () => {
    const { header, records } = readCsv(a.outDir, 'transactions_train.csv');
    expect(header).toEqual(['t_dat', 'customer_id', 'article_id', 'price', 'sales_channel_id']);
    expect(records).toHaveLength(SMALL.transactions!);
    const articles = new Set(readCsv(a.outDir, 'articles.csv').records.map((r) => r.article_id));
    const customers = new Set(readCsv(a.outDir, 'customers.csv').records.map((r) => r.customer_id));
    // One assertion over all rows (an expect per field would make this test slow).
    const problems: string[] = [];
    let previous = '';
    records.forEach((t, i) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(t.t_dat!)) problems.push(`row ${i}: date ${t.t_dat}`);
      if (t.t_dat! < previous) problems.push(`row ${i}: ${t.t_dat} after ${previous}`);
      previous = t.t_dat!;
      if (!customers.has(t.customer_id)) problems.push(`row ${i}: unknown customer ${t.customer_id}`);
      if (!articles.has(t.article_id)) problems.push(`row ${i}: unknown article ${t.article_id}`);
      if (!/^0\.\d+$/.test(t.price!)) problems.push(`row ${i}: price ${t.price}`);
      if (t.sales_channel_id !== '1' && t.sales_channel_id !== '2')
        problems.push(`row ${i}: channel ${t.sales_channel_id}`);
    });
    expect(problems.slice(0, 5)).toEqual([]);
    expect(records[0]!.t_dat).toBe('2019-03-01');
    expect(records[records.length - 1]!.t_dat).toBe(formatDay(parseDay('2019-03-01') + 179));
    expect(a.dateRange).toEqual({ first: '2019-03-01', last: formatDay(parseDay('2019-03-01') + 179) });
  });

  it('sample.json records the parameters, counts and file sizes', async () => {
    const manifest = await readSampleManifest(a.outDir);
    expect(manifest?.params).toEqual(sampleParams(SMALL));
    expect(manifest?.counts).toMatchObject({
      articles: 160,
      customers: 500,
      transactions: 12_000,
      images: 160,
    });
    for (const f of manifest!.files.filter((x) => x.path.endsWith('.csv'))) {
      expect(statSync(join(a.outDir, f.path)).size).toBe(f.bytes);
    }
  });
});

describe('images', () => {
  it('lie in images/<first 3 chars>/<article_id>.jpg and decode as JPEGs of the configured size', async () => {
    const ids = readCsv(a.outDir, 'articles.csv').records.map((r) => r.article_id!);
    const jpgs = listFiles(a.outDir).filter((f) => f.startsWith('images'));
    expect(jpgs).toEqual(ids.map((id) => join('images', id.slice(0, 3), `${id}.jpg`)).sort());
    for (const f of jpgs.slice(0, 20)) {
      const meta = await sharp(join(a.outDir, f)).metadata();
      expect(meta).toMatchObject({ format: 'jpeg', width: 96, height: 144, channels: 3 });
    }
  });

  /** Median colour of the pixels that differ from the background (estimated from the corners), and the background. */
  async function garmentColour(
    file: string,
  ): Promise<{ colour: number[]; background: number[] } | undefined> {
    const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number) => [0, 1, 2].map((c) => data[(y * info.width + x) * 3 + c]!);
    const corners = [
      px(1, 1),
      px(info.width - 2, 1),
      px(1, info.height - 2),
      px(info.width - 2, info.height - 2),
    ];
    const background = [0, 1, 2].map((c) => corners.reduce((s, p) => s + p[c]!, 0) / 4);
    const values: number[][] = [[], [], []];
    for (let y = 0; y < info.height; y++) {
      for (let x = 0; x < info.width; x++) {
        const p = px(x, y);
        if (Math.hypot(p[0]! - background[0]!, p[1]! - background[1]!, p[2]! - background[2]!) > 40)
          p.forEach((v, c) => values[c]!.push(v));
      }
    }
    if (values[0]!.length < 150) return undefined;
    return { colour: values.map((v) => v.sort((x, y) => x - y)[v.length >> 1]!), background };
  }

  const distance = (x: readonly number[], y: readonly number[]) => Math.hypot(...x.map((v, c) => v - y[c]!));
  const rgbOf = (name: string) => COLOUR_GROUPS.find((g) => g.name === name)!.rgb;

  it("follow the attributes: a solid garment's colour is nearest its colour group's RGB", async () => {
    const solid = readCsv(a.outDir, 'articles.csv').records.filter(
      (r) => r.graphical_appearance_name === 'Solid',
    );
    let checked = 0;
    let nearestOwn = 0;
    let ownInTop3 = 0;
    for (const r of solid) {
      const found = await garmentColour(
        join(a.outDir, 'images', r.article_id!.slice(0, 3), `${r.article_id}.jpg`),
      );
      // White on a white studio background cannot be told apart from the background by pixels alone.
      if (!found || distance(rgbOf(r.colour_group_name!), found.background) < 45) continue;
      checked++;
      const ranked = [...COLOUR_GROUPS].sort(
        (x, y) => distance(x.rgb, found.colour) - distance(y.rgb, found.colour),
      );
      if (ranked[0]!.name === r.colour_group_name) nearestOwn++;
      if (ranked.slice(0, 3).some((g) => g.name === r.colour_group_name)) ownInTop3++;
    }
    expect(checked).toBeGreaterThan(40);
    expect(nearestOwn / checked).toBeGreaterThan(0.85);
    expect(ownInTop3 / checked).toBeGreaterThan(0.95);
  });

  it('follow the attributes: colourways of one product share a silhouette, other product types differ', async () => {
    const records = readCsv(a.outDir, 'articles.csv').records;
    const visible = (r: Record<string, string>) =>
      distance(rgbOf(r.colour_group_name!), [235, 235, 235]) > 60;
    const mask = async (id: string) => {
      const file = join(a.outDir, 'images', id.slice(0, 3), `${id}.jpg`);
      const { data } = await sharp(file)
        .resize(24, 36)
        .greyscale()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const bg = (data[0]! + data[23]! + data[24 * 35]! + data[24 * 36 - 1]!) / 4;
      return Array.from(data, (v) => Math.abs(v - bg) > 12);
    };
    const iou = (x: boolean[], y: boolean[]) => {
      let inter = 0;
      let union = 0;
      x.forEach((v, i) => {
        if (v && y[i]) inter++;
        if (v || y[i]) union++;
      });
      return union === 0 ? 0 : inter / union;
    };
    const byProduct = new Map<string, Record<string, string>[]>();
    for (const r of records.filter(visible))
      byProduct.set(r.product_code!, [...(byProduct.get(r.product_code!) ?? []), r]);
    const same: number[] = [];
    const different: number[] = [];
    let k = 0;
    for (const [x, y] of byProduct.values()) {
      if (!y) continue;
      same.push(iou(await mask(x!.article_id!), await mask(y.article_id!)));
      const others = records.filter((r) => r.product_type_name !== x!.product_type_name && visible(r));
      const other = others[(k++ * 7919) % others.length]!;
      different.push(iou(await mask(x!.article_id!), await mask(other.article_id!)));
    }
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(same.length).toBeGreaterThan(10);
    expect(mean(same)).toBeGreaterThan(mean(different) + 0.1);
  });
});

describe('behaviour', () => {
  it('has new arrivals first sold in the last week, as the summary says', () => {
    const { records } = readCsv(a.outDir, 'transactions_train.csv');
    const from = formatDay(parseDay('2019-03-01') + 173);
    const first = new Map<string, string>();
    for (const t of records) if (!first.has(t.article_id!)) first.set(t.article_id!, t.t_dat!);
    const fresh = [...first.values()].filter((d) => d >= from).length;
    expect(fresh).toBeGreaterThan(0);
    expect(a.lastWeek.newArticles).toBe(fresh);
    expect(a.lastWeek.from).toBe(from);
  });

  it('has repurchases: the same customer buying the same article on different days', () => {
    const { records } = readCsv(a.outDir, 'transactions_train.csv');
    const days = new Map<string, Set<string>>();
    for (const t of records) {
      const key = `${t.customer_id}|${t.article_id}`;
      days.set(key, (days.get(key) ?? new Set()).add(t.t_dat!));
    }
    expect([...days.values()].filter((d) => d.size > 1).length).toBeGreaterThan(50);
    expect(a.counts.repeatPurchases).toBeGreaterThan(0);
  });
});

describe('skipping and overwriting', () => {
  it('finds a complete sample only with the same parameters and all files', async () => {
    expect(await findCompleteSample(a.outDir, SMALL)).toBeDefined();
    expect(await findCompleteSample(a.outDir, { ...SMALL, seed: 99 })).toBeUndefined();
    expect(await findCompleteSample(a.outDir, { ...SMALL, images: false })).toBeUndefined();
    const copy = await generateSample({ ...SMALL, images: false, outDir: join(root, 'e') });
    writeFileSync(join(copy.outDir, 'customers.csv'), 'truncated');
    expect(await findCompleteSample(copy.outDir, { ...SMALL, images: false })).toBeUndefined();
  });

  it('refuses to overwrite a folder holding a dataset it did not write, unless told to', async () => {
    const dir = join(root, 'foreign');
    await generateSample({ ...SMALL, images: false, outDir: dir });
    rmSync(join(dir, 'sample.json'));
    await expect(generateSample({ ...SMALL, images: false, outDir: dir })).rejects.toThrow(/not overwriting/);
    await expect(
      generateSample({ ...SMALL, images: false, outDir: dir, overwrite: true }),
    ).resolves.toBeDefined();
  });

  it('rejects bad parameters', () => {
    expect(() => sampleParams({ articles: 0 })).toThrow(RangeError);
    expect(() => sampleParams({ days: 5 })).toThrow(/days/);
    expect(() => sampleParams({ startDate: '2019-02-30' })).toThrow(/calendar/);
    expect(() => sampleParams({ seed: -1 })).toThrow(/seed/);
  });
});
