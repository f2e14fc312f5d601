import type { Manifest } from '@lookalike/core';

/** `POST /rebuilds` answer. */
export interface SubmitResponse {
  rebuildId: string;
  /** False when a rebuild with the given id already existed (the submit was a no-op). */
  created: boolean;
}

/** Live progress of the current step's child jobs. */
export interface RebuildProgress {
  step: string;
  done: number;
  failed: number;
  total: number;
}

/** `GET /rebuilds/:id` answer. */
export interface RebuildStatusResponse {
  manifest: Manifest;
  progress: RebuildProgress;
  job?: { state: string; attemptsMade: number; failedReason?: string };
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

/** `POST /rebuilds/:id/cancel` answer. */
export interface CancelResponse {
  rebuildId: string;
  cancelling: boolean;
}
