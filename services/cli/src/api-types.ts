import type { Manifest } from '@lookalike/core';

/** `POST /rebuilds` answer (202 created, or 200 when the id existed with the same spec; 409 for another spec). */
export interface SubmitResponse {
  rebuildId: string;
  /** False when a rebuild with the given id already existed with this spec (the submit was a no-op). */
  created: boolean;
  /** The existing rebuild's state, when `created` is false. */
  status?: Manifest['status'];
}

/** Live progress of the current step's child jobs. */
export interface RebuildProgress {
  step: string;
  done: number;
  failed: number;
  total: number;
  /** During embed: images embedded so far (failures not counted) and images that could not be embedded. */
  embedded?: number;
  failedImages?: number;
}

/** What a running rebuild is waiting for: a storage, Redis or network outage being ridden out. */
export interface RebuildWaiting {
  for: 'storage' | 'redis' | 'network';
  /** Jobs waiting to retry (0 when the producer itself cannot reach it). */
  jobs: number;
  error: string;
  at: string;
}

/** `GET /rebuilds/:id` answer. */
export interface RebuildStatusResponse {
  manifest: Manifest;
  progress: RebuildProgress;
  job?: { state: string; attemptsMade: number; failedReason?: string };
  waiting?: RebuildWaiting;
}

/** `POST /rebuilds/:id/retry` answer. */
export interface RetryResponse {
  rebuildId: string;
  retrying: boolean;
  /** The step it runs again from. */
  step: string;
  /** Embed shards of the previous run that are kept. */
  keptShards: number;
}

/** One row of `GET /rebuilds`. */
export interface RebuildListEntry {
  rebuildId: string;
  status: Manifest['status'];
  step: string;
  createdAt: string;
  finishedAt?: string;
  counts: Manifest['counts'];
}

/** `GET /articles/:id/similar` answer. */
export interface SimilarResponse {
  articleId: string;
  rebuildId: string;
  similar: { articleId: string; score: number }[];
}

/** `POST /rebuilds/:id/cancel` answer: `cancelling` false (with its status) for a rebuild that is over. */
export interface CancelResponse {
  rebuildId: string;
  cancelling: boolean;
  status?: Manifest['status'];
}
