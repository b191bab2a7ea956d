export * from './model.js';
export * from './diff.js';
export * from './state.js';
export type * from './events.js';
export * from './diagram/index.js';
