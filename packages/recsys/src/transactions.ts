import { RecsysInputError } from './errors';

/**
 * Transactions as parallel typed arrays, one entry per row of `transactions_train.csv` (10 bytes a row:
 * 31.8M rows take 318 MB). `customer[i]` and `article[i]` are indices into the dataset's id tables, `day[i]`
 * is the purchase date as days since 1970-01-01 (see `days.ts`). Price and sales channel are not kept.
 */
export interface TransactionLog {
  readonly length: number;
  readonly customer: Int32Array;
  readonly article: Int32Array;
  readonly day: Uint16Array;
}

/** Accumulates transactions into growing typed arrays; `finish()` returns exact-length arrays. */
export class TransactionLogBuilder {
  private customer: Int32Array;
  private article: Int32Array;
  private day: Uint16Array;
  private count = 0;

  constructor(expectedRows = 1 << 20) {
    const cap = Math.max(16, Math.ceil(expectedRows));
    this.customer = new Int32Array(cap);
    this.article = new Int32Array(cap);
    this.day = new Uint16Array(cap);
  }

  get length(): number {
    return this.count;
  }

  push(customer: number, article: number, day: number): void {
    const i = this.count;
    if (i === this.customer.length) this.grow();
    this.customer[i] = customer;
    this.article[i] = article;
    this.day[i] = day;
    this.count = i + 1;
  }

  /**
   * The transactions so far. Arrays are trimmed (copied) when more than 1/16 of their capacity is unused, so
   * the builder's slack is released; the builder must not be used afterwards.
   */
  finish(): TransactionLog {
    const n = this.count;
    const trim = <T extends Int32Array | Uint16Array>(a: T): T =>
      (a.length - n > a.length / 16 ? a.slice(0, n) : a.subarray(0, n)) as T;
    const log = {
      length: n,
      customer: trim(this.customer),
      article: trim(this.article),
      day: trim(this.day),
    };
    this.customer = new Int32Array(0);
    this.article = new Int32Array(0);
    this.day = new Uint16Array(0);
    this.count = 0;
    return log;
  }

  private grow(): void {
    const cap = Math.ceil(this.customer.length * 1.5) + 16;
    const c = new Int32Array(cap);
    c.set(this.customer);
    this.customer = c;
    const a = new Int32Array(cap);
    a.set(this.article);
    this.article = a;
    const d = new Uint16Array(cap);
    d.set(this.day);
    this.day = d;
  }
}

/** Checks that a log's arrays agree in length and that its indices are within the given table sizes. */
export function validateTransactionLog(log: TransactionLog, customers: number, articles: number): void {
  const { length: n, customer, article, day } = log;
  if (customer.length !== n || article.length !== n || day.length !== n) {
    throw new RecsysInputError(
      `transaction arrays disagree in length (${customer.length}, ${article.length}, ${day.length}; length ${n})`,
    );
  }
  for (let i = 0; i < n; i++) {
    const c = customer[i]!;
    const a = article[i]!;
    if (c < 0 || c >= customers)
      throw new RecsysInputError(`transaction ${i}: customer index ${c} out of range [0, ${customers})`);
    if (a < 0 || a >= articles)
      throw new RecsysInputError(`transaction ${i}: article index ${a} out of range [0, ${articles})`);
  }
}
