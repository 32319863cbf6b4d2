// Exports of assembly/layers: dropout and batch normalization.
export * from './dropout';
export * from './batchnorm';
