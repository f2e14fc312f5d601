import { RetryPolicy } from './retry-policy';

const storageAway = Object.assign(new Error('S3 get failed: connect ECONNREFUSED'), {
  retryable: true,
  source: 'storage',
});
const missing = Object.assign(new Error('object not found: articles.csv'), {
  retryable: false,
  source: 'storage',
});

describe('RetryPolicy', () => {
  const policy = new RetryPolicy({ budgetMs: 10 * 60_000 });

  it('backs off exponentially from 1 s, capped at 15 s, with ±20 % jitter', () => {
    expect([1, 2, 3, 4, 5, 6, 30].map((a) => policy.delayFor(a))).toEqual([
      1000, 2000, 4000, 8000, 15_000, 15_000, 15_000,
    ]);
    expect(policy.spentMs(5)).toBe(30_000);
    expect(policy.backoff(3, () => 0)).toBe(3200);
    expect(policy.backoff(3, () => 1)).toBe(4800);
  });

  it('fails a permanent error at once, keeping its message', () => {
    expect(policy.decide(missing, 1)).toEqual({
      retry: false,
      kind: 'permanent',
      message: 'object not found: articles.csv',
    });
  });

  it('retries a transient failure for as long as the backoff time spent stays within the budget', () => {
    expect(policy.decide(storageAway, 1)).toEqual({
      retry: true,
      kind: 'transient',
      waitingFor: 'storage',
      delayMs: 1000,
    });
    // 10 min of backoff: 1+2+4+8 s, then 15 s each: 43 attempts are retried, the 44th is not.
    expect(policy.spentMs(43)).toBeLessThanOrEqual(600_000);
    expect(policy.decide(storageAway, 43).retry).toBe(true);
    const last = policy.decide(storageAway, 44);
    expect(last).toMatchObject({ retry: false, kind: 'budget' });
    expect((last as { message: string }).message).toMatch(
      /^gave up after 44 attempts and 10 min of waiting for storage: S3 get failed/,
    );
  });

  it('rides out a 2-minute outage by default (the budget covers more than 120 s of backoff)', () => {
    let attempt = 1;
    while (policy.spentMs(attempt) < 120_000) {
      expect(policy.decide(storageAway, attempt).retry).toBe(true);
      attempt++;
    }
    expect(policy.decide(storageAway, attempt).retry).toBe(true);
  });

  it('gives unknown failures a few attempts', () => {
    const odd = new Error('odd');
    expect([1, 2, 3, 4].map((a) => policy.decide(odd, a).retry)).toEqual([true, true, true, true]);
    expect(policy.decide(odd, 5)).toEqual({ retry: false, kind: 'attempts', message: 'failed 5 times: odd' });
  });

  it('with a budget of 0 retries nothing transient', () => {
    expect(new RetryPolicy({ budgetMs: 0 }).decide(storageAway, 1)).toMatchObject({
      retry: false,
      kind: 'budget',
    });
  });
});
