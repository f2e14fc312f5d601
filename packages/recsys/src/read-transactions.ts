import { ArticleIdTable, parseArticleCode } from './article-id-table';
import type { CsvReadOptions, CsvReadSummary, CsvRecord, CsvSource, RecordVerdict } from './csv-reader';
import { readCsvTable } from './csv-table';
import { parseIsoDayBytes } from './days';
import { IdTable } from './id-table';
import { TransactionLogBuilder, type TransactionLog } from './transactions';

export interface ReadTransactionsOptions extends Partial<CsvReadOptions> {
  /** Customer ids seen so far (from `customers.csv`); customers first met here are appended. */
  customers?: IdTable;
  /** Article ids seen so far (from `articles.csv`); articles first met here are appended. */
  articles?: ArticleIdTable;
  /**
   * The catalogue is `articles` (articles.csv was read): a row naming an article not in it is
   * malformed instead of appending the article. Default false.
   */
  knownArticlesOnly?: boolean;
  /** Capacity hint for the typed arrays (rows). */
  expectedRows?: number;
}

export interface TransactionsReadResult {
  transactions: TransactionLog;
  customers: IdTable;
  articles: ArticleIdTable;
  summary: CsvReadSummary;
  /** Customers / articles that were not in the tables passed in (appended to them). */
  newCustomers: number;
  newArticles: number;
  /** Day numbers of the earliest and latest accepted row (-1 when there is none). */
  firstDay: number;
  lastDay: number;
}

const REQUIRED = ['t_dat', 'customer_id', 'article_id'] as const;
const OPTIONAL = ['price', 'sales_channel_id'] as const;

/**
 * Streams `transactions_train.csv` (`t_dat,customer_id,article_id,price,sales_channel_id`) into typed arrays,
 * interning ids on the fly from the raw bytes. Columns are found by name; price and sales channel are
 * checked for shape but not kept. A row is malformed when its field count differs from the header's, its
 * date is not a valid `YYYY-MM-DD`, its customer id is empty or quoted with escapes, its article id is not
 * 1–10 digits (or, with `knownArticlesOnly`, not in articles.csv), its price is not a number or negative, or
 * its channel is not numeric.
 */
export async function readTransactions(
  source: CsvSource,
  options: ReadTransactionsOptions = {},
): Promise<TransactionsReadResult> {
  const customers = options.customers ?? new IdTable(1 << 16, 64);
  const articles = options.articles ?? new ArticleIdTable(1 << 14);
  const customersBefore = customers.size;
  const articlesBefore = articles.size;
  const knownOnly = options.knownArticlesOnly === true && options.articles !== undefined;
  const log = new TransactionLogBuilder(options.expectedRows ?? 1 << 20);
  // Column indices, set from the header.
  let cDay = 0;
  let cCustomer = 0;
  let cArticle = 0;
  let cPrice = -1;
  let cChannel = -1;
  let firstDay = 0xffff;
  let lastDay = -1;
  // The previous row's customer id and article code: rows come in baskets, so most lookups are repeats.
  const lastCustomerBytes = new Uint8Array(256);
  let lastCustomerLength = -1;
  let lastCustomerIndex = -1;
  let lastArticleCode = -1;
  let lastArticleIndex = -1;

  const row = (rec: CsvRecord): RecordVerdict => {
    const b = rec.bytes;
    const starts = rec.starts;
    const ends = rec.ends;
    const day = parseIsoDayBytes(b, starts[cDay]!, ends[cDay]!);
    if (day < 0) return `t_dat is not a date (YYYY-MM-DD): ${JSON.stringify(rec.text(cDay))}`;

    const cs = starts[cCustomer]!;
    const ce = ends[cCustomer]!;
    const clen = ce - cs;
    if (clen === 0 || rec.escaped[cCustomer] === 1)
      return `invalid customer_id ${JSON.stringify(rec.text(cCustomer))}`;
    let customer = -1;
    if (clen === lastCustomerLength) {
      let same = true;
      for (let i = 0; i < clen; i++) {
        if (b[cs + i] !== lastCustomerBytes[i]) {
          same = false;
          break;
        }
      }
      if (same) customer = lastCustomerIndex;
    }

    const code = parseArticleCode(b, starts[cArticle]!, ends[cArticle]!);
    if (code < 0) return `article_id is not 1-10 digits: ${JSON.stringify(rec.text(cArticle))}`;
    if (cPrice >= 0 && !isDecimal(b, starts[cPrice]!, ends[cPrice]!))
      return `price is not a number: ${JSON.stringify(rec.text(cPrice))}`;
    if (cPrice >= 0 && b[starts[cPrice]!] === 45 && !isZero(b, starts[cPrice]! + 1, ends[cPrice]!))
      return `price is negative: ${JSON.stringify(rec.text(cPrice))}`;
    if (cChannel >= 0 && !isDigits(b, starts[cChannel]!, ends[cChannel]!)) {
      return `sales_channel_id is not an integer: ${JSON.stringify(rec.text(cChannel))}`;
    }

    if (customer < 0) {
      customer = customers.internBytes(b, cs, ce);
      if (clen <= lastCustomerBytes.length) {
        for (let i = 0; i < clen; i++) lastCustomerBytes[i] = b[cs + i]!;
        lastCustomerLength = clen;
        lastCustomerIndex = customer;
      } else {
        lastCustomerLength = -1;
      }
    }
    let article = lastArticleIndex;
    if (code !== lastArticleCode) {
      if (knownOnly && articles.find(code) < 0)
        return `article_id ${rec.text(cArticle)} is not in articles.csv`;
      article = articles.intern(code);
      lastArticleCode = code;
      lastArticleIndex = article;
    }
    log.push(customer, article, day);
    if (day < firstDay) firstDay = day;
    if (day > lastDay) lastDay = day;
    return undefined;
  };

  const summary = await readCsvTable(source, options, {
    file: 'transactions_train.csv',
    required: REQUIRED,
    optional: OPTIONAL,
    rows: (columns) => {
      cDay = columns.t_dat;
      cCustomer = columns.customer_id;
      cArticle = columns.article_id;
      cPrice = columns.price ?? -1;
      cChannel = columns.sales_channel_id ?? -1;
      return row;
    },
  });
  return {
    transactions: log.finish(),
    customers,
    articles,
    summary,
    newCustomers: customers.size - customersBefore,
    newArticles: articles.size - articlesBefore,
    firstDay: lastDay < 0 ? -1 : firstDay,
    lastDay,
  };
}

function isDigits(b: Uint8Array, s: number, e: number): boolean {
  if (e <= s) return false;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Whether a decimal (already checked by `isDecimal`) has only zero digits in its mantissa (`-0`, `-0.00`). */
function isZero(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (c === 101 || c === 69) break;
    if (c >= 49 && c <= 57) return false;
  }
  return true;
}

/** `[+-]?digits[.digits]([eE][+-]?digits)?` with at least one digit in the mantissa. */
function isDecimal(b: Uint8Array, s: number, e: number): boolean {
  let i = s;
  if (i < e && (b[i] === 43 || b[i] === 45)) i++;
  let digits = 0;
  while (i < e && b[i]! >= 48 && b[i]! <= 57) {
    i++;
    digits++;
  }
  if (i < e && b[i] === 46) {
    i++;
    while (i < e && b[i]! >= 48 && b[i]! <= 57) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return false;
  if (i < e && (b[i] === 101 || b[i] === 69)) {
    i++;
    if (i < e && (b[i] === 43 || b[i] === 45)) i++;
    let exp = 0;
    while (i < e && b[i]! >= 48 && b[i]! <= 57) {
      i++;
      exp++;
    }
    if (exp === 0) return false;
  }
  return i === e;
}
