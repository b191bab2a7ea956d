export * from './model.js';
export * from './diff.js';
export * from './state.js';
export * from './timeline.js';
export * from './timeline-diff.js';
export * from './timeline-text.js';
export * from './capture.js';
export * from './consistency.js';
export type * from './events.js';
