import { randomBytes } from 'node:crypto';

import type { RebuildStep } from './jobs';

const REBUILD_ID = /^rb-\d{8}-\d{6}-[0-9a-f]{6}$/;
const ID_PART = /^[A-Za-z0-9_-]+$/;

/** A new rebuild id, sortable by creation time: `rb-20261125-223629-3fa2c1`. */
export function newRebuildId(now: Date = new Date()): string {
  const iso = now.toISOString(); // 2026-11-25T22:36:29.123Z
  const date = iso.slice(0, 10).replaceAll('-', '');
  const time = iso.slice(11, 19).replaceAll(':', '');
  return `rb-${date}-${time}-${randomBytes(3).toString('hex')}`;
}

export function isRebuildId(value: string): boolean {
  return REBUILD_ID.test(value);
}

/** Zero-padded shard number, so that lexical order is numeric order in keys and job ids. */
export function shardName(shard: number): string {
  if (!Number.isInteger(shard) || shard < 0 || shard > 99_999) throw new RangeError(`shard out of range: ${shard}`);
  return String(shard).padStart(5, '0');
}

/**
 * The deterministic BullMQ job id of one unit of work: `<rebuildId>.<stage>[.<shard>]`.
 * Adding a job whose id exists is a no-op in BullMQ, so submitting the same shard twice does nothing.
 * Never contains `:` (BullMQ rejects custom ids with `:`, or treats 3-part ones as legacy repeatable ids).
 */
export function jobId(rebuildId: string, stage: RebuildStep, shard?: number): string {
  if (!ID_PART.test(rebuildId)) throw new Error(`invalid rebuild id for a job id: ${JSON.stringify(rebuildId)}`);
  return shard === undefined ? `${rebuildId}.${stage}` : `${rebuildId}.${stage}.${shardName(shard)}`;
}
