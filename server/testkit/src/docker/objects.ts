import type { DockerEngine } from './engine.js';

/** What a test made in the engine: containers and networks by name, images by tag. */
export interface DockerObjects {
  /** Containers and networks whose name starts with this string, or matches this pattern. */
  prefix: string | RegExp;
  /** Images by `repository:tag`, or those matching this pattern. */
  images: string[] | RegExp;
}

async function list(engine: DockerEngine, args: string[]): Promise<string[]> {
  return (await engine.docker(args)).split('\n').map((l) => l.trim()).filter(Boolean);
}

async function find(engine: DockerEngine, o: DockerObjects): Promise<{ containers: string[]; networks: string[]; images: string[] }> {
  const named = (n: string) => (typeof o.prefix === 'string' ? n.startsWith(o.prefix) : o.prefix.test(n));
  const imaged = (t: string) => (Array.isArray(o.images) ? o.images.includes(t) : o.images.test(t));
  return {
    containers: (await list(engine, ['ps', '-a', '--format', '{{.Names}}'])).filter(named),
    networks: (await list(engine, ['network', 'ls', '--format', '{{.Name}}'])).filter(named),
    images: (await list(engine, ['images', '--format', '{{.Repository}}:{{.Tag}}'])).filter(imaged),
  };
}

/** Containers, networks and images of `o` that exist. */
export async function dockerLeftovers(engine: DockerEngine, o: DockerObjects): Promise<string[]> {
  const f = await find(engine, o);
  return [...f.containers.map((c) => `container ${c}`), ...f.networks.map((n) => `network ${n}`), ...f.images.map((i) => `image ${i}`)];
}

/** Removes them: containers first (they hold networks and images). Never throws. */
export async function removeDockerObjects(engine: DockerEngine, o: DockerObjects): Promise<void> {
  const quiet = (args: string[]) => engine.docker(args).catch(() => '');
  const f = await find(engine, o).catch(() => ({ containers: [], networks: [], images: [] }));
  if (f.containers.length) await quiet(['rm', '-f', '-v', ...f.containers]);
  if (f.networks.length) await quiet(['network', 'rm', ...f.networks]);
  for (const image of f.images) await quiet(['rmi', '-f', image]);
}
