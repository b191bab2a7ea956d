import type { Diagram } from '../geometry.js';
import { LINE_WIDTH, STATE_LOOK, THEMES, type ThemeName } from '../style.js';
import type { Frame } from './frame.js';

/**
 * Graphviz DOT: namespaces as clusters, interfaces as nodes, pairs, ports and vlan links
 * as edges in the state's colour and line style. Graphviz lays it out itself; what it
 * keeps from us is the structure, the names and the look. Every string is a quoted DOT
 * string: backslashes doubled (so a name's `\N` or `\n` is shown, not expanded), quotes
 * escaped; names are printable (names.ts) before that, so no raw line break remains.
 */
export function quoteDot(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n|\r/g, '\\n')}"`;
}

const SHAPE = { veth: 'ellipse', lo: 'ellipse', other: 'diamond', bridge: 'box' } as const;

export function toDot(d: Diagram, frame: Frame, themeName: ThemeName = 'light'): string {
  const theme = THEMES[themeName];
  const out: string[] = [];
  const label = [frame.title, frame.subtitle].filter(Boolean).join('\n');
  out.push('graph vethmap {');
  out.push(`  graph [label=${quoteDot(label)}, labelloc=t, labeljust=l, fontname="DejaVu Sans", fontsize=16, bgcolor=${quoteDot(theme.background)}, fontcolor=${quoteDot(theme.text)}, newrank=true, compound=true];`);
  out.push(`  node [fontname="DejaVu Sans", fontsize=10, style=filled, fillcolor=${quoteDot(theme.iface.fill)}, fontcolor=${quoteDot(theme.text)}, penwidth=2];`);
  out.push('  edge [penwidth=2];');
  const members = new Map<string, Diagram['interfaces']>();
  for (const i of d.interfaces) members.set(i.ns, [...(members.get(i.ns) ?? []), i]);
  for (const b of d.boxes) {
    const look = b.hub ? theme.hub : theme.box;
    out.push(`  subgraph ${quoteDot(`cluster_${b.id}`)} {`);
    out.push(`    label=${quoteDot(b.label)}; style="rounded,filled"; fillcolor=${quoteDot(look.fill)}; color=${quoteDot(look.stroke)}; fontcolor=${quoteDot(look.text)}; penwidth=${b.hub ? 3 : 1.5};`);
    const list = members.get(b.id) ?? [];
    // Graphviz drops an empty cluster: an invisible point keeps the namespace in the picture.
    if (list.length === 0) out.push(`    ${quoteDot(`empty_${b.id}`)} [label="", shape=point, style=invis];`);
    for (const i of list) {
      const attrs = [`label=${quoteDot(i.label)}`, `shape=${SHAPE[i.look]}`, `color=${quoteDot(theme.state(i.state))}`];
      if (STATE_LOOK[i.state].line !== 'solid') attrs.push(`style="filled,${STATE_LOOK[i.state].line}"`);
      if (i.look === 'bridge') attrs.push(`fillcolor=${quoteDot(theme.bridge.fill)}`, `fontcolor=${quoteDot(theme.bridge.text)}`, 'style="rounded,filled"');
      if (i.look === 'lo') attrs.push(`fillcolor=${quoteDot(theme.lo.fill)}`, `fontcolor=${quoteDot(theme.lo.text)}`, 'fontsize=8');
      if (i.look === 'other') attrs.push(`fillcolor=${quoteDot(theme.other.fill)}`);
      out.push(`    ${quoteDot(i.id)} [${attrs.join(', ')}];`);
    }
    out.push('  }');
  }
  for (const l of d.links) {
    const look = STATE_LOOK[l.state];
    const attrs = [`color=${quoteDot(theme.state(l.state))}`, `penwidth=${LINE_WIDTH[l.role]}`, `style=${look.line}`];
    if (l.role === 'parent') attrs.push('dir=forward', 'arrowhead=normal', 'arrowsize=0.7');
    out.push(`  ${quoteDot(l.a)} -- ${quoteDot(l.b)} [${attrs.join(', ')}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
