import { RecsysInputError } from './errors';
import { EvaluationAccumulator, type EvaluationPartial } from './evaluation';
import { K } from './metrics';
import type { PreparedModel } from './model';
import { recommendOptionsOf, type RecommendOptions } from './recommend-options';
import { METHODS, Recommender, type Method } from './recommender';

export interface RangeOptions extends RecommendOptions {
  /** Methods to run. Default all of `METHODS`. */
  methods?: readonly Method[];
  /** Score against the holdout. Default true. */
  evaluate?: boolean;
}

export interface AsyncRangeOptions extends RangeOptions {
  /** Give the event loop a turn (`setImmediate`) at least this often, in ms. Default 50. */
  yieldEveryMs?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/**
 * One customer range's output: per method, the predictions (12 article indices per customer, customer
 * `customerStart + i` at `[12 i, 12 i + 12)`) and the evaluation partial. Partials of disjoint ranges
 * merge (`combineEvaluations`) into exactly the figures of one pass over their union.
 */
export interface RangeResult {
  customerStart: number;
  customerEnd: number;
  methods: Method[];
  predictions: Partial<Record<Method, Int32Array>>;
  evaluation: Partial<Record<Method, EvaluationPartial>>;
}

/**
 * Recommends (and evaluates) customers `[customerStart, customerEnd)` of a prepared model: the unit of work
 * of a `recommend` job. Synchronous; see `recommendRangeAsync` for a version that yields.
 */
export function recommendRange(
  model: PreparedModel,
  customerStart: number,
  customerEnd: number,
  options: RangeOptions = {},
): RangeResult {
  const run = new RangeRun(model, customerStart, customerEnd, options);
  run.step(customerEnd - customerStart);
  return run.result();
}

/** `recommendRange` in slices, yielding to the event loop every `yieldEveryMs` (so job locks get renewed). */
export async function recommendRangeAsync(
  model: PreparedModel,
  customerStart: number,
  customerEnd: number,
  options: AsyncRangeOptions = {},
): Promise<RangeResult> {
  const run = new RangeRun(model, customerStart, customerEnd, options);
  const every = options.yieldEveryMs ?? 50;
  const total = customerEnd - customerStart;
  let slice = 256;
  while (run.done < total) {
    options.signal?.throwIfAborted();
    const t0 = performance.now();
    run.step(slice);
    const ms = performance.now() - t0;
    // Aim for slices of about `every` ms.
    if (ms < every / 2 && slice < 1 << 20) slice *= 2;
    else if (ms > every && slice > 16) slice = Math.ceil(slice / 2);
    options.onProgress?.(run.done, total);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return run.result();
}

/** Splits `[0, customers)` into `parts` contiguous ranges of near-equal size (none empty unless customers < parts). */
export function splitRanges(customers: number, parts: number): Array<[start: number, end: number]> {
  if (!Number.isInteger(customers) || customers < 0)
    throw new RecsysInputError(`customers must be a non-negative integer, got ${customers}`);
  if (!Number.isInteger(parts) || parts < 1)
    throw new RecsysInputError(`parts must be a positive integer, got ${parts}`);
  const out: Array<[number, number]> = [];
  const n = Math.min(parts, Math.max(1, customers));
  for (let p = 0; p < n; p++)
    out.push([Math.floor((customers * p) / n), Math.floor((customers * (p + 1)) / n)]);
  return out;
}

class RangeRun {
  readonly methods: Method[];
  private readonly recommender: Recommender;
  private readonly predictions: Partial<Record<Method, Int32Array>> = {};
  private readonly accumulators: Partial<Record<Method, EvaluationAccumulator>> = {};
  done = 0;

  constructor(
    private readonly model: PreparedModel,
    private readonly start: number,
    private readonly end: number,
    options: RangeOptions,
  ) {
    if (
      !Number.isInteger(start) ||
      !Number.isInteger(end) ||
      start < 0 ||
      end < start ||
      end > model.customers.size
    ) {
      throw new RecsysInputError(
        `customer range [${start}, ${end}) is not within [0, ${model.customers.size})`,
      );
    }
    this.methods = [...(options.methods ?? METHODS)];
    for (const m of this.methods)
      if (!METHODS.includes(m)) throw new RecsysInputError(`unknown method ${String(m)}`);
    if (new Set(this.methods).size !== this.methods.length)
      throw new RecsysInputError('methods listed twice');
    this.recommender = new Recommender(model, recommendOptionsOf(options));
    for (const m of this.methods) {
      this.predictions[m] = new Int32Array((end - start) * K);
      if (options.evaluate ?? true)
        this.accumulators[m] = new EvaluationAccumulator(m, model.stats.historySales);
    }
  }

  step(maxCustomers: number): void {
    const from = this.start + this.done;
    const to = Math.min(this.end, from + maxCustomers);
    const { offsets, articles } = this.model.holdout;
    const history = this.model.history.offsets;
    for (const m of this.methods) {
      const out = this.predictions[m]!;
      const acc = this.accumulators[m];
      for (let c = from; c < to; c++) {
        const at = (c - this.start) * K;
        this.recommender.recommend(c, m, out, at);
        acc?.addCustomer(out, at, articles, offsets[c]!, offsets[c + 1]!, history[c + 1]! > history[c]!);
      }
    }
    this.done = to - this.start;
  }

  result(): RangeResult {
    const evaluation: Partial<Record<Method, EvaluationPartial>> = {};
    for (const m of this.methods) {
      const acc = this.accumulators[m];
      if (acc) evaluation[m] = acc.toPartial();
    }
    return {
      customerStart: this.start,
      customerEnd: this.end,
      methods: this.methods,
      predictions: this.predictions,
      evaluation,
    };
  }
}
