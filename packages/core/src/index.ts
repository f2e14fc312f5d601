export * from './config';
export * from './ids';
export * from './logger';
export * from './rebuild-spec';
export * from './queues';
export * from './jobs';
