import { ArticleIdTable, parseArticleCode } from './article-id-table';
import type { CsvReadOptions, CsvReadSummary, CsvSource } from './csv-reader';
import { readCsvTable } from './csv-table';

/** The `articles.csv` columns kept by default (those present in the file; the rest are dropped). */
export const DEFAULT_ARTICLE_COLUMNS = [
  'prod_name',
  'product_type_name',
  'product_group_name',
  'graphical_appearance_name',
  'colour_group_name',
  'perceived_colour_value_name',
  'index_group_name',
  'garment_group_name',
] as const;

export interface ReadArticlesOptions extends Partial<CsvReadOptions> {
  /** Columns to keep as attributes. Default `DEFAULT_ARTICLE_COLUMNS`. */
  keepColumns?: readonly string[];
}

export interface ArticlesReadResult {
  /** Article ids in file order: index i is the i-th accepted row. */
  articles: ArticleIdTable;
  /** Kept column → value per article index (repeated values share one string). */
  attributes: Record<string, string[]>;
  summary: CsvReadSummary;
}

/**
 * Streams `articles.csv` (RFC 4180: `detail_desc` and names may be quoted and contain commas) and interns
 * `article_id` in file order, keeping a few attribute columns. A row is malformed when its field count
 * differs from the header's, its article id is not 1–10 digits, or the id was already listed.
 */
export async function readArticles(
  source: CsvSource,
  options: ReadArticlesOptions = {},
): Promise<ArticlesReadResult> {
  const articles = new ArticleIdTable(1 << 14);
  const wanted = options.keepColumns ?? DEFAULT_ARTICLE_COLUMNS;
  const attributes: Record<string, string[]> = {};
  const summary = await readCsvTable(source, options, {
    file: 'articles.csv',
    required: ['article_id'],
    optional: wanted,
    rows: (columns) => {
      const column = columns.article_id;
      const kept: { at: number; values: string[]; dedupe: Map<string, string> }[] = [];
      for (const name of wanted) {
        const at = columns[name];
        if (at === undefined) continue;
        const values: string[] = [];
        attributes[name] = values;
        kept.push({ at, values, dedupe: new Map() });
      }
      return (rec) => {
        const code = parseArticleCode(rec.bytes, rec.starts[column]!, rec.ends[column]!);
        if (code < 0) return `article_id is not 1-10 digits: ${JSON.stringify(rec.text(column))}`;
        const before = articles.size;
        const index = articles.intern(code);
        if (articles.size === before) return `duplicate article_id ${rec.text(column)}`;
        for (const k of kept) {
          const v = rec.text(k.at);
          let shared = k.dedupe.get(v);
          if (shared === undefined) {
            shared = v;
            k.dedupe.set(v, v);
          }
          k.values[index] = shared;
        }
        return undefined;
      };
    },
  });
  return { articles, attributes, summary };
}
