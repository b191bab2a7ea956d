import type { Labeller } from '../peer.js';

/**
 * Container names for docker/process namespaces, from the engine's socket (or the cgroup).
 * `--docker-socket none` turns the engine lookup off; a path picks the socket. The
 * labeller module is loaded only when there is a namespace to label.
 */
export function containerLabeller(dockerSocket: string | undefined): Labeller {
  const opt = dockerSocket === 'none' ? { dockerSocket: false as const } : dockerSocket ? { dockerSocket } : {};
  return async (namespaces) => {
    if (namespaces.length === 0) return new Map();
    const { labelContainers } = await import('../containers/index.js');
    return labelContainers(namespaces, opt);
  };
}
