/**
 * The point of the sample: a recommender built on look-alikes of past purchases beats pure popularity for some
 * customers, and the new arrivals bought in the last week look like what their buyers bought before. Article
 * attributes stand in for visual similarity here (sample.test.ts checks that the images follow the attributes).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv } from '../test/helpers';
import { generateSample } from './sample';

interface Attrs {
  type: string;
  colour: string;
  master: string;
  pattern: string;
}

let root: string;
let articles: Map<string, Attrs>;
let history: Record<string, string>[];
let holdout: Record<string, string>[];
let firstSold: Map<string, string>;
let holdoutFrom: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sample-signal-'));
  const s = await generateSample({
    outDir: root,
    seed: 3,
    articles: 2_000,
    customers: 4_000,
    transactions: 100_000,
    days: 365,
    images: false,
  });
  holdoutFrom = s.lastWeek.from;
  articles = new Map(
    readCsv(root, 'articles.csv').records.map((r) => [
      r.article_id!,
      {
        type: r.product_type_name!,
        colour: r.colour_group_name!,
        master: r.perceived_colour_master_name!,
        pattern: r.graphical_appearance_name!,
      },
    ]),
  );
  const tx = readCsv(root, 'transactions_train.csv').records;
  history = tx.filter((t) => t.t_dat! < holdoutFrom);
  holdout = tx.filter((t) => t.t_dat! >= holdoutFrom);
  firstSold = new Map();
  for (const t of tx) if (!firstSold.has(t.article_id!)) firstSold.set(t.article_id!, t.t_dat!);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** AP@12 as the competition defines it. */
function averagePrecision(predicted: string[], actual: Set<string>): number {
  let hits = 0;
  let sum = 0;
  predicted.slice(0, 12).forEach((p, k) => {
    if (actual.has(p) && predicted.indexOf(p) === k) {
      hits++;
      sum += hits / (k + 1);
    }
  });
  return sum / Math.min(actual.size, 12);
}

function similarity(x: Attrs, y: Attrs): number {
  return (
    (x.type === y.type ? 2 : 0) +
    (x.colour === y.colour ? 1.5 : x.master === y.master ? 0.7 : 0) +
    (x.pattern === y.pattern ? 0.8 : 0)
  );
}

it('look-alikes of past purchases beat popularity, and reach new arrivals', () => {
  const isNew = (id: string) => firstSold.get(id)! >= holdoutFrom;
  const dates = [...new Set(history.map((t) => t.t_dat!))].sort();
  const lastWeek = dates[dates.length - 7]!;
  const recent = dates[dates.length - 28]!;
  const popularity = new Map<string, number>();
  for (const t of history)
    if (t.t_dat! >= lastWeek) popularity.set(t.article_id!, (popularity.get(t.article_id!) ?? 0) + 1);
  const popular = [...popularity.entries()]
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .map(([id]) => id);
  // Candidates: what sold in the last four weeks, and what has never sold (the catalogue knows its new arrivals).
  const sold = new Set(history.map((t) => t.article_id!));
  const candidates = [
    ...new Set([
      ...history.filter((t) => t.t_dat! >= recent).map((t) => t.article_id!),
      ...[...articles.keys()].filter((id) => !sold.has(id)),
    ]),
  ];
  const past = new Map<string, string[]>();
  for (const t of history) past.set(t.customer_id!, [...(past.get(t.customer_id!) ?? []), t.article_id!]);
  const actual = new Map<string, Set<string>>();
  for (const t of holdout)
    actual.set(t.customer_id!, (actual.get(t.customer_id!) ?? new Set()).add(t.article_id!));

  let apPopularity = 0;
  let apLookalike = 0;
  let customers = 0;
  let better = 0;
  let newHits = 0;
  for (const [customer, bought] of actual) {
    const mine = past.get(customer);
    if (!mine) continue;
    customers++;
    const profile = [...new Set([...mine].reverse())].slice(0, 10).map((id) => articles.get(id)!);
    const scored = candidates.map((id) => {
      const attrs = articles.get(id)!;
      let score = 0.3 * Math.log1p(popularity.get(id) ?? 0);
      profile.forEach((p, i) => (score += similarity(p, attrs) / (1 + i / 3)));
      return [id, score] as const;
    });
    const lookalike = scored
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
      .map(([id]) => id)
      .slice(0, 12);
    const p = averagePrecision(popular, bought);
    const l = averagePrecision(lookalike, bought);
    apPopularity += p;
    apLookalike += l;
    if (l > p) better++;
    newHits += lookalike.filter((id) => bought.has(id) && isNew(id)).length;
  }
  expect(customers).toBeGreaterThan(300);
  expect(apLookalike / customers).toBeGreaterThan(1.5 * (apPopularity / customers));
  expect(better / customers).toBeGreaterThan(0.1);
  expect(popular.slice(0, 12).some(isNew)).toBe(false); // popularity cannot know the new arrivals …
  expect(newHits).toBeGreaterThan(0); // … look-alikes can
});

it('new arrivals bought in the last week look like what their buyers bought before', () => {
  const types = new Map<string, Set<string>>();
  for (const t of history)
    types.set(
      t.customer_id!,
      (types.get(t.customer_id!) ?? new Set()).add(articles.get(t.article_id!)!.type),
    );
  const buyers = [...types.keys()];
  let purchases = 0;
  let sameType = 0;
  let chance = 0;
  holdout.forEach((t, i) => {
    if (firstSold.get(t.article_id!)! < holdoutFrom || !types.has(t.customer_id!)) return;
    const type = articles.get(t.article_id!)!.type;
    purchases++;
    if (types.get(t.customer_id!)!.has(type)) sameType++;
    if (types.get(buyers[(i * 7919) % buyers.length]!)!.has(type)) chance++;
  });
  expect(purchases).toBeGreaterThan(30);
  expect(sameType / purchases).toBeGreaterThan(chance / purchases + 0.15);
});
