export * from './article-labels';
export * from './neighbour-quality';
