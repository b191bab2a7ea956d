import { linkState, pairState, type Interface, type Namespace } from '@vethmap/shared';
import { findPeer, type PeerReport } from '../peer.js';
import { AmbiguousError, ExitCode } from '../errors.js';
import { escapeText, jsonForTerminal, quote } from '../terminal.js';
import { containerLabeller } from './labels.js';

export interface PeerCommandOptions {
  netns?: string;
  json?: boolean;
}

function where(n: Namespace): string {
  return `${quote(n.name)} (${n.kind}, inode ${n.inode})`;
}

function describe(i: Interface, masters: Interface[]): string {
  const master = masters.find((m) => m.id === i.master);
  return `ifindex ${i.ifindex}, kind ${i.kind}, ${linkState(i)}${master ? `, master ${quote(master.name)}` : ''}`;
}

function addresses(i: Interface): string {
  return `  addresses: ${i.addresses.length ? i.addresses.join(', ') : 'none'}`;
}

/** What `vethmap peer` prints: the answer first, then the evidence a user can re-check. */
export function formatPeer(r: PeerReport): string {
  const i = r.interface;
  const lines = [`${quote(i.name)} in namespace ${where(r.namespace)}: ${describe(i, r.masters)}`, addresses(i)];
  if (i.kind !== 'veth') {
    lines.push('not a veth: it has no peer');
    return lines.join('\n');
  }
  if (!r.peer || !r.peerNamespace) {
    lines.push(`peer: unknown (IFLA_LINK ${i.link.ifindex ?? i.ifindex}, link-netnsid ${i.link.netnsid ?? 'none'}): ${r.unresolved ?? 'not visible to vethmap'}`);
    return lines.join('\n');
  }
  const p = r.peer;
  lines.push(`peer: ${quote(p.name)} in namespace ${where(r.peerNamespace)}: ${describe(p, r.masters)}`, addresses(p));
  lines.push(`pair: ${pairState(i, p)}`);
  lines.push('evidence:');
  lines.push(`  ${quote(i.name)}: IFLA_LINK (iflink) = ${i.link.ifindex ?? i.ifindex} = peer ifindex; link-netnsid = ${i.link.netnsid ?? 'none (same namespace)'}`);
  lines.push(`  ${quote(p.name)}: IFLA_LINK (iflink) = ${p.link.ifindex ?? p.ifindex} = this ifindex; link-netnsid = ${p.link.netnsid ?? 'none (same namespace)'}`);
  if (i.link.netnsid !== null && p.link.netnsid !== null) {
    lines.push(`  the kernel confirms namespace ${quote(r.namespace.name)} calls ${quote(r.peerNamespace.name)} nsid ${i.link.netnsid}, and ${quote(r.peerNamespace.name)} calls ${quote(r.namespace.name)} nsid ${p.link.netnsid}`);
  }
  return lines.join('\n');
}

/** `--json`: the report with each end's state spelled out. */
export function peerJson(r: PeerReport): object {
  return {
    interface: r.interface,
    namespace: r.namespace,
    peer: r.peer,
    peerNamespace: r.peerNamespace,
    masters: r.masters,
    state: {
      interface: linkState(r.interface),
      peer: r.peer ? linkState(r.peer) : null,
      pair: r.peer ? pairState(r.interface, r.peer) : null,
    },
    unresolved: r.unresolved,
    warnings: r.warnings,
  };
}

export async function run(ifname: string, opts: PeerCommandOptions): Promise<void> {
  let report: PeerReport;
  try {
    report = await findPeer(ifname, opts.netns, { label: containerLabeller(undefined) });
  } catch (err) {
    // Scripts get the candidates on stdout; the message goes to stderr like any error.
    if (opts.json && err instanceof AmbiguousError) process.stdout.write(`${jsonForTerminal(err.details, 2)}\n`);
    throw err;
  }
  for (const w of report.warnings) process.stderr.write(`vethmap: warning: ${escapeText(w)}\n`);
  process.stdout.write(opts.json ? `${jsonForTerminal(peerJson(report), 2)}\n` : `${formatPeer(report)}\n`);
  if (report.denied) {
    process.stderr.write(`vethmap: ${escapeText(report.unresolved ?? 'not allowed to read a namespace')}\n`);
    process.exitCode = ExitCode.denied;
  }
}
