import {
  csvOptionsOf,
  locateColumns,
  readCsv,
  type CsvReadOptions,
  type CsvReadSummary,
  type CsvRecord,
  type CsvSource,
  type RecordVerdict,
} from './csv-reader';

export interface CsvTable<K extends string> {
  /** The file's name in messages when the caller's options give none (e.g. `'articles.csv'`). */
  file: string;
  /** Columns the header must name (a header without one is fatal). */
  required: readonly K[];
  /** Columns used when the header names them. */
  optional?: readonly string[];
  /**
   * Called once with the header's column indices (required ones always present, optional ones when found);
   * returns the row handler. A row whose field count differs from the header's is malformed before it gets there.
   */
  rows(columns: Record<K, number> & Record<string, number>): (record: CsvRecord) => RecordVerdict;
}

/**
 * Streams one CSV file of named columns with the set-up every H&M reader shares: columns found by name in the
 * header, rows with another field count than the header's malformed, the caller's CSV options (`lenient`, …)
 * honoured and `table.file` as the default name.
 */
export async function readCsvTable<K extends string>(
  source: CsvSource,
  options: Partial<CsvReadOptions>,
  table: CsvTable<K>,
): Promise<CsvReadSummary> {
  let fields = 0;
  let handleRow: ((record: CsvRecord) => RecordVerdict) | undefined;
  const header = (record: CsvRecord): RecordVerdict => {
    const found = locateColumns(record, table.required, table.optional);
    if (typeof found === 'string') return found;
    fields = found.fields;
    handleRow = table.rows(found.columns);
    return undefined;
  };
  const row = (record: CsvRecord): RecordVerdict =>
    record.fields !== fields ? `expected ${fields} fields, found ${record.fields}` : handleRow!(record);
  return readCsv(source, { file: options.file ?? table.file, ...csvOptionsOf(options) }, { header, row });
}
