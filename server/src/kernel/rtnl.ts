import { closeSync, openSync, statSync } from 'node:fs';
import { addon } from './native.js';
import {
  addrDumpRequest, linkDumpRequest, nsidRequest, parseAddress, parseLink, parseMessages, parseNsid,
  RTM_NEWADDR, RTM_NEWLINK, RTM_NEWNSID, RTMGRP_IPV4_IFADDR, RTMGRP_IPV6_IFADDR, RTMGRP_LINK,
  type Message, type RawAddress, type RawLink,
} from './rtnetlink.js';

const TIMEOUT_MS = 5000;

let ownInode: number | undefined;

/**
 * The path to setns() into, or null for the namespace we already run in: entering
 * that one needs no setns, which also lets a non-root user read it.
 */
function enterPath(nsPath: string | null): string | null {
  if (nsPath === null) return null;
  ownInode ??= statSync('/proc/thread-self/ns/net').ino;
  try {
    return statSync(nsPath).ino === ownInode ? null : nsPath;
  } catch {
    return nsPath; // let openSocket report why it cannot be opened
  }
}

/**
 * A request socket inside one namespace (`ip -n NS ...` without a child process).
 * Opening it pins the namespace; close it as soon as the questions are asked.
 */
export class NamespaceSocket {
  private readonly fd: number;
  constructor(nsPath: string | null) {
    this.fd = addon().openSocket(enterPath(nsPath), 0, 0);
  }

  /** `ip -d link show`: every link of the namespace. */
  linkList(): RawLink[] {
    return parseMessages(addon().request(this.fd, linkDumpRequest(), TIMEOUT_MS))
      .filter((m) => m.type === RTM_NEWLINK)
      .map((m) => parseLink(m.payload));
  }

  /** `ip addr show`: IPv4 and IPv6 addresses of every link. */
  addrList(): RawAddress[] {
    const out: RawAddress[] = [];
    for (const m of parseMessages(addon().request(this.fd, addrDumpRequest(), TIMEOUT_MS))) {
      if (m.type !== RTM_NEWADDR) continue;
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

/**
 * `ip monitor link address` inside one namespace. `onEvent` gets the decoded messages;
 * `overflowed` means the kernel dropped events (ENOBUFS): the caller must re-read.
 * The socket pins the namespace until `close()`.
 */
export function watch(nsPath: string | null, onEvent: (messages: Message[], overflowed: boolean) => void): Watch {
  const a = addon();
  const fd = a.openSocket(enterPath(nsPath), RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR, 4 << 20);
  const handle = a.watch(fd, (overflowed, data) => onEvent(parseMessages(data, false), overflowed));
  let open = true;
  return {
    close() {
      if (open) a.unwatch(handle);
      open = false;
    },
  };
}
