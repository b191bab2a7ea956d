export * from './ids.js';
export * from './model.js';
export * from './diff.js';
export * from './state.js';
export type * from './events.js';
