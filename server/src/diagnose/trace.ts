/**
 * "Why can't A reach B?": walks the way the kernel would send an ICMP echo from A to B and
 * the reply back, namespace by namespace. The kernel decides every routing step (`ip route
 * get`, input and output); the wires come from the topology; each crossing is checked for
 * link state, MTU, bridge ports and VLANs, neighbours, sysctls and the firewall. A hop that
 * vethmap cannot judge says so (ok null) instead of guessing.
 */
import type { Hop, Interface, WhyReport } from '@vethmap/shared';
import type { TraceContext } from './context.js';
import { addressesOf, familyOf, inSubnet, type Cidr, type Family, subnetMismatch } from './address.js';
import { adminHop, mtuHop, vethHop } from './link.js';
import { egressHop, ingressHop, readBridge, type BridgeFacts } from './bridge.js';
import { neighbourHop } from './neighbour.js';
import { firewallHop, ipFamilies, type Crossing, type HookPass } from './firewall.js';
import { bridgeNetfilter, factText } from './sysctl.js';
import { inputRouteHop, outputRouteHop } from './route.js';
import { pathInterfaces, searchSegment, type SegmentPath } from './segment.js';
import { HopList } from './hops.js';
import { Commands } from './commands.js';

/** Where a walk starts: a namespace (and the interface it must leave by, when one was named). */
export interface WalkStart {
  ns: string;
  iface: Interface | null;
  saddr: string | null;
  daddr: string;
}

const MAX_ROUTED_HOPS = 16;

interface WalkResult {
  /** The packet reached the namespace owning the destination (whatever was wrong on the way). */
  arrived: boolean;
  /** The source address the kernel chose (RTA_PREFSRC), for the reply. */
  saddr: string | null;
  path: string[];
}

/** One direction of the trace. Hops go into `out`. */
export class Walk {
  private readonly bridges = new Map<string, BridgeFacts>();
  private readonly family: Family;
  /** The source address: given, or the one the kernel picks for the first route (RTA_PREFSRC). */
  private saddr: string | null;

  constructor(private readonly ctx: TraceContext, private readonly out: HopList, private readonly start: WalkStart, private readonly icmpType: number) {
    this.family = familyOf(start.daddr);
    this.saddr = start.saddr;
  }

  run(): WalkResult {
    const { ctx, out, start } = this;
    const daddr = start.daddr;
    const result: WalkResult = { arrived: false, saddr: null, path: [] };
    let ns = start.ns;
    let at: Interface | null = null; // the interface the packet arrived on (null: it is sent from ns)
    const seen = new Set<string>();
    for (let step = 0; step < MAX_ROUTED_HOPS; step++) {
      let oif: Interface | undefined;
      let nexthop: string;
      if (at === null) {
        const sent = this.send(ns);
        result.saddr = this.saddr;
        if (!sent) return result;
        if (sent === 'local') return { ...result, arrived: true };
        ({ oif, nexthop } = sent);
      } else {
        const q = { to: daddr, from: this.saddr ?? undefined, iif: at.ifindex };
        const input = inputRouteHop(ctx, ns, at, q, ctx.kernel.routeGet(ns, q));
        out.add(input.hop);
        if (!input.route) return result;
        const fam = ipFamilies(this.family);
        if (input.route.type === 'local') {
          this.firewall({ ns, how: 'delivered', legacyApplies: true, ids: [ns, at.id], hooks: [this.ingress(at), { hook: 'prerouting', families: fam, iif: at, oif: null }, { hook: 'input', families: fam, iif: at, oif: null }] });
          return { ...result, arrived: true };
        }
        const oifIndex = input.route.nexthops[0]?.oif ?? null;
        oif = oifIndex === null ? undefined : ctx.ifaceAt(ns, oifIndex);
        nexthop = input.route.nexthops[0]?.gateway ?? daddr;
        this.firewall({ ns, how: 'forwarded', legacyApplies: true, ids: [ns, at.id, ...(oif ? [oif.id] : [])], hooks: [this.ingress(at), { hook: 'prerouting', families: fam, iif: at, oif: null }, { hook: 'forward', families: fam, iif: at, oif: oif ?? null }, { hook: 'postrouting', families: fam, iif: null, oif: oif ?? null }] });
      }
      if (!oif) {
        out.add({ ok: null, concern: 'route', where: ctx.nsName(ns), what: 'the route names an interface vethmap does not see', evidence: 'RTA_OIF not in the topology', confirm: '', fix: null, ids: [ns] });
        return result;
      }
      const key = `${ns}|${nexthop}`;
      if (seen.has(key)) {
        out.add({ ok: false, concern: 'route', where: ctx.nsName(ns), what: `routing loop: ${ctx.nsName(ns)} sends ${daddr} to ${nexthop} a second time`, evidence: `visited: ${[...seen].join(' → ')}`, confirm: '', fix: null, ids: [ns] });
        return result;
      }
      seen.add(key);
      const down = adminHop(ctx, oif, 'the interface it leaves by,');
      if (down) {
        out.add(down);
        return result;
      }
      const crossed = this.wire(ns, oif, nexthop, daddr);
      if (!crossed) return result;
      result.path.push(...crossed.ids);
      at = crossed.owner;
      ns = at.namespace;
    }
    out.add({ ok: null, concern: 'route', where: ctx.nsName(ns), what: `more than ${MAX_ROUTED_HOPS} routed hops: vethmap stopped following`, evidence: '', confirm: '', fix: null, ids: [ns] });
    return result;
  }

  /** The sending namespace: its route (the kernel's answer) and its output hooks. */
  private send(ns: string): { oif: Interface; nexthop: string; saddr: string | null } | 'local' | null {
    const { ctx, out, start } = this;
    const q = { to: start.daddr, ...(start.iface ? { oif: start.iface.ifindex } : {}) };
    const answer = ctx.kernel.routeGet(ns, q);
    if ('error' in answer) {
      // The kernel removes the routes of an interface that goes down: blame the interface, not the table.
      const cidrs = ctx.interfacesOf(ns).flatMap((i) => addressesOf(i, this.family).map((c) => ({ i, c })));
      const downOwner = cidrs.find(({ i, c }) => !i.adminUp && inSubnet(start.daddr, c))?.i ?? (start.iface && !start.iface.adminUp ? start.iface : undefined);
      if (downOwner) out.add(adminHop(ctx, downOwner, 'the interface on the way,')!);
      out.add(outputRouteHop(ctx, ns, q, answer, this.noRouteHint(ns, cidrs.filter(({ i }) => i.adminUp))));
      return null;
    }
    out.add(outputRouteHop(ctx, ns, q, answer, null));
    const r = answer.route;
    if (r.type === 'local') {
      const lo = ctx.interfacesOf(ns).find((i) => i.kind === 'loopback');
      if (lo && !lo.adminUp) out.add(adminHop(ctx, lo, 'loopback, which carries traffic to its own addresses,')!);
      return 'local';
    }
    const oifIndex = r.nexthops[0]?.oif ?? null;
    const oif = oifIndex === null ? undefined : ctx.ifaceAt(ns, oifIndex);
    if (!oif) {
      out.add({ ok: null, concern: 'route', where: ctx.nsName(ns), what: 'the route names an interface vethmap does not see', evidence: `RTA_OIF ${oifIndex}`, confirm: '', fix: null, ids: [ns] });
      return null;
    }
    const saddr = r.prefsrc ?? start.saddr;
    this.saddr = saddr;
    const fam = ipFamilies(this.family);
    this.firewall({ ns, how: 'sent', legacyApplies: true, ids: [ns, oif.id], hooks: [{ hook: 'output', families: fam, iif: null, oif }, { hook: 'postrouting', families: fam, iif: null, oif }] });
    if (saddr) this.duplicateSource(oif, saddr);
    return { oif, nexthop: r.nexthops[0]?.gateway ?? start.daddr, saddr };
  }

  /**
   * Why there may be no route: the destination sits on a wire the source is on, but in
   * another subnet; or it is on none of the source's wires and nothing routes there.
   */
  private noRouteHint(ns: string, cidrs: Array<{ i: Interface; c: Cidr }>): string | null {
    const daddr = this.start.daddr;
    const sameWire = [...new Set(cidrs.map(({ i }) => i))].flatMap((i) => searchSegment(this.ctx, i, daddr).found.map((p) => ({ via: i, owner: p.owner })));
    if (sameWire.length) {
      const mine = cidrs.filter(({ i }) => i === sameWire[0]!.via).map(({ c }) => c);
      return subnetMismatch(mine, daddr, sameWire[0]!.owner);
    }
    const hasDefault = this.ctx.kernel.routes(ns).some((r) => r.family === this.family && r.dst === 'default');
    return hasDefault ? null : `${daddr} is on none of ${this.ctx.nsName(ns)}'s wires and there is no default route`;
  }

  /** ✗ when the source address is also on another interface of the segment (replies may go there). */
  private duplicateSource(oif: Interface, saddr: string): void {
    const dup = searchSegment(this.ctx, oif, saddr).found.map((p) => p.owner);
    if (dup.length === 0) return;
    this.out.add({ ok: false, concern: 'address', where: this.ctx.where(oif), what: `duplicate address: ${saddr} is also on ${dup.map((i) => this.ctx.where(i)).join(', ')}, on the same segment`, evidence: `RTM_GETADDR: ${saddr} on ${[oif, ...dup].map((i) => this.ctx.where(i)).join(' and ')}`, confirm: new Commands(this.ctx.namespace(oif.namespace)!, this.ctx.kernel.pathOf(oif.namespace)).ip('addr', 'show', 'dev', oif.name), fix: 'give each interface its own address', ids: [oif.id, ...dup.map((i) => i.id)] });
  }

  /** The netdev ingress hook of an arriving interface. */
  private ingress(at: Interface): HookPass {
    return { hook: 'ingress', families: ['netdev'], iif: at, oif: null };
  }

  private firewall(c: Crossing, bridgedBy: Interface | null = null): void {
    const icmp = this.family === 4 ? 1 : 58;
    this.out.add(firewallHop(this.ctx, c, { family: this.family, saddr: this.saddr ?? this.start.daddr, daddr: this.start.daddr, l4proto: icmp, icmpType: this.icmpType }, bridgedBy));
  }

  /** Crosses the segment `oif` sends on to the owner of `nexthop`, checking every step. */
  private wire(ns: string, oif: Interface, nexthop: string, daddr: string): { owner: Interface; ids: string[] } | null {
    const { ctx, out } = this;
    const seg = searchSegment(ctx, oif, nexthop);
    const role = nexthop === daddr ? 'the destination' : 'the gateway';
    if (seg.found.length === 0) {
      const elsewhere = ctx.topology.interfaces.filter((i) => addressesOf(i).some((c) => c.ip === nexthop));
      const onSegment = seg.reached.filter((i) => i.addresses.length).map((i) => `${ctx.where(i)} ${i.addresses.join(', ')}`);
      const evidence = `interfaces on ${oif.name}'s segment: ${onSegment.join('; ') || 'none with addresses'}${elsewhere.length ? `\n${nexthop} is on ${elsewhere.map((i) => ctx.where(i)).join(', ')}, not on this segment` : ''}`;
      const cmds = new Commands(ctx.namespace(ns)!, ctx.kernel.pathOf(ns));
      if (seg.opaque.length) {
        out.add({ ok: null, concern: 'route', where: ctx.where(oif), what: `${role} ${nexthop} is on no interface vethmap sees on this segment; it continues through ${seg.opaque.map((i) => `${ctx.where(i)} (${i.kind})`).join(', ')}, beyond what vethmap can follow`, evidence, confirm: cmds.ip('neigh', 'show', 'dev', oif.name), fix: null, ids: [oif.id, ...seg.opaque.map((i) => i.id)] });
      } else {
        const fix = role === 'the gateway' ? cmds.ip('route', 'replace', 'default', 'via', '<a router on this segment>') : `connect ${daddr}'s namespace to this segment, or route ${daddr} through a gateway`;
        out.add({ ok: false, concern: 'route', where: ctx.where(oif), what: `nobody on ${oif.name}'s segment has ${nexthop} (${role}${role === 'the gateway' ? ': wrong gateway?' : ''})`, evidence, confirm: cmds.ip('route', 'get', daddr), fix, ids: [oif.id, ...seg.reached.map((i) => i.id)] });
      }
      return null;
    }
    if (seg.found.length > 1) {
      const owners = seg.found.map((p) => ctx.where(p.owner));
      out.add({ ok: false, concern: 'address', where: ctx.where(oif), what: `duplicate address: ${nexthop} is on ${owners.join(' and ')}, on the same segment`, evidence: owners.join('\n'), confirm: new Commands(ctx.namespace(ns)!, ctx.kernel.pathOf(ns)).ip('neigh', 'show', nexthop), fix: 'give each interface its own address', ids: seg.found.map((p) => p.owner.id) });
      return null;
    }
    const path = seg.found[0]!;
    this.steps(oif, path);
    out.add(neighbourHop(ctx, ns, oif, nexthop, path.owner));
    return { owner: path.owner, ids: pathInterfaces(oif, path) };
  }

  /** Link, MTU, bridge and bridged-firewall hops along one segment path. */
  private steps(sender: Interface, p: SegmentPath): void {
    const { ctx, out } = this;
    let vlan: number | null = null;
    for (const s of p.steps) {
      if (s.kind === 'veth') {
        out.add(vethHop(ctx, s.from, s.to));
        const mtu = mtuHop(ctx, s.to, sender, 'the veth receiving them drops');
        if (mtu) out.add(mtu);
        continue;
      }
      let facts = this.bridges.get(s.bridge.id);
      if (!facts) this.bridges.set(s.bridge.id, (facts = readBridge(ctx, s.bridge)));
      const ingress = ingressHop(ctx, facts, s.ingress);
      out.add(ingress.hop);
      vlan = ingress.vlan;
      const bnf = bridgeNetfilter(ctx, s.bridge.namespace, facts.options, this.family);
      const cmds = new Commands(ctx.namespace(s.bridge.namespace)!, ctx.kernel.pathOf(s.bridge.namespace));
      out.add({
        ok: true, concern: 'sysctl', where: ctx.nsName(s.bridge.namespace),
        what: bnf.on ? `bridged IPv${this.family} traffic on ${s.bridge.name} also passes the ip${this.family === 6 ? '6' : ''} firewall hooks (br_netfilter)` : bnf.loaded ? `bridged traffic on ${s.bridge.name} does not pass the ip firewall hooks (bridge-nf-call off)` : `br_netfilter is not loaded: bridged traffic on ${s.bridge.name} does not pass the ip firewall hooks`,
        evidence: bnf.facts.map(factText).join(', '), confirm: cmds.run('sysctl', `net.bridge.bridge-nf-call-ip${this.family === 6 ? '6' : ''}tables`), fix: null, ids: [s.bridge.id],
      });
      if (s.egress) {
        out.add(egressHop(ctx, facts, s.egress, vlan, p.owner.mac));
        const mtu = mtuHop(ctx, s.egress, sender, `the bridge ${s.bridge.name} drops`);
        if (mtu) out.add(mtu);
      }
      if (s.ingress && s.egress) {
        const hooks: HookPass[] = [
          { hook: 'prerouting', families: ['bridge'], iif: s.ingress, oif: null },
          { hook: 'forward', families: ['bridge'], iif: s.ingress, oif: s.egress },
          { hook: 'postrouting', families: ['bridge'], iif: null, oif: s.egress },
        ];
        if (bnf.on) {
          const fam = ipFamilies(this.family);
          hooks.push({ hook: 'prerouting', families: fam, iif: s.bridge, oif: null }, { hook: 'forward', families: fam, iif: s.bridge, oif: s.bridge }, { hook: 'postrouting', families: fam, iif: null, oif: s.bridge });
        }
        this.firewall({ ns: s.bridge.namespace, how: `bridged by ${s.bridge.name}${bnf.on ? ', through the ip hooks too (br_netfilter)' : ''}`, legacyApplies: bnf.on, ids: [s.bridge.id, s.ingress.id, s.egress.id], hooks }, bnf.on ? s.bridge : null);
      }
    }
  }
}

/** The summary sentence and overall answer of a list of hops. */
export function conclude(hops: readonly Hop[]): { reachable: boolean | null; summary: string } {
  const failed = hops.find((h) => h.ok === false);
  if (failed) return { reachable: false, summary: `${failed.direction === 'reply' ? 'the reply: ' : ''}${failed.where}: ${failed.what}` };
  const open = hops.find((h) => h.ok === null);
  if (open) return { reachable: null, summary: `vethmap cannot tell: ${open.where}: ${open.what}` };
  return { reachable: true, summary: 'every hop lets the packet through, there and back' };
}

export type { Cidr, WhyReport };
