import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueName } from '@lookalike/core';
import { DEFAULT_JOB_OPTIONS } from './defaults';

export interface QueueContext {
  connection: Redis;
  /** Redis key prefix shared by every queue of one deployment. */
  prefix: string;
}

/** A BullMQ queue of the system with the project's default job options. */
export function createQueue<Data = unknown, Result = unknown>(
  name: QueueName,
  ctx: QueueContext,
): Queue<Data, Result> {
  return new Queue<Data, Result>(name, {
    connection: ctx.connection,
    prefix: ctx.prefix,
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  });
}
