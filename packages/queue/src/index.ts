export * from './connection';
export * from './defaults';
export * from './queue-factory';
export * from './worker-factory';
export * from './shutdown';
