/** The competition's cut-off: 12 predictions per customer. */
export const K = 12;

/**
 * AP@k exactly as the H&M competition (and Kaggle's `ml_metrics.apk`) defines it:
 * Σ_{i<k} P(i)·rel(i) / min(|actual|, k), where a prediction counts only at its first occurrence in the
 * list (a repeated prediction is not relevant again but still takes its position). 0 when `actual` is empty.
 */
export function averagePrecisionAtK<T>(actual: ReadonlySet<T>, predicted: readonly T[], k = K): number {
  if (actual.size === 0) return 0;
  const seen = new Set<T>();
  let hits = 0;
  let score = 0;
  const n = Math.min(k, predicted.length);
  for (let i = 0; i < n; i++) {
    const p = predicted[i]!;
    if (actual.has(p) && !seen.has(p)) {
      hits++;
      score += hits / (i + 1);
    }
    seen.add(p);
  }
  return score / Math.min(actual.size, k);
}

/** Recall@k: distinct relevant articles among the first k predictions / |actual| (0 when `actual` is empty). */
export function recallAtK<T>(actual: ReadonlySet<T>, predicted: readonly T[], k = K): number {
  if (actual.size === 0) return 0;
  const found = new Set<T>();
  for (let i = 0; i < Math.min(k, predicted.length); i++)
    if (actual.has(predicted[i]!)) found.add(predicted[i]!);
  return found.size / actual.size;
}

/**
 * MAP@k over the customers with a non-empty `actual` set (the competition scores exactly the customers who
 * bought in the test week); a customer without a prediction scores 0. Returns 0 when nobody bought.
 */
export function meanAveragePrecisionAtK<T>(
  actual: ReadonlyMap<string, ReadonlySet<T>>,
  predicted: ReadonlyMap<string, readonly T[]>,
  k = K,
): number {
  let sum = 0;
  let n = 0;
  for (const [customer, bought] of actual) {
    if (bought.size === 0) continue;
    sum += averagePrecisionAtK(bought, predicted.get(customer) ?? [], k);
    n++;
  }
  return n === 0 ? 0 : sum / n;
}
