export * from './gallery-data';
export * from './render-gallery';
export * from './write-gallery';
