import type { Diagram } from '../geometry.js';
import { LINE_WIDTH, STATE_LOOK, THEMES, type ThemeName } from '../style.js';
import type { Frame } from './frame.js';

/**
 * A Mermaid flowchart, as people paste into Markdown. Ids are ours (n0, s0, …), never a
 * name. Every label is a quoted string in which everything but letters, digits and a few
 * plain signs is written as Mermaid's `#<decimal>;` entity, so no name can close a string,
 * start a keyword (`end`, `subgraph`, `click`, `style`), an arrow (`-->`), a comment or
 * directive (`%%`) or markup; Mermaid shows the character itself.
 */
export function quoteMermaid(s: string): string {
  const body = Array.from(s).map((c) => (/^[A-Za-z0-9 ._/:-]$/.test(c) ? c : `#${c.codePointAt(0)};`)).join('');
  // A label made only of spaces or nothing reads as no label: show the empty name as such.
  return `"${body.trim() === '' ? '#8203;' : body}"`;
}

const SHAPE = {
  veth: (l: string) => `([${l}])`,
  lo: (l: string) => `([${l}])`,
  other: (l: string) => `{{${l}}}`,
  bridge: (l: string) => `[${l}]`,
};

export function toMermaid(d: Diagram, frame: Frame, themeName: ThemeName = 'light'): string {
  const theme = THEMES[themeName];
  const out: string[] = [];
  out.push('---');
  // Front matter is YAML, where a JSON string is a valid double-quoted scalar.
  out.push(`title: ${JSON.stringify(`${frame.title} · ${frame.subtitle}`)}`);
  out.push('---');
  out.push('flowchart TB');
  const node = new Map(d.interfaces.map((i, k) => [i.id, `n${k}`]));
  const members = new Map<string, Diagram['interfaces']>();
  for (const i of d.interfaces) members.set(i.ns, [...(members.get(i.ns) ?? []), i]);
  d.boxes.forEach((b, k) => {
    out.push(`  subgraph s${k}[${quoteMermaid(b.label)}]`);
    for (const i of members.get(b.id) ?? []) out.push(`    ${node.get(i.id)}${SHAPE[i.look](quoteMermaid(i.label))}`);
    out.push('  end');
    const look = b.hub ? theme.hub : theme.box;
    out.push(`  style s${k} fill:${look.fill},stroke:${look.stroke},color:${look.text}`);
  });
  const styles: string[] = [];
  d.links.forEach((l, k) => {
    const a = node.get(l.a);
    const b = node.get(l.b);
    if (!a || !b) return;
    out.push(`  ${a} ${l.role === 'parent' ? '-->' : '---'} ${b}`);
    const look = STATE_LOOK[l.state];
    const dash = look.line === 'dashed' ? ',stroke-dasharray:6 4' : look.line === 'dotted' ? ',stroke-dasharray:2 4' : '';
    styles.push(`  linkStyle ${k} stroke:${theme.state(l.state)},stroke-width:${LINE_WIDTH[l.role]}px${dash}`);
  });
  out.push(...styles);
  out.push(`  classDef bridge fill:${theme.bridge.fill},color:${theme.bridge.text},stroke:${theme.bridge.fill}`);
  out.push(`  classDef lo fill:${theme.lo.fill},color:${theme.lo.text}`);
  for (const s of Object.keys(STATE_LOOK) as Array<keyof typeof STATE_LOOK>) {
    const dash = STATE_LOOK[s].line === 'solid' ? '' : ',stroke-dasharray:4 3';
    out.push(`  classDef ${s === 'no-carrier' ? 'nocarrier' : s} stroke:${theme.state(s)},stroke-width:2px${dash}`);
  }
  const byClass = new Map<string, string[]>();
  for (const i of d.interfaces) {
    const id = node.get(i.id) as string;
    for (const c of [i.look === 'bridge' ? 'bridge' : i.look === 'lo' ? 'lo' : null, i.state === 'no-carrier' ? 'nocarrier' : i.state]) {
      if (c) byClass.set(c, [...(byClass.get(c) ?? []), id]);
    }
  }
  for (const [c, ids] of byClass) out.push(`  class ${ids.join(',')} ${c}`);
  return `${out.join('\n')}\n`;
}
