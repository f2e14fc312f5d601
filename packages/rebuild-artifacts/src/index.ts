export * from './corpus-plan';
export * from './customer-sample';
export * from './index-ids';
export * from './merge-neighbours';
export * from './neighbour-table-reader';
export * from './plan-input-error';
export * from './recommend-outputs';
export * from './recommendation-rows';
