/**
 * Which rows of each shard go into a PCA sample of at most `sampleSize` rows: every shard gives
 * its share (proportional to its size), as evenly spaced rows, so the sample is deterministic and
 * spans the whole corpus. Returns, per shard, ascending row numbers.
 */
export function sampleRows(shardRows: readonly number[], sampleSize: number): number[][] {
  const total = shardRows.reduce((a, b) => a + b, 0);
  if (total <= sampleSize) return shardRows.map((n) => Array.from({ length: n }, (_, i) => i));
  // Largest-remainder apportionment so that the shares add up to exactly sampleSize.
  const exact = shardRows.map((n) => (n * sampleSize) / total);
  const shares = exact.map(Math.floor);
  let left = sampleSize - shares.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left === 0) break;
    if (shares[i]! < shardRows[i]!) {
      shares[i]! += 1;
      left -= 1;
    }
  }
  return shardRows.map((n, s) => {
    const m = shares[s]!;
    return Array.from({ length: m }, (_, j) => Math.floor(((j + 0.5) * n) / m));
  });
}
