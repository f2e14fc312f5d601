export * from './gallery-data';
export * from './render-gallery';
