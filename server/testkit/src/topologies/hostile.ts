import type { Topology } from '@vethmap/shared';
import { TopologyBuilder } from './builder.js';

/**
 * Names that break naive writers of SVG, DOT, Mermaid and draw.io XML. Namespace names
 * are file names under /var/run/netns (any byte but `/` and NUL) or a process's comm;
 * interface names are kept hostile too, though the kernel forbids `/`, `:` and spaces.
 */
export const HOSTILE_NAMES: readonly string[] = [
  '<svg onload=alert(1)>',
  'quote"double',
  "quote'single",
  'back\\slash\\N\\G\\L\\n',
  'new\nline',
  'carriage\rreturn\ttab',
  'amp&amp;&lt;',
  'ctrl\u0001\u0007\u001b[31mred',
  'bidi\u202egnp.exe',
  'arrow-->x',
  'cdata]]>end',
  'end',
  'subgraph',
  'click x call alert(1)',
  '%%{init: {"theme":"dark"}}%%',
  'style x fill:#f00',
  'graph TD;A-->B',
  '[brackets](parens){braces}',
  '#quot;entity#59;',
  '`markdown` **bold**',
  'emoji 🐳 ünïcödé',
  'lone\ud800surrogate',
  '',
];

/** Every hostile name as a namespace (with a veth to a root bridge) and as an interface. */
export function hostileTopology(): Topology {
  const t = new TopologyBuilder('host"<&>\n\u202e');
  const root = t.ns('root', 'root', 1);
  t.lo(root);
  const br = t.bridge(root, 'br<&">');
  HOSTILE_NAMES.forEach((name, k) => {
    const ns = t.ns(name, k % 3 === 0 ? 'process' : 'named', k % 3 === 0 ? 100 + k : null);
    t.lo(ns);
    t.veth([ns, name], [root, `p${k}${name}`.slice(0, 15), { master: br }]);
  });
  const a = t.ns('end');
  const b = t.ns('-->');
  t.veth([a, 'subgraph'], [b, 'end', { up: false }]);
  return t.build();
}
