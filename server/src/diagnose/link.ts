/**
 * The link hop: both ends of a veth pair up (either end down takes the carrier of both),
 * and an MTU on each interface a frame crosses that lets the sender's frames through (a
 * veth drops what exceeds its peer's MTU, a bridge what exceeds the egress port's, and
 * neither says so with ICMP).
 */
import type { Interface } from '@vethmap/shared';
import type { TraceContext } from './context.js';
import { Commands } from './commands.js';
import type { HopDraft } from './hops.js';

function cmds(ctx: TraceContext, i: Interface): Commands {
  return new Commands(ctx.namespace(i.namespace)!, ctx.kernel.pathOf(i.namespace));
}

function state(i: Interface): string {
  return `${i.name}: ${i.adminUp ? 'UP' : 'not UP (IFF_UP clear)'}, operstate ${i.operstate}${i.lowerUp ? ', LOWER_UP' : ', no carrier'}, mtu ${i.mtu}`;
}

/** ✗ when an interface the packet leaves through is administratively down. */
export function adminHop(ctx: TraceContext, i: Interface, role: string): HopDraft | null {
  if (i.adminUp) return null;
  const c = cmds(ctx, i);
  return {
    ok: false, concern: 'link', where: ctx.where(i), what: `${role} ${i.name} is down (admin): nothing leaves or arrives through it`,
    evidence: `RTM_GETLINK ${state(i)}`, confirm: c.ip('link', 'show', 'dev', i.name), fix: c.ip('link', 'set', 'dev', i.name, 'up'), ids: [i.id],
  };
}

/** The veth hop from `from` to its peer `to`: both ends up, carrier on. */
export function vethHop(ctx: TraceContext, from: Interface, to: Interface): HopDraft {
  const down = [from, to].filter((i) => !i.adminUp);
  const evidence = `RTM_GETLINK ${state(from)}\nRTM_GETLINK ${state(to)} (peer: IFLA_LINK ${from.link.ifindex ?? from.ifindex}, link-netnsid ${from.link.netnsid ?? 'same namespace'})`;
  const where = `${ctx.where(from)} ↔ ${ctx.where(to)}`;
  if (down.length) {
    const d = down[0]!;
    const c = cmds(ctx, d);
    return {
      ok: false, concern: 'link', where: ctx.where(d),
      what: `${d === to ? 'the peer ' : ''}${d.name} in ${ctx.nsName(d.namespace)} is down (admin): the veth pair has no carrier, frames are dropped`,
      evidence, confirm: c.ip('link', 'show', 'dev', d.name), fix: c.ip('link', 'set', 'dev', d.name, 'up'), ids: [from.id, to.id],
    };
  }
  return { ok: true, concern: 'link', where, what: `veth pair ${from.name} ↔ ${to.name}: both ends up, carrier on`, evidence, confirm: cmds(ctx, from).ip('link', 'show', 'dev', from.name), fix: null, ids: [from.id, to.id] };
}

/** ✗ when `i` would drop the sender's full-size frames: its MTU is below the sender's. */
export function mtuHop(ctx: TraceContext, i: Interface, sender: Interface, how: string): HopDraft | null {
  if (i.mtu >= sender.mtu) return null;
  const c = cmds(ctx, i);
  return {
    ok: false, concern: 'link', where: ctx.where(i),
    what: `MTU mismatch: ${i.name} has MTU ${i.mtu}, the sender ${sender.name} ${sender.mtu}: ${how} packets over ${i.mtu} bytes are dropped here silently (small ones pass)`,
    evidence: `IFLA_MTU ${sender.name} = ${sender.mtu}, ${i.name} = ${i.mtu}`,
    confirm: c.ip('link', 'show', 'dev', i.name),
    fix: `${c.ip('link', 'set', 'dev', i.name, 'mtu', String(sender.mtu))} (or the same MTU on every interface of the segment)`,
    ids: [i.id, sender.id],
  };
}
