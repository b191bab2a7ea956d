/**
 * Where container engines listen. Apart from the engine client (docker.ts) because that
 * one loads zod for the engine's answers: with no socket there, nothing needs it.
 */

/** Where engines listen unless told otherwise. */
export const DEFAULT_ENGINE_SOCKETS = ['/var/run/docker.sock', '/run/podman/podman.sock'];

/** The engine socket paths to try: the explicit one, else $DOCKER_HOST (unix:// only), then the defaults. */
export function engineSockets(explicit: string | false | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (explicit === false) return [];
  if (explicit !== undefined) return [explicit];
  const list: string[] = [];
  const host = env.DOCKER_HOST;
  if (host?.startsWith('unix://')) list.push(host.slice('unix://'.length));
  for (const s of DEFAULT_ENGINE_SOCKETS) if (!list.includes(s)) list.push(s);
  return list;
}
