import type { LinkRef, NamespaceRef, TimelineChange, TimelineEntry } from './timeline.js';

/** How a name is shown: the page quotes with typographic quotes, the terminal escapes too. */
export type Quote = (name: string) => string;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * One timeline entry as a sentence, the same on the page and in `vethmap events`:
 * `"eth0" in "blue": up → down`. Names go through `q` (never trusted as markup or terminal
 * text by the caller: the page renders text nodes, the CLI escapes).
 */
export function describeEntry(e: TimelineEntry | TimelineChange, q: Quote): string {
  const ns = (n: NamespaceRef): string => q(n.name);
  const at = (l: LinkRef): string => `${q(l.name)} in ${ns(l.namespace)}`;
  switch (e.kind) {
    case 'namespace-added':
      return `namespace ${ns(e.namespace)} (${e.namespace.kind}) appeared with ${plural(e.interfaces, 'interface')}`;
    case 'namespace-removed':
      return `namespace ${ns(e.namespace)} (${e.namespace.kind}) vanished with ${plural(e.interfaces, 'interface')}`;
    case 'namespace-renamed':
      return `namespace ${q(e.from)} is now ${ns(e.namespace)}`;
    case 'link-added':
      return `${at(e.link)} added (${e.link.kind}, ${e.state})${e.peer ? `, peer ${at(e.peer)}` : ''}`;
    case 'link-removed':
      return `${at(e.link)} removed (${e.link.kind})${e.peer ? `, its peer was ${at(e.peer)}` : ''}`;
    case 'link-renamed':
      return `${q(e.from)} in ${ns(e.link.namespace)} renamed ${q(e.link.name)}`;
    case 'link-moved':
      return `${q(e.from.name)} moved from ${ns(e.from.namespace)} to ${ns(e.link.namespace)}${e.from.name === e.link.name ? '' : ` as ${q(e.link.name)}`}`;
    case 'link-state':
      return `${at(e.link)}: ${e.from} → ${e.to}`;
    case 'address-added':
      return `${at(e.link)}: address ${e.address} added`;
    case 'address-removed':
      return `${at(e.link)}: address ${e.address} removed`;
    case 'master-changed':
      if (!e.from && e.to) return `${at(e.link)} joined ${q(e.to.name)}`;
      if (e.from && !e.to) return `${at(e.link)} left ${q(e.from.name)}`;
      return `${at(e.link)} moved from ${q(e.from?.name ?? '?')} to ${q(e.to?.name ?? '?')}`;
    case 'peer-resolved':
      return `${at(e.link)}: peer is ${at(e.peer)}`;
    case 'peer-lost':
      return `${at(e.link)}: peer ${at(e.peer)} no longer visible`;
  }
}
