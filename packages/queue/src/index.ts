export * from './connection';
export * from './defaults';
export * from './queue-factory';
export * from './worker-factory';
export * from './shutdown';
export * from './cancellation';
export * from './retry-policy';
export * from './waiting-registry';
export * from './rebuild-claims';
// Re-exported so that handlers can mark permanent failures without depending on bullmq directly.
export { UnrecoverableError, type Job } from 'bullmq';
