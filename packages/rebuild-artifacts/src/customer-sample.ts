import { z } from 'zod';
import { isoDay, type PreparedModel } from '@lookalike/recsys';
import { customerSampleKey, getJsonIfExists, putJson, type ObjectStore } from '@lookalike/storage';
import { readRecommendationRows } from './recommendation-rows';

/** Recent purchases shown per sampled customer. */
const PURCHASES_SHOWN = 8;

export const customerSampleSchema = z.object({
  customers: z.array(
    z.object({
      customerId: z.string(),
      /** The most recent purchases before the holdout, newest last, at most 8. */
      purchases: z.array(z.object({ articleId: z.string(), date: z.string() })),
      /** The 12 recommendations of `submission.csv`, best first; `hit` when bought in the holdout. */
      recommendations: z.array(z.object({ articleId: z.string(), hit: z.boolean() })),
    }),
  ),
});
export type CustomerSample = z.infer<typeof customerSampleSchema>['customers'][number];

/**
 * `count` customers with a history and holdout purchases, evenly spaced over the model's customers: their recent
 * purchases beside the recommendations the recommend stage wrote for them (submission.csv's rows), hits marked.
 */
export async function sampleCustomers(
  store: ObjectStore,
  rebuildId: string,
  customersPerJob: number,
  model: PreparedModel,
  count: number,
): Promise<CustomerSample[]> {
  const withHoldout: number[] = [];
  for (let c = 0; c < model.customers.size; c++) {
    if (
      model.holdout.offsets[c + 1]! > model.holdout.offsets[c]! &&
      model.history.offsets[c + 1]! > model.history.offsets[c]!
    ) {
      withHoldout.push(c);
    }
  }
  const shown = Math.min(count, withHoldout.length);
  const picked = Array.from(
    { length: shown },
    (_, i) => withHoldout[Math.floor(((i + 0.5) * withHoldout.length) / shown)]!,
  );
  const rows = await readRecommendationRows(store, rebuildId, customersPerJob, picked);
  return picked.map((c) => {
    const row = rows.get(c)!;
    if (row.customerId !== model.customers.id(c)) {
      throw new Error(
        `customer sample: recommendation row of customer ${c} is ${row.customerId}, expected ${model.customers.id(c)}`,
      );
    }
    const bought = new Set(
      Array.from(
        model.holdout.articles.subarray(model.holdout.offsets[c]!, model.holdout.offsets[c + 1]!),
        (a) => model.articles.id(a),
      ),
    );
    const from = model.history.offsets[c]!;
    const to = Math.min(model.history.offsets[c + 1]!, from + PURCHASES_SHOWN);
    return {
      customerId: row.customerId,
      purchases: Array.from({ length: to - from }, (_, i) => ({
        articleId: model.articles.id(model.history.articles[from + i]!),
        date: isoDay(model.history.days[from + i]!),
      })),
      recommendations: row.articles.map((articleId) => ({ articleId, hit: bought.has(articleId) })),
    };
  });
}

/** Writes `recommendations/customer-sample.json` (see `sampleCustomers`). */
export async function writeCustomerSample(
  store: ObjectStore,
  rebuildId: string,
  customersPerJob: number,
  model: PreparedModel,
  count: number,
): Promise<number> {
  const customers = await sampleCustomers(store, rebuildId, customersPerJob, model, count);
  await putJson(store, customerSampleKey(rebuildId), { customers });
  return customers.length;
}

/** The sample the evaluate job wrote; undefined for a rebuild that has none (one recommended before it existed). */
export async function readCustomerSample(
  store: ObjectStore,
  rebuildId: string,
): Promise<CustomerSample[] | undefined> {
  const sample = await getJsonIfExists(store, customerSampleKey(rebuildId), (v) =>
    customerSampleSchema.parse(v),
  );
  return sample?.customers;
}
