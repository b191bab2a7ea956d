import { closeSync, openSync, statSync } from 'node:fs';
import { addon } from './native.js';
import { decodeEvents, type KernelEvent } from './events.js';
import {
  addrDumpRequest, addressAt, addressIfindex, linkAt, linkDumpRequest, linkGetByNameRequest, linkGetRequest, NetlinkError, NLMSG_DONE, NLMSG_ERROR, nsidRequest, parseAddress, parseLink, parseMessages, parseNsid, u16, u32,
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
 * The kernel's answers to a link asked by name that mean "no such link": ENODEV, or a name
 * too long to exist (IFNAMSIZ), refused as EINVAL by older kernels and as ERANGE by the
 * attribute policy of newer ones (6.18 here).
 */
const NO_SUCH_NAME: readonly number[] = [19, 22, 34];

/**
 * A request socket inside one namespace (`ip -n NS ...` without a child process).
 * Opening it pins the namespace; close it as soon as the questions are asked.
 */
export class NamespaceSocket {
  private readonly fd: number;
  constructor(nsPath: string | null) {
    this.fd = openIn(nsPath, 0, 0);
  }

  /** `ip -d link show dev IFINDEX`: one link, or null when there is none with that index. */
  linkGet(ifindex: number): RawLink | null {
    return this.oneLink(linkGetRequest(ifindex), [19]); // ENODEV: gone
  }

  /** `ip link show dev NAME`: one link by name, or null when there is none (see NO_SUCH_NAME). */
  linkGetByName(name: string): RawLink | null {
    return this.oneLink(linkGetByNameRequest(name), NO_SUCH_NAME);
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

/** A namespace to read with `readNamespaces`: the path to open, the inode it must lead to (0: not checked). */
export interface ReadTarget {
  path: string | null;
  inode: number;
}

/** A namespace `dumpNamespaces` could not read: its path leads elsewhere now (`moved`), or an error. */
export type Unread = { ok: false; moved: true } | { ok: false; moved: false; error: Error };

/** What `readNamespaces` found in one namespace. */
export type NamespaceRead =
  | {
      ok: true;
      links: RawLink[];
      addrs: RawAddress[];
      /** The id it gives the root, and the id the root gives it (-1: none), when asked and answered. */
      nsidToRoot?: number;
      nsidFromRoot?: number;
    }
  /** `moved`: the path leads to another namespace now (a process listed as its holder moved). */
  | Unread;

/**
 * `requests` asked in every namespace of `targets` by one native call (server/native:
 * shared between threads, each namespace entered once through a descriptor opened before
 * any thread moves and checked against its inode, so what is read is the namespace asked,
 * even if its path moves meanwhile), each namespace's replies decoded by `decode`.
 */
function askNamespaces<T>(targets: readonly ReadTarget[], requests: Buffer[], rootPath: string | null, decode: (data: Buffer, start: number, end: number) => T): Array<T | Unread> {
  if (targets.length === 0) return [];
  const { data, reads } = addon().dumpNamespaces(targets.map((t) => t.path), targets.map((t) => t.inode), requests, rootPath, TIMEOUT_MS);
  let start = 0;
  return reads.map((r): T | Unread => {
    if (r === null) return { ok: false, moved: true };
    if (r instanceof Error) return { ok: false, moved: false, error: r };
    start += r;
    return decode(data, start - r, start);
  });
}

/**
 * Each netlink message of `data[start, end)` walked by offset (a Buffer view per message was
 * a tenth of a snapshot's decoding), until `visit` returns something; never past `end`.
 */
function eachMessage<R>(data: Buffer, start: number, end: number, visit: (type: number, seq: number, payload: number, next: number) => R | undefined): R | undefined {
  for (let off = start; off + 16 <= end; ) {
    const len = u32(data, off);
    if (len < 16 || off + len > end) return undefined; // truncated
    const found = visit(u16(data, off + 4), u32(data, off + 8), off + 16, off + len);
    if (found !== undefined) return found;
    off += (len + 3) & ~3;
  }
  return undefined;
}

/** The errno of an NLMSG_ERROR whose payload starts at `payload` (EIO when it is cut short). */
const errnoAt = (data: Buffer, payload: number, next: number): number => (next - payload >= 4 ? -data.readInt32LE(payload) : 5);

/**
 * `ip -n NS -d addr show` for many namespaces in one native call (see askNamespaces). With
 * `rootPath`, each also answers the two nsid questions between it and the root, which the
 * resolving pass would otherwise ask one socket at a time.
 */
export function readNamespaces(targets: readonly ReadTarget[], rootPath: string | null): NamespaceRead[] {
  return askNamespaces(targets, [linkDumpRequest(), addrDumpRequest()], rootPath, decodeRead);
}

/** What `findLinkByName` found in one namespace: the link, or null when it has none of that name. */
export type LinkByName = { ok: true; link: RawLink | null } | Unread;

/**
 * `ip -n NS link show dev NAME` in many namespaces at once (see askNamespaces), asking each
 * namespace for one link by name instead of dumping it. `peer NAME` without --netns asks
 * every namespace, since a name proves nothing until it is known to be in only one.
 */
export function findLinkByName(targets: readonly ReadTarget[], name: string): LinkByName[] {
  return askNamespaces(targets, [linkGetByNameRequest(name)], null, (data, start, end): LinkByName => {
    const answer = eachMessage(data, start, end, (type, _seq, payload, next): LinkByName | undefined => {
      if (type === RTM_NEWLINK && next - payload >= 16) return { ok: true, link: linkAt(data, payload, next) };
      if (type !== NLMSG_ERROR) return undefined;
      const errno = errnoAt(data, payload, next);
      return NO_SUCH_NAME.includes(errno) ? { ok: true, link: null } : { ok: false, moved: false, error: new NetlinkError(errno) };
    });
    return answer ?? { ok: false, moved: false, error: new NetlinkError(5) }; // no answer: EIO
  });
}

/** Sequence numbers `dumpNamespaces` gives its questions. */
const SEQ_LINKS = 1, SEQ_ADDRS = 2, SEQ_NSID_TO_ROOT = 3, SEQ_NSID_FROM_ROOT = 4;

/** One namespace's replies to readNamespaces, `data[start, end)`. */
function decodeRead(data: Buffer, start: number, end: number): NamespaceRead {
  const links: RawLink[] = [];
  const addrs: RawAddress[] = [];
  const read: NamespaceRead & { ok: true } = { ok: true, links, addrs };
  let linksEnded = false, addrsEnded = false;
  const refused = eachMessage(data, start, end, (type, seq, payload, next): Unread | undefined => {
    if (type === NLMSG_ERROR || type === NLMSG_DONE) {
      if (seq === SEQ_LINKS) linksEnded = true;
      if (seq === SEQ_ADDRS) addrsEnded = true;
      const errno = type === NLMSG_ERROR ? errnoAt(data, payload, next) : 0;
      // A dump refused is the namespace's failure; an nsid question refused only goes unanswered.
      if (errno !== 0 && (seq === SEQ_LINKS || seq === SEQ_ADDRS)) return { ok: false, moved: false, error: new NetlinkError(errno) };
    } else if (seq === SEQ_LINKS && type === RTM_NEWLINK) {
      if (next - payload >= 16) links.push(linkAt(data, payload, next));
    } else if (seq === SEQ_ADDRS && type === RTM_NEWADDR) {
      const a = next - payload >= 8 ? addressAt(data, payload, next) : null;
      if (a) addrs.push(a);
    } else if (seq === SEQ_NSID_TO_ROOT && type === RTM_NEWNSID) read.nsidToRoot = parseNsid(data.subarray(payload, next));
    else if (seq === SEQ_NSID_FROM_ROOT && type === RTM_NEWNSID) read.nsidFromRoot = parseNsid(data.subarray(payload, next));
    return undefined;
  });
  if (refused) return refused;
  // The native side reads each dump to its end; one cut short would be a partial picture.
  if (!linksEnded || !addrsEnded) return { ok: false, moved: false, error: new NetlinkError(5) };
  return read;
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
