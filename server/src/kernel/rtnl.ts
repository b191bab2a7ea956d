import { closeSync, openSync, statSync } from 'node:fs';
import { addon } from './native.js';
import { decodeEvents, type KernelEvent } from './events.js';
import {
  addrDumpRequest, addressIfindex, linkDumpRequest, linkGetByNameRequest, linkGetRequest, NetlinkError, NLMSG_ERROR, nsidRequest, parseAddress, parseLink, parseMessages, parseNsid,
  RTM_NEWADDR, RTM_NEWLINK, RTM_NEWNSID, RTMGRP_IPV4_IFADDR, RTMGRP_IPV6_IFADDR, RTMGRP_LINK, RTNLGRP_NSID,
  type RawAddress, type RawLink,
} from './rtnetlink.js';

const TIMEOUT_MS = 5000;

let ownInode: number | undefined;

/**
 * The path to setns() into, or null for the namespace we already run in: entering
 * that one needs no setns, which also lets a non-root user read it.
 */
export function enterPath(nsPath: string | null): string | null {
  if (nsPath === null) return null;
  ownInode ??= statSync('/proc/thread-self/ns/net').ino;
  try {
    return statSync(nsPath).ino === ownInode ? null : nsPath;
  } catch {
    return nsPath; // let openSocket report why it cannot be opened
  }
}

/**
 * `openSocket` in the namespace at `nsPath`, trying setns() first: allowed (root), entering
 * our own namespace gives the same socket as staying, so the stat `enterPath` needs is paid
 * only when setns is refused (a non-root user, who may still read the namespace it runs in).
 * `peer NAME` opens one per namespace: a stat each was a tenth of that loop at 1000.
 */
function openIn(nsPath: string | null, groups: number, receiveBuffer: number): number {
  const a = addon();
  if (nsPath === null) return a.openSocket(null, groups, receiveBuffer);
  try {
    return a.openSocket(nsPath, groups, receiveBuffer);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if ((code !== 'EPERM' && code !== 'EACCES') || enterPath(nsPath) !== null) throw err;
    return a.openSocket(null, groups, receiveBuffer);
  }
}

/**
 * A request socket inside one namespace (`ip -n NS ...` without a child process).
 * Opening it pins the namespace; close it as soon as the questions are asked.
 */
export class NamespaceSocket {
  private readonly fd: number;
  constructor(nsPath: string | null) {
    this.fd = openIn(nsPath, 0, 0);
  }

  /** `ip -d link show`: every link of the namespace. */
  linkList(): RawLink[] {
    return parseMessages(addon().request(this.fd, linkDumpRequest(), TIMEOUT_MS))
      .filter((m) => m.type === RTM_NEWLINK)
      .map((m) => parseLink(m.payload));
  }

  /** `ip -d link show dev IFINDEX`: one link, or null when there is none with that index. */
  linkGet(ifindex: number): RawLink | null {
    return this.oneLink(linkGetRequest(ifindex), [19]); // ENODEV: gone
  }

  /** `ip link show dev NAME`: one link by name, or null when there is none (ENODEV, or EINVAL for a name too long to exist). */
  linkGetByName(name: string): RawLink | null {
    return this.oneLink(linkGetByNameRequest(name), [19, 22]);
  }

  /**
   * The link a RTM_GETLINK answers, or null when the kernel answers one of `absent`. Read
   * without throwing: `peer NAME` asks every namespace, and nearly all answer ENODEV (an
   * exception each was a third of that loop's time at 1000 namespaces).
   */
  private oneLink(request: Buffer, absent: readonly number[]): RawLink | null {
    const messages = parseMessages(addon().request(this.fd, request, TIMEOUT_MS), false);
    const m = messages.find((r) => r.type === RTM_NEWLINK);
    if (m) return parseLink(m.payload);
    const error = messages.find((r) => r.type === NLMSG_ERROR);
    const errno = error && error.payload.length >= 4 ? -error.payload.readInt32LE(0) : 0;
    if (errno === 0 || absent.includes(errno)) return null;
    throw new NetlinkError(errno);
  }

  /** `ip addr show [dev IFINDEX]`: IPv4 and IPv6 addresses of every link, or of one. */
  addrList(ifindex = 0): RawAddress[] {
    const out: RawAddress[] = [];
    for (const m of parseMessages(addon().request(this.fd, addrDumpRequest(ifindex), TIMEOUT_MS))) {
      if (m.type !== RTM_NEWADDR) continue;
      // Filtered by the kernel on a strict socket; checked again (before decoding) so a
      // kernel that ignores the filter cannot hand another link's addresses to this one.
      if (ifindex !== 0 && addressIfindex(m.payload) !== ifindex) continue;
      const a = parseAddress(m.payload);
      if (a) out.push(a);
    }
    return out;
  }

  /**
   * `ip netns list-id` for one namespace: the nsid this namespace uses for the one at
   * `otherPath` (RTM_GETNSID + NETNSA_FD), or -1 when it has given it none. Read-only:
   * unlike a link dump, this never allocates an id.
   */
  nsidOf(otherPath: string): number {
    const fd = openSync(otherPath, 'r');
    try {
      const reply = parseMessages(addon().request(this.fd, nsidRequest(fd), TIMEOUT_MS));
      const m = reply.find((r) => r.type === RTM_NEWNSID);
      return m ? parseNsid(m.payload) : -1;
    } finally {
      closeSync(fd);
    }
  }

  close(): void {
    addon().close(this.fd);
  }
}

/** Runs `fn` with a socket in the namespace at `nsPath`, always closing it. */
export function inNamespace<T>(nsPath: string | null, fn: (s: NamespaceSocket) => T): T {
  const s = new NamespaceSocket(nsPath);
  try {
    return fn(s);
  } finally {
    s.close();
  }
}

export interface Watch {
  close(): void;
}

/** Legacy bitmask bit of a multicast group: group N is bit N-1. */
const groupBit = (group: number): number => 1 << (group - 1);

/**
 * `ip monitor link address nsid` inside one namespace. `onEvents` gets the decoded events
 * of one wake-up, in kernel order; `overflowed` means the kernel dropped events (ENOBUFS):
 * the caller must re-read. The socket pins the namespace until `close()`.
 * `receiveBuffer` is the socket's SO_RCVBUF(FORCE) in bytes (tests shrink it to force loss).
 */
export function watch(nsPath: string | null, onEvents: (events: KernelEvent[], overflowed: boolean) => void, receiveBuffer = 4 << 20): Watch {
  const a = addon();
  const groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | groupBit(RTNLGRP_NSID);
  const fd = openIn(nsPath, groups, receiveBuffer);
  const handle = a.watch(fd, (overflowed, data) => onEvents(decodeEvents(parseMessages(data, false)), overflowed));
  let open = true;
  return {
    close() {
      if (open) a.unwatch(handle);
      open = false;
    },
  };
}

/**
 * `ip netns list-id` asked many times in a row: one request socket per asking namespace,
 * kept until `close()` (the root asks about every other namespace in a resolving pass).
 * Sockets are keyed by the path they were opened through.
 */
export class NsidAsker {
  private readonly sockets = new Map<string, NamespaceSocket>();

  /** The id the namespace at `fromPath` gives the one at `toPath`; -1 for none. Throws when either is gone. */
  nsidOf(fromPath: string, toPath: string): number {
    let s = this.sockets.get(fromPath);
    if (!s) {
      s = new NamespaceSocket(fromPath);
      this.sockets.set(fromPath, s);
    }
    return s.nsidOf(toPath);
  }

  close(): void {
    for (const s of this.sockets.values()) s.close();
    this.sockets.clear();
  }
}
