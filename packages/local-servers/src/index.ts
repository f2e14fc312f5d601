export * from './free-port';
export * from './line-splitter';
export * from './spawn-process';
export * from './wait-for';
export * from './child-server';
export * from './redis-server';
export * from './s3-server';
export * from './test-environment';
