export * from './ids.js';
export * from './model.js';
export * from './diff.js';
export * from './state.js';
export * from './consistency.js';
export * from './why.js';
export * from './stats.js';
export type * from './events.js';
