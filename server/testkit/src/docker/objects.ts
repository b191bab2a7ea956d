import type { DockerEngine } from './engine.js';

/** What a test made in the engine: containers and networks by name prefix, images by tag. */
export interface DockerObjects {
  prefix: string;
  images: string[];
}

async function list(engine: DockerEngine, args: string[]): Promise<string[]> {
  return (await engine.docker(args)).split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Containers, networks and images of `o` that exist. */
export async function dockerLeftovers(engine: DockerEngine, o: DockerObjects): Promise<string[]> {
  const containers = (await list(engine, ['ps', '-a', '--format', '{{.Names}}'])).filter((n) => n.startsWith(o.prefix));
  const networks = (await list(engine, ['network', 'ls', '--format', '{{.Name}}'])).filter((n) => n.startsWith(o.prefix));
  const images = (await list(engine, ['images', '--format', '{{.Repository}}:{{.Tag}}'])).filter((t) => o.images.includes(t));
  return [...containers.map((c) => `container ${c}`), ...networks.map((n) => `network ${n}`), ...images.map((i) => `image ${i}`)];
}

/** Removes them: containers first (they hold networks and images). Never throws. */
export async function removeDockerObjects(engine: DockerEngine, o: DockerObjects): Promise<void> {
  const quiet = (args: string[]) => engine.docker(args).catch(() => '');
  const names = (await list(engine, ['ps', '-a', '--format', '{{.Names}}']).catch(() => [])).filter((n) => n.startsWith(o.prefix));
  if (names.length) await quiet(['rm', '-f', '-v', ...names]);
  const nets = (await list(engine, ['network', 'ls', '--format', '{{.Name}}']).catch(() => [])).filter((n) => n.startsWith(o.prefix));
  if (nets.length) await quiet(['network', 'rm', ...nets]);
  for (const image of o.images) await quiet(['rmi', '-f', image]);
}
