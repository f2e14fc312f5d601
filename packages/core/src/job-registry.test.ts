import { checkHandlers, JOBS, jobsOfQueue, queueOf } from './job-registry';
import { embedResultSchema, fitJobSchema } from './jobs';
import { ALL_QUEUES, QUEUES } from './queues';

describe('job registry', () => {
  it('gives every queue its jobs, and every job one queue', () => {
    expect(jobsOfQueue(QUEUES.reduce)).toEqual(['fit', 'project']);
    expect(jobsOfQueue(QUEUES.index)).toEqual(['build-index', 'neighbours', 'merge', 'quality', 'gallery']);
    expect(jobsOfQueue(QUEUES.recommend)).toEqual(['prepare', 'recommend', 'evaluate']);
    expect(queueOf('prepare')).toBe(QUEUES.recommend);
    const all = ALL_QUEUES.flatMap((queue) => jobsOfQueue(queue));
    expect(all.sort()).toEqual(Object.keys(JOBS).sort());
  });

  it('holds the schemas of jobs.ts', () => {
    expect(JOBS.fit.payload).toBe(fitJobSchema);
    expect(JOBS.embed.result).toBe(embedResultSchema);
    expect(JOBS.rebuild.result.safeParse({ status: 'cancelled' }).success).toBe(true);
    expect(JOBS.rebuild.result.safeParse({ status: 'lost' }).success).toBe(false);
  });

  it('accepts a worker that handles exactly the jobs of its queue', () => {
    expect(checkHandlers(QUEUES.reduce, ['project', 'fit'])).toBeUndefined();
    expect(checkHandlers(QUEUES.rebuild, ['rebuild'])).toBeUndefined();
  });

  it('names a missing handler, an unknown job and a job of another queue', () => {
    expect(checkHandlers(QUEUES.index, ['build-index', 'neighbours', 'merge', 'gallery'])).toBe(
      'worker on queue "index": no handler for "quality"',
    );
    expect(checkHandlers(QUEUES.reduce, ['fit', 'project', 'projct'])).toBe(
      'worker on queue "reduce": handler for unknown job "projct"',
    );
    expect(checkHandlers(QUEUES.recommend, ['prepare', 'recommend', 'evaluate', 'embed'])).toBe(
      'worker on queue "recommend": handler for "embed", a job of queue "embed"',
    );
    expect(checkHandlers(QUEUES.embed, [])).toBe('worker on queue "embed": no handler for "embed"');
  });
});
