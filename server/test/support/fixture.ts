import { readFileSync } from 'node:fs';
import type { NamespaceScan } from '../../src/discover/collect.js';
import type { NsidLookup } from '../../src/discover/veth.js';
import { parseAddress, parseLink, parseMessages, RTM_NEWADDR, RTM_NEWLINK, type RawAddress } from '../../src/kernel/rtnetlink.js';

interface Recorded {
  prefix: string;
  namespaces: Record<string, { inode: number; links: string; addrs: string }>;
  nsids: Record<string, number>;
}

/** A recorded scenario (server/test/fixtures/NAME/kernel.json) as the collector would see it. */
export function loadScenario(name: string): { prefix: string; scans: Record<string, NamespaceScan>; nsid: NsidLookup; recorded: Recorded } {
  const recorded = JSON.parse(readFileSync(new URL(`../fixtures/${name}/kernel.json`, import.meta.url), 'utf8')) as Recorded;
  const scans: Record<string, NamespaceScan> = {};
  for (const [key, ns] of Object.entries(recorded.namespaces)) {
    const links = parseMessages(Buffer.from(ns.links, 'hex')).filter((m) => m.type === RTM_NEWLINK).map((m) => parseLink(m.payload));
    const addrs = parseMessages(Buffer.from(ns.addrs, 'hex'))
      .filter((m) => m.type === RTM_NEWADDR)
      .map((m) => parseAddress(m.payload))
      .filter((a): a is RawAddress => a !== null);
    scans[key] = { entry: { inode: ns.inode, kind: key === 'root' ? 'root' : 'named', name: key, path: `/fixture/${key}`, pids: [] }, links, addrs };
  }
  const keyOf = new Map(Object.entries(scans).map(([k, s]) => [s, k]));
  const nsid: NsidLookup = (from, to) => recorded.nsids[`${keyOf.get(from)}>${keyOf.get(to)}`] ?? -1;
  return { prefix: recorded.prefix, scans, nsid, recorded };
}
