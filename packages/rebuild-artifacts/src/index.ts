export * from './index-ids';
export * from './neighbour-table-reader';
