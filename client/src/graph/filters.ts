import { isLoopback, namespaceDistances, relationsOf, scopedInterfaces, wholeTopology, type Topology } from '@vethmap/shared';
import type { ViewOptions } from './elements.js';

/** How much each filter leaves out of the map, so none hides anything silently (issue 12). */
export interface Hidden {
  /** Loopbacks left out (the "lo" box unticked). */
  lo: number;
  /** Interfaces administratively down left out ("hide down"), not counting loopbacks already out. */
  down: number;
  /** Namespaces and interfaces outside "only X + neighbours" (after the other two filters). */
  namespaces: number;
  interfaces: number;
}

/** Pure: what `options` hide in `t`, filter by filter. */
export function hiddenBy(t: Topology, o: ViewOptions): Hidden {
  let lo = 0;
  let down = 0;
  for (const i of t.interfaces) {
    if (isLoopback(i)) {
      if (!o.showLo) lo++;
      else if (o.hideDown && !i.adminUp) down++;
    } else if (o.hideDown && !i.adminUp) down++;
  }
  if (!o.focusNamespace) return { lo, down, namespaces: 0, interfaces: 0 };
  const base = { ...wholeTopology, showLo: o.showLo, hideDown: o.hideDown };
  const all = scopedInterfaces(t, base).size;
  const kept = scopedInterfaces(t, { ...base, around: { namespace: o.focusNamespace, depth: o.focusDepth } }).size;
  const near = namespaceDistances(relationsOf(t), o.focusNamespace, Math.max(0, o.focusDepth));
  return { lo, down, namespaces: t.namespaces.length - near.size, interfaces: all - kept };
}
