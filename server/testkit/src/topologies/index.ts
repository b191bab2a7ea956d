/**
 * Pure topologies for tests, benchmarks and screenshots: no kernel, no node modules, so
 * the client's and the shared package's unit tests import them too
 * (`@vethmap/testkit/topologies`).
 */
export { TopologyBuilder, type IfaceSpec } from './builder.js';
export { demoLab, seed000, seed001, seed002, seed003, seed004, SEED_TOPOLOGIES } from './seeds.js';
export { prng, randomTopology } from './random.js';
export { HOSTILE_NAMES, hostileTopology } from './hostile.js';
export { dockerHost } from './docker.js';
