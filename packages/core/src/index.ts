export * from './config';
export * from './ids';
export * from './logger';
