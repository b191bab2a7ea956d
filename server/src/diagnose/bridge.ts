/**
 * Crossing a bridge: the bridge up, the ingress and egress ports forwarding (STP state,
 * IFLA_BRPORT_STATE), the VLAN a frame is put in on ingress and whether the egress port
 * carries it (vlan_filtering), and where the bridge's forwarding database has learned
 * the destination's MAC.
 */
import type { Interface } from '@vethmap/shared';
import type { BridgeOptions, BridgePort, FdbEntry } from '../kernel/index.js';
import type { TraceContext } from './context.js';
import { Commands } from './commands.js';
import type { HopDraft } from './hops.js';

/** What the kernel says about one bridge, read once per trace. */
export interface BridgeFacts {
  bridge: Interface;
  options: BridgeOptions | null;
  ports: Map<number, BridgePort>;
  fdb: FdbEntry[];
}

export function readBridge(ctx: TraceContext, bridge: Interface): BridgeFacts {
  const ns = bridge.namespace;
  const ports = new Map(ctx.kernel.bridgePorts(ns).filter((p) => p.master === bridge.ifindex).map((p) => [p.ifindex, p]));
  const fdb = ctx.kernel.fdb(ns).filter((e) => e.master === bridge.ifindex || e.ifindex === bridge.ifindex);
  return { bridge, options: ctx.kernel.bridgeOptions(ns, bridge.ifindex), ports, fdb };
}

function cmds(ctx: TraceContext, i: Interface): Commands {
  return new Commands(ctx.namespace(i.namespace)!, ctx.kernel.pathOf(i.namespace));
}

function vlanText(p: BridgePort | undefined): string {
  if (!p?.vlans) return 'no VLAN information';
  if (p.vlans.length === 0) return 'member of no VLAN';
  return p.vlans.map((v) => `${v.vid}${v.pvid ? ' PVID' : ''}${v.untagged ? ' untagged' : ''}`).join(', ');
}

/** The bridge itself up, and the port a frame enters through forwarding; returns the VLAN the frame is put in. */
export function ingressHop(ctx: TraceContext, f: BridgeFacts, port: Interface | null): { hop: HopDraft; vlan: number | null } {
  const b = f.bridge;
  const c = cmds(ctx, b);
  const filtering = f.options?.vlanFiltering ?? false;
  const bp = port ? f.ports.get(port.ifindex) : undefined;
  const evidence = [
    `bridge ${b.name}: ${b.adminUp ? 'UP' : 'not UP'}, vlan_filtering ${filtering ? 1 : 0} (IFLA_BR_VLAN_FILTERING)${f.options?.stpState ? `, stp_state ${f.options.stpState}` : ''}`,
    port ? `port ${port.name}: state ${bp?.state ?? 'unknown'} (IFLA_BRPORT_STATE)${filtering ? `, VLANs ${vlanText(bp)}` : ''}` : `sent by the bridge device ${b.name} itself`,
  ].join('\n');
  const base = { concern: 'bridge' as const, where: port ? ctx.where(port) : ctx.where(b), evidence, confirm: c.bridge('link', 'show'), ids: port ? [b.id, port.id] : [b.id] };
  if (!b.adminUp) return { vlan: null, hop: { ...base, ok: false, what: `bridge ${b.name} is down: it forwards nothing`, fix: c.ip('link', 'set', 'dev', b.name, 'up') } };
  if (port && bp?.state && bp.state !== 'forwarding') {
    const stp = bp.state === 'disabled' ? 'the port is disabled (it or its link is down)' : `STP holds the port in state ${bp.state}`;
    return { vlan: null, hop: { ...base, ok: false, what: `bridge port ${port.name} of ${b.name} is not forwarding: ${stp}`, fix: bp.state === 'disabled' ? c.ip('link', 'set', 'dev', port.name, 'up') : `${c.bridge('link', 'show', 'dev', port.name)} (check STP: ${c.ip('-d', 'link', 'show', 'dev', b.name)})` } };
  }
  if (!filtering || !port) return { vlan: null, hop: { ...base, ok: true, what: port ? `enters bridge ${b.name} through port ${port.name} (forwarding)` : `leaves through bridge ${b.name}`, fix: null } };
  const pvid = bp?.vlans?.find((v) => v.pvid)?.vid ?? null;
  if (pvid === null) {
    return { vlan: null, hop: { ...base, ok: false, what: `VLAN filtering: port ${port.name} has no PVID, so the bridge drops the untagged frames arriving on it`, confirm: c.bridge('vlan', 'show', 'dev', port.name), fix: c.bridge('vlan', 'add', 'vid', '<vid>', 'dev', port.name, 'pvid', 'untagged') } };
  }
  return { vlan: pvid, hop: { ...base, ok: true, what: `enters bridge ${b.name} through port ${port.name} (forwarding) in VLAN ${pvid} (its PVID)`, confirm: c.bridge('vlan', 'show', 'dev', port.name), fix: null } };
}

/** The port a frame leaves through: forwarding, carrying the frame's VLAN (untagged), and what the FDB knows. */
export function egressHop(ctx: TraceContext, f: BridgeFacts, port: Interface, vlan: number | null, targetMac: string | null): HopDraft {
  const b = f.bridge;
  const c = cmds(ctx, b);
  const bp = f.ports.get(port.ifindex);
  const filtering = f.options?.vlanFiltering ?? false;
  const learned = targetMac ? f.fdb.filter((e) => e.mac === targetMac && !e.self && (vlan === null || e.vlan === null || e.vlan === vlan)) : [];
  const where = learned.map((e) => ctx.ifaceAt(b.namespace, e.ifindex)?.name ?? `ifindex ${e.ifindex}`);
  const fdbText = targetMac === null ? 'destination MAC unknown' : learned.length ? `FDB: ${targetMac} learned on ${where.join(', ')}` : `FDB: ${targetMac} not learned yet (the bridge floods to every port until it is)`;
  const evidence = `port ${port.name}: state ${bp?.state ?? 'unknown'}${filtering ? `, VLANs ${vlanText(bp)}` : ''}\n${fdbText}`;
  const base = { concern: 'bridge' as const, where: ctx.where(port), evidence, ids: [b.id, port.id] };
  if (bp?.state && bp.state !== 'forwarding') {
    return { ...base, ok: false, what: `bridge port ${port.name} of ${b.name} is not forwarding (state ${bp.state})`, confirm: c.bridge('link', 'show', 'dev', port.name), fix: bp.state === 'disabled' ? c.ip('link', 'set', 'dev', port.name, 'up') : null };
  }
  if (filtering && vlan !== null) {
    const v = bp?.vlans?.find((x) => x.vid === vlan);
    if (!v) return { ...base, ok: false, what: `VLAN mismatch: port ${port.name} is not a member of VLAN ${vlan}, the VLAN the frame entered ${b.name} in, so the bridge never sends it there`, confirm: c.bridge('vlan', 'show'), fix: c.bridge('vlan', 'add', 'vid', String(vlan), 'dev', port.name, 'pvid', 'untagged') };
    if (!v.untagged) return { ...base, ok: false, what: `port ${port.name} sends VLAN ${vlan} tagged: the interface behind it has no VLAN ${vlan} device and drops tagged frames`, confirm: c.bridge('vlan', 'show', 'dev', port.name), fix: c.bridge('vlan', 'add', 'vid', String(vlan), 'dev', port.name, 'untagged') };
  }
  if (learned.length && !learned.some((e) => e.ifindex === port.ifindex)) {
    return { ...base, ok: false, what: `the bridge's FDB says ${targetMac} is behind ${where.join(', ')}, not ${port.name}: frames go the wrong way until the entry ages out`, confirm: c.bridge('fdb', 'show', 'br', b.name), fix: c.bridge('fdb', 'del', targetMac!, 'dev', where[0]!, 'master') };
  }
  return { ...base, ok: true, what: `leaves bridge ${b.name} through port ${port.name}${vlan !== null ? ` (VLAN ${vlan}, untagged)` : ''}`, confirm: c.bridge('fdb', 'show', 'br', b.name), fix: null };
}
