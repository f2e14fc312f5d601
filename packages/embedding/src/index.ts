export * from './embed-shard';
export * from './embedding-pack-cache';
