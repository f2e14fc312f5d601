export * from './free-port';
export * from './child-server';
export * from './redis-server';
export * from './s3-server';
export * from './test-environment';
