/**
 * Each component of the purchase model leaves its trace in the files: turning one off removes it, so the
 * settings a reader sees are the ones that shape the data (sample.json measures them as published for H&M).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv } from '../test/helpers';
import { buildCatalogue } from './catalogue';
import { DEFAULT_PURCHASE_MODEL, resolvePurchaseModel, type PurchaseModel } from './purchase-model';
import { generateSample, type SampleSummary } from './sample';

const SIZE = { seed: 3, articles: 1_500, customers: 4_000, transactions: 100_000, days: 365, images: false };

let root: string;
const runs = new Map<string, SampleSummary>();
async function sample(name: string, purchaseModel: Partial<PurchaseModel> = {}): Promise<SampleSummary> {
  let s = runs.get(name);
  if (!s) {
    s = await generateSample({ ...SIZE, outDir: join(root, name), purchaseModel });
    runs.set(name, s);
  }
  return s;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'purchase-model-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('records every setting in sample.json, defaults filled in, and refuses bad ones', async () => {
  const s = await sample('default');
  expect(s.params.purchaseModel).toEqual(DEFAULT_PURCHASE_MODEL);
  expect(resolvePurchaseModel({ noise: 0.5 }).noise).toBe(0.5);
  expect(() => resolvePurchaseModel({ repurchase: -1 })).toThrow('purchaseModel.repurchase');
  expect(() => resolvePurchaseModel({ trending: 0, taste: 0, noise: 0 })).toThrow('first purchases');
  expect(() => resolvePurchaseModel({ trendPersistence: 1 })).toThrow('trendPersistence');
  // Every transaction is accounted for by one component.
  expect(Object.values(s.sources).reduce((a, b) => a + b, 0)).toBe(SIZE.transactions);
});

it('repurchase: customers buy again what they bought in the weeks before', async () => {
  const withIt = (await sample('default')).habits.within3Weeks.article;
  const without = (await sample('no-repurchase', { repurchase: 0 })).habits.within3Weeks.article;
  expect(withIt).toBeGreaterThan(2 * without);
});

it('colour variants: other colourways of the same product_code follow a purchase', async () => {
  const gap = (s: SampleSummary) => s.habits.within3Weeks.productCode - s.habits.within3Weeks.article;
  expect(gap(await sample('default'))).toBeGreaterThan(
    1.5 * gap(await sample('no-variants', { colourVariant: 0 })),
  );
});

it('co-purchase: the partner of a product is bought by the same customer', async () => {
  const catalogue = buildCatalogue({ ...SIZE, newArrivalShare: 0.02 });
  const productOf = new Map(catalogue.articles.map((a) => [a.id, a.product]));
  const pairedShare = (s: SampleSummary): number => {
    const bought = new Map<string, Set<number>>();
    for (const t of readCsv(s.outDir, 'transactions_train.csv').records)
      bought.set(
        t.customer_id!,
        (bought.get(t.customer_id!) ?? new Set()).add(productOf.get(t.article_id!)!),
      );
    let pairs = 0;
    let both = 0;
    for (const products of bought.values()) {
      for (const p of products) {
        const q = catalogue.partner[p]!;
        if (q < 0) continue;
        pairs++;
        if (products.has(q)) both++;
      }
    }
    return both / pairs;
  };
  expect(pairedShare(await sample('default'))).toBeGreaterThan(
    1.5 * pairedShare(await sample('no-pairs', { coPurchase: 0 })),
  );
});

it("trending: the weekly trend moves best sellers, so last week's predict this week's only in part", async () => {
  // Share of the last week's purchases among the previous week's 12 best sellers, over that among its own.
  const ratio = (s: SampleSummary) => s.lastWeek.previousTop12Share / s.lastWeek.top12Share;
  expect(ratio(await sample('default'))).toBeLessThan(1);
  const fresh = ratio(await sample('weekly-trend', { trendVolatility: 1, trendPersistence: 0 }));
  const lasting = ratio(await sample('lasting-trend', { trendVolatility: 1, trendPersistence: 0.95 }));
  expect(fresh).toBeLessThan(0.8 * lasting);
});

it('taste: new arrivals bought in the last week look like what their buyers bought before', async () => {
  const s = await sample('default');
  const type = new Map(
    readCsv(s.outDir, 'articles.csv').records.map((r) => [r.article_id!, r.product_type_name!]),
  );
  const tx = readCsv(s.outDir, 'transactions_train.csv').records;
  const from = s.lastWeek.from;
  const firstSold = new Map<string, string>();
  for (const t of tx) if (!firstSold.has(t.article_id!)) firstSold.set(t.article_id!, t.t_dat!);
  const types = new Map<string, Set<string>>();
  for (const t of tx)
    if (t.t_dat! < from)
      types.set(t.customer_id!, (types.get(t.customer_id!) ?? new Set()).add(type.get(t.article_id!)!));
  const buyers = [...types.keys()];
  let purchases = 0;
  let sameType = 0;
  let chance = 0;
  tx.forEach((t, i) => {
    if (t.t_dat! < from || firstSold.get(t.article_id!)! < from || !types.has(t.customer_id!)) return;
    const ty = type.get(t.article_id!)!;
    purchases++;
    if (types.get(t.customer_id!)!.has(ty)) sameType++;
    if (types.get(buyers[(i * 7919) % buyers.length]!)!.has(ty)) chance++;
  });
  expect(purchases).toBeGreaterThan(30);
  expect(sameType / purchases).toBeGreaterThan(chance / purchases + 0.1);
});
