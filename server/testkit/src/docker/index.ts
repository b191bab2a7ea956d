/** A real Docker engine for tests: started when none runs and undone, local images, compose. */
export { DockerEngine, DOCKER_CLI, type EngineReport } from './engine.js';
export { captureHostState, diffHostState, normaliseRules, type HostState } from './host-state.js';
export { buildProjectImage, importBusybox, nodeBases, type NodeBases } from './images.js';
export { ComposeProject, type ContainerState } from './compose.js';
export { dockerLeftovers, removeDockerObjects, type DockerObjects } from './objects.js';
export { CommandError, run } from './run.js';
