import http from 'node:http';
import { z } from 'zod';

/**
 * A read-only client for the Docker Engine API (and Podman's Docker-compatible one) over
 * a unix socket: plain HTTP/1.1 with node:http's `socketPath`. Only two GETs are used:
 * `/containers/json` and `/containers/{id}/json`. Unversioned paths: the engine answers
 * with its own API version, and both fields we read have been stable since API 1.2x.
 */

const MAX_BODY = 16 * 1024 * 1024;

/** One entry of `GET /containers/json` (running containers only). */
export const ContainerSummary = z.object({
  Id: z.string().regex(/^[0-9a-f]{12,64}$/),
  Names: z.array(z.string()).nullish(),
  Image: z.string().nullish(),
});
export type ContainerSummary = z.infer<typeof ContainerSummary>;

/** The fields of `GET /containers/{id}/json` that tie a container to a network namespace. */
export const ContainerInspect = z.object({
  Id: z.string(),
  /** `/name`: the leading slash is the engine's, not the user's. */
  Name: z.string().nullish(),
  State: z.object({ Pid: z.number().int().nullish(), Running: z.boolean().nullish() }).nullish(),
  Config: z.object({ Image: z.string().nullish() }).nullish(),
  HostConfig: z.object({ NetworkMode: z.string().nullish() }).nullish(),
  /** The netns bind mount, e.g. /var/run/docker/netns/1f2e3d4c5b6a; Podman: /run/netns/netns-UUID. */
  NetworkSettings: z.object({ SandboxKey: z.string().nullish() }).nullish(),
});
export type ContainerInspect = z.infer<typeof ContainerInspect>;

export { DEFAULT_ENGINE_SOCKETS, engineSockets } from './sockets.js';

/** GET `path` over the unix socket; rejects on refusal, timeout, a non-2xx status or a body that is not JSON. */
export function engineGet(socketPath: string, path: string, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // agent: false — a fresh connection per request. Node 20's global agent keeps sockets
    // alive, and a pooled one the engine has since closed fails the next request.
    const req = http.request({ socketPath, path, method: 'GET', agent: false, headers: { Host: 'docker', Accept: 'application/json' }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) req.destroy(new Error(`${path}: answer larger than ${MAX_BODY} bytes`));
        else chunks.push(c);
      });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) return reject(new Error(`${path}: HTTP ${status}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          reject(new Error(`${path}: answer is not JSON`));
        }
      });
      res.on('error', reject);
    });
    // `timeout` only reports idleness; ending the request is ours to do.
    req.on('timeout', () => req.destroy(new Error(`${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Every running container of the engine at `socketPath`, inspected. Throws when the list
 * cannot be had; a container whose inspect fails (it just stopped) is left out.
 */
export async function inspectRunningContainers(socketPath: string, timeoutMs: number): Promise<ContainerInspect[]> {
  const list = z.array(ContainerSummary).parse(await engineGet(socketPath, '/containers/json', timeoutMs));
  const inspected = await mapLimit(list, 8, async (c) => {
    try {
      return ContainerInspect.parse(await engineGet(socketPath, `/containers/${encodeURIComponent(c.Id)}/json`, timeoutMs));
    } catch {
      return null;
    }
  });
  return inspected.filter((c): c is ContainerInspect => c !== null);
}
