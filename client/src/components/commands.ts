import type { Interface, Namespace } from '@vethmap/shared';

/** Quotes for a POSIX shell only when needed: names can hold anything a user typed. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_.:@%+=,/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** How to run `cmd` inside a namespace, by how vethmap found it. */
export function inNamespace(ns: Namespace | undefined, cmd: string): string {
  if (!ns || ns.kind === 'root') return cmd;
  if (ns.kind === 'named') return `ip netns exec ${shellQuote(ns.name)} ${cmd}`;
  if (ns.pid !== null) return `nsenter -t ${ns.pid} -n ${cmd}`;
  if (ns.kind === 'docker') return `nsenter --net=/var/run/docker/netns/${shellQuote(ns.name)} ${cmd}`;
  return `# no path into ${ns.id}: ${cmd}`;
}

/** `ip` itself can switch to a named namespace; the others go through inNamespace. */
function ipIn(ns: Namespace | undefined, args: string): string {
  if (ns?.kind === 'named') return `ip -n ${shellQuote(ns.name)} ${args}`;
  return inNamespace(ns, `ip ${args}`);
}

/** One command to copy, with what the host needs to run it when that may be missing. */
export interface Step {
  command: string;
  /** A tool minimal hosts lack, and the Debian package that has it. */
  needs?: { tool: string; package: string };
}

/**
 * `ip`, `bridge` (iproute2), `nsenter` (util-linux) and `cat` are on every host vethmap is
 * useful on; ethtool is not installed on minimal Debian or Ubuntu images, nor in most
 * container images.
 */
const ETHTOOL = { tool: 'ethtool', package: 'ethtool' } as const;

/**
 * Commands that confirm what the view claims about an interface, to be copied and run by
 * the user. Shown as text, never executed by vethmap.
 */
export function confirmSteps(i: Interface, ns: Namespace | undefined): Step[] {
  const name = shellQuote(i.name);
  const out: Step[] = [{ command: ipIn(ns, `-d link show ${name}`) }];
  if (i.kind === 'veth') {
    // /sys under nsenter -n still shows the caller's sysfs; `ip netns exec` remounts it.
    if (!ns || ns.kind === 'root' || ns.kind === 'named') out.push({ command: inNamespace(ns, `cat /sys/class/net/${name}/iflink`) });
    out.push({ command: inNamespace(ns, `ethtool -S ${name} | grep peer_ifindex`), needs: ETHTOOL });
    if (i.link.netnsid !== null) out.push({ command: ipIn(ns, 'netns list-id') });
  }
  if (i.kind === 'bridge') out.push({ command: ipIn(ns, `link show master ${name}`) });
  if (i.master) out.push({ command: inNamespace(ns, `bridge link show dev ${name}`) });
  if (i.addresses.length > 0) out.push({ command: ipIn(ns, `-br addr show dev ${name}`) });
  return out;
}

/** The commands alone. */
export function confirmCommands(i: Interface, ns: Namespace | undefined): string[] {
  return confirmSteps(i, ns).map((s) => s.command);
}

/** The kernel's evidence that a and b are the two ends of one veth, as sentences. */
export function pairEvidence(a: Interface, b: Interface): { text: string; ok: boolean }[] {
  const line = (x: Interface, y: Interface) => ({
    text:
      `${x.name}: IFLA_LINK = ${x.link.ifindex ?? '—'}` +
      (x.link.netnsid === null ? ' (same namespace)' : ` in netnsid ${x.link.netnsid}`) +
      `; ${y.name} has ifindex ${y.ifindex}`,
    ok: x.link.ifindex === y.ifindex,
  });
  return [line(a, b), line(b, a)];
}
