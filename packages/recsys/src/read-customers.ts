import type { CsvReadOptions, CsvReadSummary, CsvSource } from './csv-reader';
import { readCsvTable } from './csv-table';
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
  const summary = await readCsvTable(source, options, {
    file: 'customers.csv',
    required: ['customer_id'],
    rows:
      ({ customer_id: column }) =>
      (rec) => {
        const s = rec.starts[column]!;
        const e = rec.ends[column]!;
        if (e === s || rec.escaped[column] === 1)
          return `invalid customer_id ${JSON.stringify(rec.text(column))}`;
        const before = customers.size;
        customers.internBytes(rec.bytes, s, e);
        if (customers.size === before) return `duplicate customer_id ${rec.text(column)}`;
        return undefined;
      },
  });
  return { customers, summary };
}
