/**
 * The layer-2 segment a packet leaves on: from the sending interface through veth pairs
 * and bridges (as vethmap resolved them) to the interface that owns the next hop's
 * address. Pure over the topology; the per-hop checks come after (link.ts, bridge.ts).
 */
import type { Interface } from '@vethmap/shared';
import type { TraceContext } from './context.js';
import { addressesOf } from './address.js';

/** One step of a frame's way: across a veth pair, or through a bridge from one port to another. */
export type SegmentStep =
  | { kind: 'veth'; from: Interface; to: Interface }
  /** `ingress` null: the bridge device itself sends; `egress` null: the bridge device itself owns the address. */
  | { kind: 'bridge'; bridge: Interface; ingress: Interface | null; egress: Interface | null };

export interface SegmentPath {
  steps: SegmentStep[];
  /** The interface that owns the address. */
  owner: Interface;
}

export interface SegmentSearch {
  /** Every way to an owner of the address (more than one owner: a duplicate address). */
  found: SegmentPath[];
  /** Where the segment continues beyond what vethmap can see (a NIC, vxlan, tap, a veth without a visible peer). */
  opaque: Interface[];
  /** Every interface a frame can reach on this segment (for "nobody here has it"). */
  reached: Interface[];
}

function owns(i: Interface, ip: string): boolean {
  return addressesOf(i).some((c) => c.ip === ip);
}

/** Searches the segment `oif` sends on for the interface(s) owning `ip`. */
export function searchSegment(ctx: TraceContext, oif: Interface, ip: string): SegmentSearch {
  const out: SegmentSearch = { found: [], opaque: [], reached: [] };
  const visited = new Set<string>([oif.id]);

  const arrive = (at: Interface, steps: SegmentStep[]): void => {
    if (visited.has(at.id)) return;
    visited.add(at.id);
    out.reached.push(at);
    // A frame received on a bridge port belongs to the bridge, whatever address the port has.
    const bridge = at.master ? ctx.iface(at.master) : undefined;
    if (bridge && bridge.kind === 'bridge') enterBridge(bridge, at, steps);
    else if (owns(at, ip)) out.found.push({ steps, owner: at });
  };

  const cross = (port: Interface, steps: SegmentStep[]): void => {
    const peer = port.kind === 'veth' ? ctx.iface(port.peer) : undefined;
    if (!peer) out.opaque.push(port);
    else arrive(peer, [...steps, { kind: 'veth', from: port, to: peer }]);
  };

  const enterBridge = (bridge: Interface, ingress: Interface | null, steps: SegmentStep[]): void => {
    if (visited.has(bridge.id) && ingress !== null) return;
    visited.add(bridge.id);
    out.reached.push(bridge);
    if (owns(bridge, ip)) out.found.push({ steps: [...steps, { kind: 'bridge', bridge, ingress, egress: null }], owner: bridge });
    for (const port of ctx.portsOf(bridge)) {
      if (port.id === ingress?.id || visited.has(port.id)) continue;
      visited.add(port.id);
      cross(port, [...steps, { kind: 'bridge', bridge, ingress, egress: port }]);
    }
  };

  if (oif.kind === 'bridge') enterBridge(oif, null, []);
  else if (oif.kind === 'veth') cross(oif, []);
  else out.opaque.push(oif);
  return out;
}

/** Every interface a path crosses, in order (for drawing it). */
export function pathInterfaces(oif: Interface, p: SegmentPath): string[] {
  const ids = [oif.id];
  for (const s of p.steps) {
    if (s.kind === 'veth') ids.push(s.to.id);
    else {
      ids.push(s.bridge.id);
      if (s.egress) ids.push(s.egress.id);
    }
  }
  return [...new Set(ids)];
}
