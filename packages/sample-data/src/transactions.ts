/**
 * The shopping simulation behind transactions_train.csv, one day at a time (so the file is written in date order
 * and never held in memory).
 *
 * Each day has a transaction count (weekly rhythm, seasons, Black Friday, sales, a slow trend), split into baskets:
 * a customer (drawn by activity, among those who have joined and not left) buys 1–15 items on one channel. Each item
 * is a second unit of the previous item now and then, otherwise drawn from the purchase model (`purchase-model.ts`):
 * a repurchase, another colourway or the paired product of a recent purchase, a trending best seller, a choice by
 * visual taste, or noise. Popularity = appeal × lifecycle (launch boost, then fading) × the type's season × a
 * weekly trend, so sales are long-tailed, seasonal and move from week to week.
 */
import type { Catalogue } from './catalogue';
import { formatDay, dayOfYear, monthDay, weekday } from './calendar';
import type { CsvWriter } from './csv';
import {
  FAV_COLOURS,
  FAV_PATTERNS,
  FAV_TYPES,
  NONE,
  SEGMENTS,
  SEGMENT_TYPE_WEIGHTS,
  type Customers,
} from './customers';
import { HabitStats, type BestSellerShares, type RepeatHabits } from './habit-stats';
import { PURCHASE_SOURCES, type PurchaseModel, type PurchaseSource } from './purchase-model';
import { AliasTable, streamFor, type Rng } from './random';
import { APPEARANCES, COLOUR_GROUPS, PRODUCT_TYPES, type PatternKind } from './vocab';

export const TRANSACTION_HEADER = 't_dat,customer_id,article_id,price,sales_channel_id\n';

export interface SimulationOptions {
  seed: number;
  /** UTC day number of the first day. */
  startDay: number;
  days: number;
  transactions: number;
  catalogue: Catalogue;
  customers: Customers;
  purchaseModel: PurchaseModel;
  writer: CsvWriter;
  onDay?: (day: number, rowsSoFar: number) => void;
}

export interface SimulationStats {
  transactions: number;
  firstDate: string;
  lastDate: string;
  /** Customers with at least one transaction. */
  activeCustomers: number;
  /** Articles sold at least once. */
  articlesSold: number;
  /** Transactions repeating an article the same customer bought on an earlier day (within their last 16 items). */
  repeatPurchases: number;
  /** Transactions by the purchase-model component that produced them (`secondUnit`: another unit of the previous item). */
  sources: Record<PurchaseSource | 'secondUnit', number>;
  /** Repeat habits over the last 12 weeks, measured as published for H&M (see `habit-stats.ts`). */
  habits: RepeatHabits;
  lastWeek: {
    from: string;
    to: string;
    transactions: number;
    customers: number;
    /** Customers buying in the last week who bought nothing before it. */
    newCustomers: number;
    /** Articles first sold in the last week, and their last-week transactions. */
    newArticles: number;
    newArticleTransactions: number;
  } & BestSellerShares;
}

const HISTORY = 16;
const CANDIDATES = 8;
/** Score multiplier of a taste candidate the customer bought recently (repurchases are the model's own component). */
const NOVELTY = 0.02;
/** Probability that an item is another unit of the basket's previous item (H&M's duplicate rows). */
const SECOND_UNIT = 0.06;

/** Daily transaction counts summing exactly to `total` (largest remainders). */
export function dailyCounts(startDay: number, days: number, total: number): number[] {
  const weights: number[] = [];
  for (let d = 0; d < days; d++) {
    const day = startDay + d;
    const doy = dayOfYear(day);
    const { year, month, date } = monthDay(day);
    const wd = weekday(day);
    let w =
      1 +
      0.2 * Math.cos((2 * Math.PI * (doy - 172)) / 365.25) +
      0.1 * Math.cos((2 * Math.PI * (doy - 340)) / 182.6);
    w *= [1.05, 0.93, 0.94, 0.96, 1.0, 1.06, 1.12][wd]!;
    w *= 1 - (0.12 * d) / days;
    if (month === 11 && wd === 5 && date >= 23 && date <= 29) w *= 2.3; // Black Friday
    if (month === 11 && wd === 1 && date >= 26) w *= 1.3; // Cyber Monday
    if (month === 1 && date <= 7) w *= 1.25; // January sale
    if (month === 6 && date >= 20) w *= 1.15; // summer sale
    if (month === 12 && date >= 24 && date <= 26) w *= 0.45;
    if (year === 2020 && ((month === 3 && date >= 15) || month === 4 || (month === 5 && date <= 15)))
      w *= 0.65;
    weights.push(w);
  }
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k]![1]]! += 1;
  return counts;
}

/** Visual closeness of colour groups (1 for the same group, falling off with RGB distance). */
export function colourSimilarity(): Float32Array {
  const n = COLOUR_GROUPS.length;
  const sim = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = COLOUR_GROUPS[i]!.rgb;
      const b = COLOUR_GROUPS[j]!.rgb;
      const d = Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
      const sameMaster = COLOUR_GROUPS[i]!.master.id === COLOUR_GROUPS[j]!.master.id;
      sim[i * n + j] = i === j ? 1 : Math.max(Math.exp(-((d / 55) ** 2)), sameMaster ? 0.3 : 0);
    }
  }
  return sim;
}

const PATTERN_FAMILY: Record<PatternKind, number> = {
  solid: 0,
  melange: 0,
  treatment: 0,
  structure: 0,
  transparent: 0,
  stripe: 1,
  check: 1,
  allover: 2,
  dot: 2,
  jacquard: 2,
  embroidery: 2,
  lace: 2,
  mesh: 2,
  frontprint: 3,
  placement: 3,
  denim: 4,
  glitter: 5,
  block: 6,
};

export function patternSimilarity(): Float32Array {
  const n = APPEARANCES.length;
  const sim = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const same = PATTERN_FAMILY[APPEARANCES[i]!.kind] === PATTERN_FAMILY[APPEARANCES[j]!.kind];
      sim[i * n + j] = i === j ? 1 : same ? 0.35 : 0;
    }
  }
  return sim;
}

/** The price of one transaction in the competition's format (SEK / 590), cached by integer amount. */
const priceCache: string[] = [];
function priceText(units: number): string {
  let s = priceCache[units];
  if (s === undefined) {
    s = String(units / 590);
    priceCache[units] = s;
  }
  return s;
}

export async function simulateTransactions(options: SimulationOptions): Promise<SimulationStats> {
  const { seed, startDay, days, catalogue, customers, writer, purchaseModel: pm } = options;
  const rng: Rng = streamFor(seed, 'transactions');
  const trendRng: Rng = streamFor(seed, 'trend');
  const arts = catalogue.articles;
  const A = arts.length;
  const C = customers.count;
  const T = PRODUCT_TYPES.length;
  const nColours = COLOUR_GROUPS.length;
  const nPatterns = APPEARANCES.length;

  const artType = Uint8Array.from(arts, (a) => a.type);
  const artProduct = Int32Array.from(arts, (a) => a.product);
  const artColour = Uint8Array.from(arts, (a) => a.colour);
  const artPattern = Uint8Array.from(arts, (a) => a.appearance);
  const artIndex = Uint8Array.from(arts, (a) => a.index);
  const artLaunch = Int32Array.from(arts, (a) => a.launchDay);
  const artLifetime = Float64Array.from(arts, (a) => a.lifetime);
  const artAppeal = Float64Array.from(arts, (a) => a.appeal);
  const artPrice = Int32Array.from(arts, (a) => a.priceUnits);
  const artIds = arts.map((a) => a.id);
  const byLaunch = Int32Array.from(arts, (_, i) => i).sort((x, y) => artLaunch[x]! - artLaunch[y]! || x - y);
  const { productStart, partner } = catalogue;

  const season = new Float64Array(T * days);
  for (let t = 0; t < T; t++) {
    const type = PRODUCT_TYPES[t]!;
    for (let d = 0; d < days; d++) {
      season[t * days + d] = Math.exp(
        type.seasonAmp * Math.cos((2 * Math.PI * (dayOfYear(startDay + d) - type.seasonPeak)) / 365.25),
      );
    }
  }
  const dates = Array.from({ length: days }, (_, d) => formatDay(startDay + d));
  const counts = dailyCounts(startDay, days, options.transactions);
  const colourSim = colourSimilarity();
  const patternSim = patternSimilarity();
  const segIndex = SEGMENTS.map((s) => {
    const max = Math.max(...s.index);
    return Float64Array.from(s.index, (x) => x / max);
  });
  const segType = SEGMENT_TYPE_WEIGHTS.map((w) => {
    const max = Math.max(...w);
    return Float64Array.from(w, (x) => x / max);
  });

  // Weekly trend: ln(factor) is an AR(1) with stationary deviation σ, one step per week counted back from the last day.
  const sigma = pm.trendVolatility;
  const rho = pm.trendPersistence;
  const trendLog = new Float64Array(A);
  for (let a = 0; a < A; a++) trendLog[a] = sigma * trendRng.normal();
  const trend = Float64Array.from(trendLog, Math.exp);
  const weekOf = (d: number): number => Math.floor((days - 1 - d) / 7);

  // Per product type: today's on-sale articles, their weights and an alias table over them (taste draws). Over
  // everything on sale: today's weight of each article (0 when not on sale) and an alias table for trending draws.
  const typeSize = new Int32Array(T);
  for (let a = 0; a < A; a++) typeSize[artType[a]!]!++;
  const typeArticles = Array.from(typeSize, (n) => new Int32Array(Math.max(1, n)));
  const typeWeights = Array.from(typeSize, (n) => new Float64Array(Math.max(1, n)));
  const typeAlias = Array.from(typeSize, (n) => new AliasTable(n));
  const typeCount = new Int32Array(T);
  const typeTotal = new Float64Array(T);
  const today = new Float64Array(A);
  const trendingWeights = new Float64Array(A);
  const trendingAlias = new AliasTable(A);
  let active = new Int32Array(A);
  let activeCount = 0;
  let spare = new Int32Array(A);
  let nextLaunch = 0;

  // Nobody buys a large part of the catalogue: a customer's expected purchases are capped at an eighth of the
  // articles (at H&M's size the cap is far above the heaviest real customer; in a small demo it tames the tail).
  const activity = Float64Array.from(customers.activity);
  const cap = Math.max(40, A / 8);
  for (let pass = 0; pass < 3; pass++) {
    let sum = 0;
    for (let c = 0; c < C; c++) sum += activity[c]!;
    const limit = (cap / Math.max(1, options.transactions)) * sum;
    for (let c = 0; c < C; c++) if (activity[c]! > limit) activity[c] = limit;
  }
  const customerAlias = AliasTable.of(activity);
  const histArt = new Int32Array(C * HISTORY).fill(-1);
  const histDay = new Int16Array(C * HISTORY);
  const histNext = new Uint8Array(C);
  const histLen = new Uint8Array(C);
  const firstPurchaseDay = new Int32Array(C).fill(-1);
  const lastWeekSeen = new Uint8Array(C);
  const firstSold = new Int32Array(A).fill(-1);
  const habits = new HabitStats(days, C, artProduct, artType);

  const favW = new Float64Array(FAV_TYPES);
  const candidates = new Int32Array(CANDIDATES);
  const scores = new Float64Array(CANDIDATES);
  const globalW = new Float64Array(T);
  const memoryW = new Float64Array(HISTORY);
  const memoryDecay = Array.from({ length: days + 1 }, (_, age) => Math.pow(2, -age / pm.memoryHalfLifeDays));

  const favColours = customers.favColours;
  const favColourWeights = customers.favColourWeights;
  const favPatterns = customers.favPatterns;
  const favPatternWeights = customers.favPatternWeights;
  const affinity = (c: number, seg: number, a: number): number => {
    let colour = 0;
    let colourNorm = 0;
    const g = artColour[a]!;
    for (let j = c * FAV_COLOURS, end = j + FAV_COLOURS; j < end; j++) {
      const f = favColours[j]!;
      if (f === NONE) break;
      const w = favColourWeights[j]!;
      colour += w * colourSim[f * nColours + g]!;
      colourNorm += w;
    }
    let pattern = 0;
    let patternNorm = 0;
    const p = artPattern[a]!;
    for (let j = c * FAV_PATTERNS, end = j + FAV_PATTERNS; j < end; j++) {
      const f = favPatterns[j]!;
      if (f === NONE) break;
      const w = favPatternWeights[j]!;
      pattern += w * patternSim[f * nPatterns + p]!;
      patternNorm += w;
    }
    return (0.03 + colour / colourNorm) * (0.12 + pattern / patternNorm) * segIndex[seg]![artIndex[a]!]!;
  };

  const chooseType = (c: number, seg: number, d: number): number => {
    if (rng.float() < customers.typeLoyalty[c]!) {
      let any = false;
      for (let j = 0; j < FAV_TYPES; j++) {
        const t = customers.favTypes[c * FAV_TYPES + j]!;
        const w =
          t === NONE || typeTotal[t] === 0
            ? 0
            : customers.favTypeWeights[c * FAV_TYPES + j]! * season[t * days + d]!;
        favW[j] = w;
        if (w > 0) any = true;
      }
      if (any) return customers.favTypes[c * FAV_TYPES + rng.weighted(favW)]!;
    }
    const st = segType[seg]!;
    for (let t = 0; t < T; t++) globalW[t] = typeTotal[t]! * (0.02 + st[t]!);
    return rng.weighted(globalW);
  };

  /** Taste: a product type, a few candidates by popularity, the one closest to the customer's taste. */
  const byTaste = (c: number, d: number): number => {
    const seg = customers.segment[c]!;
    const t = chooseType(c, seg, d);
    const alias = typeAlias[t]!;
    const list = typeArticles[t]!;
    const pick = customers.pickiness[c]!;
    let total = 0;
    const owned = histLen[c]!;
    for (let k = 0; k < CANDIDATES; k++) {
      const a = list[alias.sample(rng)]!;
      candidates[k] = a;
      let s = Math.pow(affinity(c, seg, a), pick);
      for (let h = 0; h < owned; h++) {
        if (histArt[c * HISTORY + h] === a) {
          s *= NOVELTY;
          break;
        }
      }
      scores[k] = s;
      total += s;
    }
    let x = rng.float() * total;
    for (let k = 0; k < CANDIDATES; k++) {
      x -= scores[k]!;
      if (x < 0) return candidates[k]!;
    }
    return candidates[CANDIDATES - 1]!;
  };

  /** One of the customer's recent purchases, by recency (weight halving every `memoryHalfLifeDays`). */
  const recentPurchase = (c: number, d: number): number => {
    const n = histLen[c]!;
    for (let h = 0; h < n; h++) memoryW[h] = memoryDecay[d - histDay[c * HISTORY + h]!]!;
    for (let h = n; h < HISTORY; h++) memoryW[h] = 0;
    return histArt[c * HISTORY + rng.weighted(memoryW)]!;
  };

  /** An article of product `p` on sale today (other than `except`), by today's popularity; -1 if none. */
  const ofProduct = (p: number, except: number): number => {
    let total = 0;
    for (let a = productStart[p]!; a < productStart[p + 1]!; a++) if (a !== except) total += today[a]!;
    if (!(total > 0)) return -1;
    let x = rng.float() * total;
    let last = -1;
    for (let a = productStart[p]!; a < productStart[p + 1]!; a++) {
      if (a === except || !(today[a]! > 0)) continue;
      last = a;
      x -= today[a]!;
      if (x < 0) return a;
    }
    return last;
  };

  const shares = PURCHASE_SOURCES.map((s) => pm[s]);
  const historyShares = shares.slice(0, 3).reduce((a, b) => a + b, 0);
  const freshShares = shares.slice(3).reduce((a, b) => a + b, 0);
  /**
   * Index into PURCHASE_SOURCES of the component that produces the next item. The history components scale with
   * the customer's habit and with how recently they bought: the recency weights of their remembered purchases,
   * summed and capped at 1 (someone who last bought months ago rarely repeats it now).
   */
  const drawSource = (c: number, d: number): number => {
    let recent = 0;
    for (let h = 0, n = histLen[c]!; h < n && recent < 1; h++)
      recent += memoryDecay[d - histDay[c * HISTORY + h]!]!;
    const habit = customers.habit[c]! * Math.min(1, recent);
    let x = rng.float() * (habit * historyShares + freshShares);
    for (let s = 0; s < shares.length; s++) {
      x -= s < 3 ? habit * shares[s]! : shares[s]!;
      if (x < 0) return s;
    }
    return 4; // rounding: taste
  };

  const sourceCounts = new Float64Array(PURCHASE_SOURCES.length + 1);
  const SECOND = PURCHASE_SOURCES.length;
  const TASTE = PURCHASE_SOURCES.indexOf('taste');
  const chooseArticle = (c: number, d: number): [article: number, source: number] => {
    const s = drawSource(c, d);
    let a = -1;
    switch (PURCHASE_SOURCES[s]) {
      case 'repurchase': {
        const p = recentPurchase(c, d);
        if (today[p]! > 0) a = p;
        break;
      }
      case 'colourVariant': {
        const p = recentPurchase(c, d);
        a = ofProduct(artProduct[p]!, p);
        break;
      }
      case 'coPurchase': {
        const q = partner[artProduct[recentPurchase(c, d)]!]!;
        if (q >= 0) a = ofProduct(q, -1);
        break;
      }
      case 'trending':
        a = active[trendingAlias.sample(rng)]!;
        break;
      case 'noise':
        a = active[rng.int(activeCount)]!;
        break;
      default:
        break;
    }
    return a >= 0 ? [a, s] : [byTaste(c, d), TASTE];
  };

  const drawCustomer = (d: number): number => {
    let c = 0;
    for (let tries = 0; tries < 16; tries++) {
      c = customerAlias.sample(rng);
      if (customers.joinDay[c]! <= d && customers.leaveDay[c]! > d) return c;
    }
    return c;
  };

  const lastWeekStart = Math.max(0, days - 7);
  const stats = {
    transactions: 0,
    firstDate: dates[0]!,
    lastDate: dates[days - 1]!,
    activeCustomers: 0,
    articlesSold: 0,
    repeatPurchases: 0,
    lastWeek: {
      from: dates[lastWeekStart]!,
      to: dates[days - 1]!,
      transactions: 0,
      customers: 0,
      newCustomers: 0,
      newArticles: 0,
      newArticleTransactions: 0,
    },
  };

  writer.push(TRANSACTION_HEADER);
  let rows = 0;
  let week = weekOf(0);
  for (let d = 0; d < days; d++) {
    if (weekOf(d) !== week) {
      week = weekOf(d);
      const step = sigma * Math.sqrt(1 - rho * rho);
      for (let a = 0; a < A; a++) {
        trendLog[a] = rho * trendLog[a]! + step * trendRng.normal();
        trend[a] = Math.exp(trendLog[a]!);
      }
    }
    // Today's catalogue: launch what is due, fade and retire the rest, and weigh everything on sale.
    while (nextLaunch < A && artLaunch[byLaunch[nextLaunch]!]! <= d)
      active[activeCount++] = byLaunch[nextLaunch++]!;
    typeCount.fill(0);
    typeTotal.fill(0);
    today.fill(0);
    let kept = 0;
    for (let i = 0; i < activeCount; i++) {
      const a = active[i]!;
      const age = d - artLaunch[a]!;
      const life = artLifetime[a]!;
      if (age > 6 * life) continue;
      const t = artType[a]!;
      const w =
        artAppeal[a]! *
        Math.exp(-age / life) *
        (1 + 2.5 * Math.exp(-age / 6)) *
        season[t * days + d]! *
        trend[a]!;
      today[a] = w;
      trendingWeights[kept] = Math.pow(w, pm.trendConcentration);
      spare[kept++] = a;
      const k = typeCount[t]!++;
      typeArticles[t]![k] = a;
      typeWeights[t]![k] = w;
      typeTotal[t]! += w;
    }
    [active, spare] = [spare, active];
    activeCount = kept;
    for (let t = 0; t < T; t++) if (typeCount[t]! > 0) typeAlias[t]!.rebuild(typeWeights[t]!, typeCount[t]!);
    if (activeCount === 0 && counts[d]! > 0) throw new Error(`no article is on sale on ${dates[d]}`);
    if (activeCount > 0) trendingAlias.rebuild(trendingWeights, activeCount);

    const { month, date } = monthDay(startDay + d);
    const saleSeason = month === 1 || (month === 6 && date >= 15) || month === 7;
    const dateText = dates[d]!;
    let left = counts[d]!;
    while (left > 0) {
      const c = drawCustomer(d);
      const basket = Math.min(left, 1 + Math.min(14, rng.geometric(0.42)));
      const channel = rng.float() < customers.online[c]! ? '2' : '1';
      const id = customers.ids[c]!;
      let prev = -1;
      for (let j = 0; j < basket; j++) {
        let a: number;
        let source: number;
        if (prev >= 0 && rng.float() < SECOND_UNIT) [a, source] = [prev, SECOND];
        else [a, source] = chooseArticle(c, d);
        sourceCounts[source]!++;

        let repeat = false;
        for (let h = 0; h < histLen[c]!; h++) {
          if (histArt[c * HISTORY + h] === a && histDay[c * HISTORY + h]! < d) {
            repeat = true;
            break;
          }
        }
        if (repeat) stats.repeatPurchases++;
        if (a !== prev) {
          const slot = c * HISTORY + histNext[c]!;
          histArt[slot] = a;
          histDay[slot] = d;
          histNext[c] = (histNext[c]! + 1) % HISTORY;
          if (histLen[c]! < HISTORY) histLen[c]!++;
        }

        let units = artPrice[a]!;
        const age = d - artLaunch[a]!;
        const u = rng.float();
        if (saleSeason && u < 0.35) units = Math.max(1, Math.round(units * (0.5 + 0.2 * rng.float())));
        else if (age > 2 * artLifetime[a]! && u < 0.5)
          units = Math.max(1, Math.round(units * (0.6 + 0.2 * rng.float())));
        else if (u > 0.96) units = Math.max(1, Math.round(units * 0.9));

        writer.push(`${dateText},${id},${artIds[a]},${priceText(units)},${channel}\n`);
        habits.add(d, c, a);
        if (firstSold[a]! < 0) {
          firstSold[a] = d;
          stats.articlesSold++;
        }
        if (d >= lastWeekStart) {
          stats.lastWeek.transactions++;
          if (firstSold[a]! >= lastWeekStart) stats.lastWeek.newArticleTransactions++;
          if (lastWeekSeen[c] === 0) {
            lastWeekSeen[c] = 1;
            stats.lastWeek.customers++;
            if (firstPurchaseDay[c]! < 0 || firstPurchaseDay[c]! >= lastWeekStart)
              stats.lastWeek.newCustomers++;
          }
        }
        if (firstPurchaseDay[c]! < 0) {
          firstPurchaseDay[c] = d;
          stats.activeCustomers++;
        }
        prev = a;
      }
      rows += basket;
      left -= basket;
      if (writer.full) await writer.flush();
    }
    writer.rows = rows;
    options.onDay?.(d, rows);
  }
  stats.transactions = rows;
  for (let a = 0; a < A; a++) if (firstSold[a]! >= lastWeekStart) stats.lastWeek.newArticles++;
  const sources = Object.fromEntries([
    ...PURCHASE_SOURCES.map((s, i) => [s, sourceCounts[i]!]),
    ['secondUnit', sourceCounts[SECOND]!],
  ]) as SimulationStats['sources'];
  return {
    ...stats,
    sources,
    habits: habits.habits(),
    lastWeek: { ...stats.lastWeek, ...habits.bestSellers() },
  };
}
