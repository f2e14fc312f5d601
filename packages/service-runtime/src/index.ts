export * from './service-context';
export * from './worker-service';
