export * from './model.js';
export * from './diff.js';
export * from './state.js';
export * from './consistency.js';
export type * from './events.js';
