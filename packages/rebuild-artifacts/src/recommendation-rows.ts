import { createInterface } from 'node:readline';
import { recommendationsPartKey, type ObjectStore } from '@lookalike/storage';

/** One customer's row of the recommend stage's output (submission.csv format). */
export interface RecommendationRow {
  customerId: string;
  /** The 12 recommended article ids, best first. */
  articles: string[];
}

/**
 * The rows the recommend stage wrote for some customers (by their index in the model): customer `c` is
 * line `c - part × customersPerJob` of `recommendations/<part>.csv`, `part = ⌊c / customersPerJob⌋`
 * (the recommend step's split). Each part is streamed once, up to the last line needed.
 */
export async function readRecommendationRows(
  store: ObjectStore,
  rebuildId: string,
  customersPerJob: number,
  customers: readonly number[],
): Promise<Map<number, RecommendationRow>> {
  const byPart = new Map<number, Set<number>>();
  for (const c of customers) {
    const part = Math.floor(c / customersPerJob);
    byPart.set(part, (byPart.get(part) ?? new Set()).add(c - part * customersPerJob));
  }
  const rows = new Map<number, RecommendationRow>();
  for (const [part, lines] of byPart) {
    const key = recommendationsPartKey(rebuildId, part);
    const last = Math.max(...lines);
    const stream = await store.getStream(key);
    const reader = createInterface({ input: stream, crlfDelay: Infinity });
    let line = 0;
    try {
      for await (const text of reader) {
        if (lines.has(line)) {
          const comma = text.indexOf(',');
          rows.set(part * customersPerJob + line, {
            customerId: text.slice(0, comma),
            articles: text.slice(comma + 1).split(' '),
          });
        }
        if (++line > last) break;
      }
    } finally {
      reader.close();
      stream.destroy();
    }
    if (line <= last) throw new Error(`${key}: ${line} rows, expected at least ${last + 1}`);
  }
  return rows;
}
