export * from './index-ids';
export * from './neighbour-table-reader';
export * from './recommendation-rows';
