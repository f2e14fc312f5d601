import { ArticleIdTable, articleCodeOf } from './article-id-table';
import type { CsvReadSummary, CsvSource } from './csv-reader';
import { parseIsoDay } from './days';
import { IdTable } from './id-table';
import { openCsvFile } from './open-source';
import { readArticles } from './read-articles';
import { readCustomers } from './read-customers';
import { readTransactions } from './read-transactions';
import { TransactionLogBuilder, validateTransactionLog, type TransactionLog } from './transactions';

/**
 * The raw material of the recommenders: interned ids and the transaction log. Customer indices
 * `[0, listedCustomers)` are the rows of `customers.csv` in file order (the submission's rows); customers
 * met only in transactions follow. Likewise articles `[0, listedArticles)` are `articles.csv`'s rows.
 */
export interface Dataset {
  readonly customers: IdTable;
  readonly articles: ArticleIdTable;
  readonly transactions: TransactionLog;
  readonly listedCustomers: number;
  readonly listedArticles: number;
  /** Attribute columns of `articles.csv` by article index (absent when no articles file was read). */
  readonly attributes?: Record<string, string[]>;
}

/** A path (opened with `openCsvFile`, `.gz` allowed) or an already open source. */
export type CsvInput = string | CsvSource;

export interface LoadDatasetOptions {
  transactions: CsvInput;
  customers?: CsvInput;
  articles?: CsvInput;
  /** Count and skip malformed rows instead of throwing (see the readers). Default false. */
  lenient?: boolean;
  /** Names of the files in error messages when they are given as open sources (e.g. their URLs). */
  names?: { transactions?: string; customers?: string; articles?: string };
  /** With articles.csv: a transaction naming an article not in it is a malformed row (else it is appended). */
  knownArticlesOnly?: boolean;
  /** Capacity hint for the transaction arrays (31.8M for the full H&M file). */
  expectedTransactions?: number;
  /** Called after each chunk read, with the file's name, rows accepted and bytes read so far. */
  onProgress?: (file: string, rows: number, bytes: number) => void;
}

export interface DatasetLoadReport {
  files: CsvReadSummary[];
  /** Customers / articles first met in the transactions (not listed in customers.csv / articles.csv). */
  unlistedCustomers: number;
  unlistedArticles: number;
  firstDay: number;
  lastDay: number;
}

/** Reads articles, then customers, then transactions (each streamed), into a `Dataset`. */
export async function loadDataset(
  options: LoadDatasetOptions,
): Promise<{ dataset: Dataset; report: DatasetLoadReport }> {
  const open = (input: CsvInput): CsvSource => (typeof input === 'string' ? openCsvFile(input) : input);
  const nameOf = (input: CsvInput, given: string | undefined, fallback: string): string =>
    typeof input === 'string' ? input : (given ?? fallback);
  const lenient = options.lenient ?? false;
  const progress = (file: string): { onProgress?: (rows: number, bytes: number) => void } => {
    const cb = options.onProgress;
    return cb ? { onProgress: (rows, bytes) => cb(file, rows, bytes) } : {};
  };
  const files: CsvReadSummary[] = [];
  let articles: ArticleIdTable | undefined;
  let attributes: Record<string, string[]> | undefined;
  if (options.articles !== undefined) {
    const r = await readArticles(open(options.articles), {
      file: nameOf(options.articles, options.names?.articles, 'articles.csv'),
      lenient,
      ...progress('articles.csv'),
    });
    articles = r.articles;
    attributes = r.attributes;
    files.push(r.summary);
  }
  let customers: IdTable | undefined;
  if (options.customers !== undefined) {
    const r = await readCustomers(open(options.customers), {
      file: nameOf(options.customers, options.names?.customers, 'customers.csv'),
      lenient,
      ...progress('customers.csv'),
    });
    customers = r.customers;
    files.push(r.summary);
  }
  const listedArticles = articles?.size ?? 0;
  const listedCustomers = customers?.size ?? 0;
  const t = await readTransactions(open(options.transactions), {
    file: nameOf(options.transactions, options.names?.transactions, 'transactions_train.csv'),
    lenient,
    ...progress('transactions_train.csv'),
    ...(customers ? { customers } : {}),
    ...(articles ? { articles, knownArticlesOnly: options.knownArticlesOnly === true } : {}),
    ...(options.expectedTransactions ? { expectedRows: options.expectedTransactions } : {}),
  });
  files.push(t.summary);
  const dataset: Dataset = {
    customers: t.customers,
    articles: t.articles,
    transactions: t.transactions,
    listedCustomers,
    listedArticles,
    ...(attributes ? { attributes } : {}),
  };
  return {
    dataset,
    report: {
      files,
      unlistedCustomers: t.newCustomers,
      unlistedArticles: t.newArticles,
      firstDay: t.firstDay,
      lastDay: t.lastDay,
    },
  };
}

/** One purchase, for building small datasets in code (tests, examples). */
export interface PurchaseRow {
  /** `YYYY-MM-DD`. */
  date: string;
  customer: string;
  article: string;
}

/**
 * Builds a dataset from rows in memory. `customers` / `articles` play the role of customers.csv /
 * articles.csv (listed first, in that order); ids met only in `rows` are appended.
 */
export function datasetFromRows(
  rows: readonly PurchaseRow[],
  listed: { customers?: readonly string[]; articles?: readonly string[] } = {},
): Dataset {
  const customers = new IdTable(16, 16);
  const articles = new ArticleIdTable(16);
  for (const c of listed.customers ?? []) customers.intern(c);
  for (const a of listed.articles ?? []) articles.intern(articleCodeOf(a));
  const listedCustomers = customers.size;
  const listedArticles = articles.size;
  const log = new TransactionLogBuilder(rows.length);
  for (const r of rows)
    log.push(customers.intern(r.customer), articles.intern(articleCodeOf(r.article)), parseIsoDay(r.date));
  return { customers, articles, transactions: log.finish(), listedCustomers, listedArticles };
}

/** Wraps typed arrays (e.g. synthesised) as a dataset after checking them. */
export function datasetFromArrays(
  customers: IdTable,
  articles: ArticleIdTable,
  transactions: TransactionLog,
): Dataset {
  validateTransactionLog(transactions, customers.size, articles.size);
  return {
    customers,
    articles,
    transactions,
    listedCustomers: customers.size,
    listedArticles: articles.size,
  };
}
