/**
 * Routing: the kernel's own answer to `ip route get` (policy rules included) turned into a
 * hop, for a packet sent from a namespace (output route) or arriving on an interface
 * (input route: forwarding, rp_filter and local delivery are the kernel's checks, not ours).
 */
import type { Interface } from '@vethmap/shared';
import type { Route, RouteAnswer, RouteQuery } from '../kernel/index.js';
import type { TraceContext } from './context.js';
import { Commands } from './commands.js';
import type { HopDraft } from './hops.js';
import { factText, forwarding, rpFilter } from './sysctl.js';
import type { Family } from './address.js';

/** The route in `ip route` words. */
export function routeText(ctx: TraceContext, ns: string, r: Route): string {
  const hops = r.nexthops.map((h) => {
    const dev = h.oif === null ? '' : ` dev ${ctx.ifaceAt(ns, h.oif)?.name ?? `if${h.oif}`}`;
    return `${h.gateway ? ` via ${h.gateway}` : ''}${dev}${h.onlink ? ' onlink' : ''}`;
  }).join(' nexthop');
  const type = r.type === 'unicast' ? '' : `${r.type} `;
  return `${type}${r.dst}${hops}${r.prefsrc ? ` src ${r.prefsrc}` : ''} table ${r.table}`;
}

function queryArgs(ctx: TraceContext, ns: string, q: RouteQuery): string[] {
  const args = ['route', 'get'];
  if (q.fibMatch) args.push('fibmatch');
  args.push(q.to);
  if (q.from) args.push('from', q.from);
  if (q.iif !== undefined) args.push('iif', ctx.ifaceAt(ns, q.iif)?.name ?? String(q.iif));
  if (q.oif !== undefined) args.push('oif', ctx.ifaceAt(ns, q.oif)?.name ?? String(q.oif));
  return args;
}

/** Routes of a family in the main table (and any non-default rules), as evidence for "no route". */
function tableEvidence(ctx: TraceContext, ns: string, family: Family): string {
  const routes = ctx.kernel.routes(ns).filter((r) => r.family === family && r.table === 'main');
  const rules = ctx.kernel.rules(ns).filter((r) => r.family === family && !(r.action === 'lookup' && r.from === null && r.to === null && r.iif === null && r.oif === null && r.fwmark === null && ['local', 'main', 'default'].includes(r.table ?? '')));
  const lines = [`main table: ${routes.length ? routes.map((r) => routeText(ctx, ns, r)).join('; ') : 'empty'}`];
  if (rules.length) lines.push(`${rules.length} policy rule(s) besides the default ones: ${rules.map((r) => `${r.priority}: ${r.action} ${r.table ?? ''}`.trim()).join('; ')}`);
  return lines.join('\n');
}

const ERROR_MEANING: Record<string, string> = {
  ENETUNREACH: 'no route matches',
  EHOSTUNREACH: 'the matching route is `unreachable` (or, for a packet arriving here, forwarding is off)',
  EACCES: 'the matching route or rule is `prohibit`',
  EINVAL: 'the matching route is `blackhole`, or the packet is a martian',
  EXDEV: 'the reverse path filter (rp_filter) refuses the source on this interface',
};

/** The route a namespace sends from: the kernel's answer to `ip route get`, as a hop. */
export function outputRouteHop(ctx: TraceContext, ns: string, q: RouteQuery, answer: RouteAnswer, hint: string | null): HopDraft {
  const cmds = new Commands(ctx.namespace(ns)!, ctx.kernel.pathOf(ns));
  const family: Family = q.to.includes(':') ? 6 : 4;
  const confirm = cmds.ip(...queryArgs(ctx, ns, q));
  if ('error' in answer) {
    return {
      ok: false,
      concern: 'route',
      where: ctx.nsName(ns),
      what: `no route to ${q.to}: ${ERROR_MEANING[answer.error] ?? answer.error}${hint ? `; ${hint}` : ''}`,
      evidence: `RTM_GETROUTE ${q.to}: ${answer.error}\n${tableEvidence(ctx, ns, family)}`,
      confirm,
      fix: `${cmds.ip('route', 'add', q.to, 'via', '<gateway on a connected subnet>')} (or give both ends addresses in one subnet)`,
      ids: [ns],
    };
  }
  const r = answer.route;
  const matched = ctx.kernel.routeGet(ns, { ...q, fibMatch: true });
  const entry = 'route' in matched ? routeText(ctx, ns, matched.route) : null;
  const oif = r.nexthops[0]?.oif ?? null;
  const out = oif === null ? undefined : ctx.ifaceAt(ns, oif);
  if (r.type === 'local') {
    return { ok: true, concern: 'route', where: ctx.nsName(ns), what: `${q.to} is an address of this namespace itself: delivered locally`, evidence: `RTM_GETROUTE: ${routeText(ctx, ns, r)}`, confirm, fix: null, ids: [ns] };
  }
  const gw = r.nexthops[0]?.gateway ?? null;
  return {
    ok: true,
    concern: 'route',
    where: ctx.nsName(ns),
    what: `${q.to} goes out ${out?.name ?? `ifindex ${oif}`}${gw ? ` via gateway ${gw}` : ' directly (on-link)'}${r.prefsrc ? `, from ${r.prefsrc}` : ''}`,
    evidence: `RTM_GETROUTE: ${routeText(ctx, ns, r)}${entry ? `\nmatched entry: ${entry}` : ''}`,
    confirm,
    fix: null,
    ids: out ? [ns, out.id] : [ns],
  };
}

/** What the kernel does with a packet arriving on `iif`: delivers it here, forwards it, or refuses it. */
export interface InputStep {
  hop: HopDraft;
  /** The kernel's route: local (delivered here) or unicast (forwarded); null when refused. */
  route: Route | null;
}

/**
 * `ip route get TO from FROM iif IIF` in the namespace a packet arrives in: the kernel
 * runs the input path (forwarding switch, rp_filter, local addresses) and says what happens.
 */
export function inputRouteHop(ctx: TraceContext, ns: string, iif: Interface, q: RouteQuery, answer: RouteAnswer): InputStep {
  const cmds = new Commands(ctx.namespace(ns)!, ctx.kernel.pathOf(ns));
  const family: Family = q.to.includes(':') ? 6 : 4;
  const confirm = cmds.ip(...queryArgs(ctx, ns, q));
  const where = ctx.where(iif);
  const base = { where, confirm, ids: [ns, iif.id] };
  if ('route' in answer) {
    const r = answer.route;
    if (r.type === 'local') {
      return { route: r, hop: { ...base, ok: true, concern: 'destination', what: `${q.to} arrives on ${iif.name} and is delivered here (a local address)`, evidence: `RTM_GETROUTE iif ${iif.name}: ${routeText(ctx, ns, r)}`, fix: null } };
    }
    const fwd = forwarding(ctx, ns, iif, family);
    return { route: r, hop: { ...base, ok: true, concern: 'sysctl', what: `forwards ${q.to} (forwarding is on)`, evidence: `RTM_GETROUTE iif ${iif.name}: ${routeText(ctx, ns, r)}\n${fwd.facts.map(factText).join(', ')}`, fix: null } };
  }
  if (answer.error === 'EXDEV') {
    const rp = rpFilter(ctx, ns, iif);
    return { route: null, hop: { ...base, ok: false, concern: 'sysctl', what: `the reverse path filter drops packets from ${q.from} arriving on ${iif.name}: the route back to ${q.from} leaves through another interface`, evidence: `RTM_GETROUTE iif ${iif.name}: EXDEV\n${rp.facts.map(factText).join(', ')}`, fix: `${cmds.run('sysctl', '-w', `net.ipv4.conf.${iif.name}.rp_filter=2`)} (loose), or route ${q.from} back through ${iif.name}` } };
  }
  const fwd = forwarding(ctx, ns, iif, family);
  if (answer.error === 'EHOSTUNREACH' && fwd.on === false) {
    const name = family === 4 ? 'net.ipv4.ip_forward=1' : 'net.ipv6.conf.all.forwarding=1';
    return { route: null, hop: { ...base, ok: false, concern: 'sysctl', what: `forwarding is off in ${ctx.nsName(ns)}: packets for ${q.to} arriving on ${iif.name} are not routed on`, evidence: `RTM_GETROUTE iif ${iif.name}: EHOSTUNREACH\n${fwd.facts.map(factText).join(', ')}`, fix: cmds.run('sysctl', '-w', name) } };
  }
  return {
    route: null,
    hop: {
      ...base,
      ok: false,
      concern: 'route',
      what: `a packet for ${q.to} arriving on ${iif.name} is refused: ${ERROR_MEANING[answer.error] ?? answer.error}`,
      evidence: `RTM_GETROUTE iif ${iif.name}: ${answer.error}\n${fwd.facts.map(factText).join(', ')}\n${tableEvidence(ctx, ns, family)}`,
      fix: cmds.ip('route', 'add', q.to, 'via', '<next router>'),
    },
  };
}
