/**
 * The producer's HTTP answers, as core declares them once (`@lookalike/core`'s api-responses): the
 * client parses every answer with its schema, so a drift between the API and the CLI fails loudly.
 */
export type {
  CancelResponse,
  CustomerRecommendationsResponse,
  ErrorResponse,
  RebuildListEntry,
  RebuildProgress,
  RebuildStatusResponse,
  RebuildWaiting,
  RetryResponse,
  SimilarResponse,
  SubmitResponse,
} from '@lookalike/core';
