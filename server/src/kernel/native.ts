import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The native part (server/native/vethmap_netlink.c): sockets bound inside a namespace. */
export interface NetlinkAddon {
  /**
   * A netlink socket created inside the namespace at `nsPath` (null: our own): NETLINK_ROUTE,
   * or `protocol` (NETLINK_NETFILTER = 12 for nf_tables).
   */
  openSocket(nsPath: string | null, groups: number, rcvbuf: number, protocol?: number): number;
  /**
   * Opens and reads (at most `maxBytes` of) a file from inside the namespace at `nsPath`:
   * /proc/sys/net and /proc/thread-self/net resolve against the opening thread's namespace.
   * Throws with `code` ENOENT when the file does not exist there.
   */
  readFileIn(nsPath: string | null, path: string, maxBytes: number): Buffer;
  /** Sends one request and returns every reply datagram up to NLMSG_DONE / NLMSG_ERROR. */
  request(fd: number, message: Buffer, timeoutMs: number): Buffer;
  /**
   * Many namespaces in one call, split between up to four threads: per namespace, every
   * reply to `requests` (sent in order on a socket made inside it, nlmsg_seq 1..n) and, with
   * `rootPath`, the RTM_GETNSID answers "the id it gives the root" (seq n+1) and "the id the
   * root gives it" (seq n+2). `reads[i]`: the length of namespace i's replies in `data` (they
   * follow each other in order), or an Error (code, errno; its message names the step), or
   * null when the path no longer leads to the inode given (0: not checked).
   */
  dumpNamespaces(paths: ReadonlyArray<string | null>, inodes: readonly number[], requests: readonly Buffer[], rootPath: string | null, timeoutMs: number): { data: Buffer; reads: Array<number | Error | null> };
  /** Calls back on the event loop whenever datagrams arrive; `overflowed` = events lost. */
  watch(fd: number, onData: (overflowed: boolean, data: Buffer) => void): object;
  /** Calls back whenever this process's mount table changes (POLLPRI on /proc/self/mountinfo). */
  watchMounts(onChange: () => void): object;
  /** Stops watching and closes the socket (releasing the namespace it pins) or file. */
  unwatch(handle: object): void;
  close(fd: number): void;
}

export class AddonMissingError extends Error {
  constructor(where: string) {
    super(
      `vethmap's netlink addon is not built (looked for ${where}). ` +
        'Run `npm install` (it compiles server/native with node-gyp: needs python3, make and g++).',
    );
    this.name = 'AddonMissingError';
  }
}

let loaded: NetlinkAddon | undefined;

export function addon(): NetlinkAddon {
  if (loaded) return loaded;
  const here = path.dirname(fileURLToPath(import.meta.url));
  // dist/kernel/native.js and src/kernel/native.ts both sit two levels below server/.
  const file = process.env.VETHMAP_ADDON ?? path.resolve(here, '../../build/Release/vethmap_netlink.node');
  if (!existsSync(file)) throw new AddonMissingError(file);
  const required: unknown = createRequire(import.meta.url)(file);
  loaded = required as NetlinkAddon; // the addon's exports are fixed by the C file above
  return loaded;
}
