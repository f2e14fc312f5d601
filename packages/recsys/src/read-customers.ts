import {
  readCsv,
  locateColumns,
  csvOptionsOf,
  type CsvReadOptions,
  type CsvReadSummary,
  type CsvRecord,
  type CsvSource,
  type RecordVerdict,
} from './csv-reader';
import { IdTable } from './id-table';

export interface ReadCustomersOptions extends Partial<CsvReadOptions> {
  /** Capacity hint (customers). */
  expectedRows?: number;
}

export interface CustomersReadResult {
  /** Customer ids in file order: index i is the i-th accepted row. */
  customers: IdTable;
  summary: CsvReadSummary;
}

/**
 * Streams `customers.csv` and interns its `customer_id` column in file order (the order of the submission).
 * Other columns are not kept and may be empty. A row is malformed when its field count differs from the
 * header's, its customer id is empty, or the id was already listed.
 */
export async function readCustomers(
  source: CsvSource,
  options: ReadCustomersOptions = {},
): Promise<CustomersReadResult> {
  const customers = new IdTable(options.expectedRows ?? 1 << 16, 64);
  let fields = 0;
  let column = 0;
  const header = (rec: CsvRecord): RecordVerdict => {
    const found = locateColumns(rec, ['customer_id'] as const);
    if (typeof found === 'string') return found;
    fields = found.fields;
    column = found.columns.customer_id;
    return undefined;
  };
  const row = (rec: CsvRecord): RecordVerdict => {
    if (rec.fields !== fields) return `expected ${fields} fields, found ${rec.fields}`;
    const s = rec.starts[column]!;
    const e = rec.ends[column]!;
    if (e === s || rec.escaped[column] === 1)
      return `invalid customer_id ${JSON.stringify(rec.text(column))}`;
    const before = customers.size;
    customers.internBytes(rec.bytes, s, e);
    if (customers.size === before) return `duplicate customer_id ${rec.text(column)}`;
    return undefined;
  };
  const summary = await readCsv(
    source,
    { file: options.file ?? 'customers.csv', ...csvOptionsOf(options) },
    { header, row },
  );
  return { customers, summary };
}
