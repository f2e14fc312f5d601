import { recommendSummary } from '../test/fixtures';
import { renderEvaluationTable } from './evaluation-table';

describe('renderEvaluationTable', () => {
  const lines = renderEvaluationTable({
    spec: { holdoutDays: 7 } as never,
    recommend: recommendSummary(),
  });

  it('prints every method overall, on new articles and for new customers, aligned', () => {
    expect(lines[0]).toBe('holdout  last 7 days: 6 customers bought; 1 new arrivals sold');
    const [header, hybrid, same] = lines.slice(1, 4);
    expect(hybrid).toMatch(
      /^hybrid\s+0\.10360\s+0\.2346\s+\|\s+0\.00094\s+0\.0112\s+\|\s+0\.06820\s+0\.2000$/,
    );
    expect(same).toMatch(/^same-product\s+0\.02420\s+0\.0728\s+\|\s+–\s+–\s+\|\s+–\s+–$/);
    // Columns line up under the header.
    expect(hybrid!.indexOf('0.10360')).toBe(header!.indexOf('MAP@12'));
    expect(hybrid!.indexOf('0.2346')).toBe(header!.indexOf('recall@12'));
    expect(hybrid!.indexOf('|')).toBe(header!.indexOf('|'));
  });

  it('names the submission method and the real-data order', () => {
    expect(lines).toContain('submission.csv, the API and the gallery: hybrid');
    expect(lines.join('\n')).toMatch(
      /repurchase 0\.0218 > popularity 0\.0074 > image embeddings alone 0\.0024/,
    );
  });
});
