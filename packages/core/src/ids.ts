import { randomBytes } from 'node:crypto';
import { z } from 'zod';

import type { RebuildStep } from './jobs';

/**
 * The one rule for a rebuild id, wherever one comes in (API body and routes, CLI flags, job data,
 * storage keys, job ids): 1-100 of A-Z a-z 0-9 _ -. Safe as one key segment and in a BullMQ job id
 * (no `:`), and free of `.` so that `<rebuildId>.<stage>.<shard>` splits back.
 */
export const REBUILD_ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;
export const REBUILD_ID_RULE = '1-100 of A-Z a-z 0-9 _ -';
export const rebuildIdSchema = z
  .string()
  .regex(REBUILD_ID_PATTERN, `expected a rebuild id (${REBUILD_ID_RULE})`);

/** The id, or a RangeError naming the rule (the key and job-id layers' guard). */
export function checkRebuildId(rebuildId: string): string {
  if (typeof rebuildId !== 'string' || !REBUILD_ID_PATTERN.test(rebuildId)) {
    throw new RangeError(`invalid rebuild id ${JSON.stringify(rebuildId)}: expected ${REBUILD_ID_RULE}`);
  }
  return rebuildId;
}

/** A new rebuild id, sortable by creation time: `rb-20261125-223629-3fa2c1`. */
export function newRebuildId(now: Date = new Date()): string {
  const iso = now.toISOString(); // 2026-11-25T22:36:29.123Z
  const date = iso.slice(0, 10).replaceAll('-', '');
  const time = iso.slice(11, 19).replaceAll(':', '');
  return `rb-${date}-${time}-${randomBytes(3).toString('hex')}`;
}

/** Zero-padded shard number, so that lexical order is numeric order in keys and job ids. */
export function shardName(shard: number): string {
  if (!Number.isInteger(shard) || shard < 0 || shard > 99_999)
    throw new RangeError(`shard out of range: ${shard}`);
  return String(shard).padStart(5, '0');
}

/**
 * The deterministic BullMQ job id of one unit of work: `<rebuildId>.<stage>[.<shard>]`.
 * Adding a job whose id exists is a no-op in BullMQ, so submitting the same shard twice does nothing.
 * Never contains `:` (BullMQ rejects custom ids with `:`, or treats 3-part ones as legacy repeatable ids).
 */
export function jobId(rebuildId: string, stage: RebuildStep, shard?: number): string {
  checkRebuildId(rebuildId);
  return shard === undefined ? `${rebuildId}.${stage}` : `${rebuildId}.${stage}.${shardName(shard)}`;
}
