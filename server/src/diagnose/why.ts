/**
 * The answer to "why can't A reach B?": resolves both ends, chooses the addresses, walks
 * the request and, when it arrives, the reply, and concludes.
 */
import type { Interface, WhyEndpoint, WhyReport } from '@vethmap/shared';
import type { TraceContext } from './context.js';
import { addressesOf, chooseDestination, familyOf, missingAddressHop, nonLoopback, type Cidr } from './address.js';
import { HopList } from './hops.js';
import { conclude, Walk } from './trace.js';
import type { Selector } from './endpoints.js';
import { NotFoundError } from '../errors.js';
import { Commands } from './commands.js';

const ECHO = { 4: { request: 8, reply: 0 }, 6: { request: 128, reply: 129 } } as const;

function endpoint(s: Selector, address: string | null, iface: Interface | null): WhyEndpoint {
  const ns = s.kind === 'address' ? (s.owners[0]?.namespace ?? null) : s.ns.id;
  return { asked: s.asked, namespace: ns, interface: iface?.id ?? null, address };
}

/** The source's namespace and interface; an address must belong to exactly one namespace. */
function sourceOf(s: Selector): { ns: string; iface: Interface | null } {
  if (s.kind === 'interface') return { ns: s.ns.id, iface: s.iface };
  if (s.kind === 'namespace') return { ns: s.ns.id, iface: null };
  const namespaces = new Set(s.owners.map((i) => i.namespace));
  if (namespaces.size === 0) throw new NotFoundError(`no namespace has the address ${s.ip}: name the source by namespace or interface`);
  if (namespaces.size > 1) throw new NotFoundError(`${s.ip} is in ${namespaces.size} namespaces: name the source by namespace or interface`);
  return { ns: s.owners[0]!.namespace, iface: s.owners[0]! };
}

/** Traces from `from` to `to` over the context's topology and kernel. */
export function why(ctx: TraceContext, from: Selector, to: Selector): WhyReport {
  const hops = new HopList();
  const src = sourceOf(from);
  const srcIfaces = src.iface ? [src.iface] : nonLoopback(ctx, src.ns);
  const srcCidrs: Cidr[] = srcIfaces.flatMap((i) => addressesOf(i));

  let daddr: string | null;
  let dstIface: Interface | null = null;
  if (to.kind === 'address') {
    daddr = to.ip;
    dstIface = to.owners[0] ?? null;
  } else {
    const picked = chooseDestination(to.kind === 'interface' ? [to.iface] : nonLoopback(ctx, to.ns.id), srcCidrs);
    daddr = picked?.ip ?? null;
    dstIface = picked?.owner ?? (to.kind === 'interface' ? to.iface : null);
    if (!picked) hops.add(missingAddressHop(ctx, to.kind === 'interface' ? [to.iface] : nonLoopback(ctx, to.ns.id), 'destination', null, to.ns.id));
  }
  const family = daddr ? familyOf(daddr) : null;
  const usable = srcCidrs.filter((c) => c.family === family);
  if (daddr && usable.length === 0) hops.add(missingAddressHop(ctx, srcIfaces, 'source', family, src.ns));

  const report = (path: string[]): WhyReport => ({
    ...conclude(hops.hops),
    from: endpoint(from, usable[0]?.ip ?? null, src.iface),
    to: endpoint(to, daddr, dstIface),
    hops: hops.hops,
    path,
  });
  if (!daddr || !family || hops.failed) return report([]);

  hops.add({
    ok: true, concern: 'address', where: ctx.nsName(src.ns),
    what: `from ${usable.map((c) => c.text).join(', ')} to ${daddr}${dstIface ? ` (${ctx.where(dstIface)})` : ''}: an ICMP echo (ping) and its reply`,
    evidence: `RTM_GETADDR: ${srcIfaces.map((i) => `${ctx.where(i)} ${i.addresses.join(', ') || 'none'}`).join('; ')}${dstIface ? `; ${ctx.where(dstIface)} ${dstIface.addresses.join(', ')}` : ''}`,
    confirm: new Commands(ctx.namespace(src.ns)!, ctx.kernel.pathOf(src.ns)).ip('-br', 'addr', 'show'),
    fix: null, ids: [src.ns, ...(src.iface ? [src.iface.id] : []), ...(dstIface ? [dstIface.id] : [])],
  });
  const request = new Walk(ctx, hops, { ns: src.ns, iface: src.iface, saddr: null, daddr }, ECHO[family].request).run();
  const path = src.iface && !request.path.includes(src.iface.id) ? [src.iface.id, ...request.path] : request.path;
  if (!request.arrived || !request.saddr) return report(path);

  // The reply leaves from the namespace the request arrived in, towards the source address the kernel chose.
  const arrivedNs = hops.hops.filter((h) => h.concern === 'destination').at(-1)?.ids[0] ?? dstIface?.namespace;
  if (!arrivedNs || arrivedNs === src.ns) return report(path);
  hops.direction = 'reply';
  new Walk(ctx, hops, { ns: arrivedNs, iface: null, saddr: daddr, daddr: request.saddr }, ECHO[family].reply).run();
  return report(path);
}
