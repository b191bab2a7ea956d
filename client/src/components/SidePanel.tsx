import { useContext, type ReactNode } from 'react';
import { linkState, listOf, pairState, relationsOf, STATE_LOOK, type Interface, type Namespace, type Topology } from '@vethmap/shared';
import { stateColor } from '../graph/style.js';
import { DisplayContext } from '../state/theme.js';
import { confirmSteps, pairEvidence, type Step } from './commands.js';
import { CopyButton } from './CopyButton.js';

interface Props {
  topology: Topology;
  selection: string;
  onSelect: (id: string | null) => void;
  /** More sections after the details (traffic, why). */
  children?: ReactNode;
}

/**
 * Details of the selection. Every name is rendered as React text (escaped), never as HTML:
 * interface and namespace names are whatever bytes someone gave them.
 */
export function SidePanel({ topology, selection, onSelect, children }: Props) {
  // The topology's one relation index (shared/diagram/relations.ts), built once per topology.
  const rel = relationsOf(topology);
  const ifaces = rel.interfaces;
  const namespaces = rel.namespaces;
  const me = ifaces.get(selection);
  const ns = namespaces.get(selection);
  return (
    <aside className="panel" data-testid="panel" data-overlay="right" aria-label="details">
      <button type="button" className="close" onClick={() => onSelect(null)} title="Clear selection (Esc)">×</button>
      {me && me.kind === 'bridge' && <BridgeDetails bridge={me} ports={listOf(rel.ports, me.id)} ifaces={ifaces} namespaces={namespaces} onSelect={onSelect} />}
      {me && me.kind !== 'bridge' && <InterfaceDetails me={me} ifaces={ifaces} namespaces={namespaces} onSelect={onSelect} />}
      {ns && <NamespaceDetails ns={ns} ifaces={listOf(rel.members, ns.id)} onSelect={onSelect} />}
      {!me && !ns && <p className="muted">{selection} is not in the current topology (removed?).</p>}
      {children}
    </aside>
  );
}

type Lookup<T> = ReadonlyMap<string, T>;

/**
 * A state as an icon, a word and a coloured border: the word in the text colour (readable
 * in any theme), the icon and border in the state's colour. "unknown" while disconnected
 * from a live host: the last state seen may no longer be true.
 */
function StateBadge({ i, peer }: { i: Interface; peer?: Interface | undefined }) {
  const { theme, stale } = useContext(DisplayContext);
  if (stale) return <span className="badge state-unknown" title="disconnected: the state may have changed since">? unknown</span>;
  const s = peer ? pairState(i, peer) : linkState(i);
  const color = stateColor(s, theme);
  return (
    <span className={`badge state-${s}`} style={{ borderColor: color }} title={STATE_LOOK[s].hint}>
      <span aria-hidden="true" style={{ color }}>{STATE_LOOK[s].icon}</span> {STATE_LOOK[s].label}
    </span>
  );
}

function End({ title, i, ns, ifaces, cls }: { title: string; i: Interface; ns: Namespace | undefined; ifaces: Lookup<Interface>; cls: string }) {
  const master = i.master ? ifaces.get(i.master) : undefined;
  const parent = i.parent ? ifaces.get(i.parent) : undefined;
  return (
    <section className={`end ${cls}`} data-testid={`end-${cls}`}>
      <h3>{title}: <span className="mono">{i.name}</span> <StateBadge i={i} /></h3>
      <dl>
        <dt>namespace</dt><dd>{ns ? `${ns.name} (${ns.kind})` : i.namespace}</dd>
        <dt>ifindex</dt><dd className="mono" data-testid={`ifindex-${cls}`}>{i.ifindex}</dd>
        <dt>kind</dt><dd>{i.kind}</dd>
        <dt>MAC</dt><dd className="mono">{i.mac ?? '—'}</dd>
        <dt>MTU</dt><dd>{i.mtu}</dd>
        <dt>state</dt><dd>{`${i.adminUp ? 'admin up' : 'admin down'}, ${i.lowerUp ? 'carrier' : 'no carrier'}, operstate ${i.operstate}`}</dd>
        <dt>addresses</dt><dd className="mono">{i.addresses.length ? i.addresses.join(', ') : '—'}</dd>
        <dt>master</dt><dd className="mono">{master ? master.name : '—'}</dd>
        {parent && (<><dt>parent</dt><dd className="mono">{parent.name}</dd></>)}
        <dt>IFLA_LINK</dt><dd className="mono">{`ifindex ${i.link.ifindex ?? '—'}, netnsid ${i.link.netnsid ?? '— (same namespace)'}`}</dd>
      </dl>
    </section>
  );
}

/** One end's commands, under a heading naming it. */
interface CommandGroup { title: string; steps: Step[] }

/**
 * "Confirm it yourself": each end's commands under its own heading, one line each with its
 * own copy button, wrapped rather than clipped, and a note under a command whose tool a
 * minimal host may lack.
 */
function Commands({ groups }: { groups: CommandGroup[] }) {
  return (
    <section data-testid="commands">
      <h4>Confirm it yourself</h4>
      {groups.map((g) => (
        <div key={g.title} className="command-group">
          <h5>{g.title}</h5>
          <ul className="command-list">
            {g.steps.map((st) => (
              <li key={st.command} className="command">
                <code className="mono" data-testid="command">{st.command}</code>
                <CopyButton text={st.command} label={`Copy: ${st.command}`} />
                {st.needs && (
                  <p className="command-note">{`needs ${st.needs.tool}, which minimal hosts lack: apt-get install ${st.needs.package}`}</p>
                )}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

/** The heading of an end's commands: its name and namespace. */
const endTitle = (i: Interface, ns: Namespace | undefined): string => `${i.name} in ${ns?.name ?? i.namespace}`;

function InterfaceDetails({ me, ifaces, namespaces, onSelect }: { me: Interface; ifaces: Lookup<Interface>; namespaces: Lookup<Namespace>; onSelect: (id: string) => void }) {
  const peer = me.peer ? ifaces.get(me.peer) : undefined;
  const myNs = namespaces.get(me.namespace);
  const peerNs = peer ? namespaces.get(peer.namespace) : undefined;
  return (
    <>
      <h2>{peer ? 'veth pair' : me.kind} <StateBadge i={me} peer={peer} /></h2>
      <End title="This end" i={me} ns={myNs} ifaces={ifaces} cls="selected" />
      {peer && <End title="Peer" i={peer} ns={peerNs} ifaces={ifaces} cls="peer" />}
      {peer && (
        <section data-testid="evidence">
          <h4>Evidence</h4>
          <ul className="evidence">
            {pairEvidence(me, peer).map((e) => (
              <li key={e.text} className={e.ok ? 'ok' : 'bad'}>{`${e.ok ? '✓' : '✗'} ${e.text}`}</li>
            ))}
          </ul>
          <button type="button" onClick={() => onSelect(peer.id)}>Select the peer</button>
        </section>
      )}
      {!peer && me.kind === 'veth' && (
        <p className="muted">{`The peer was not resolved: IFLA_LINK ${me.link.ifindex ?? '—'} in netnsid ${me.link.netnsid ?? '—'} is in a namespace vethmap cannot see.`}</p>
      )}
      <Commands groups={[
        { title: `This end: ${endTitle(me, myNs)}`, steps: confirmSteps(me, myNs) },
        ...(peer ? [{ title: `Peer: ${endTitle(peer, peerNs)}`, steps: confirmSteps(peer, peerNs) }] : []),
      ]} />
    </>
  );
}

function BridgeDetails({ bridge, ports, ifaces, namespaces, onSelect }: { bridge: Interface; ports: readonly Interface[]; ifaces: Lookup<Interface>; namespaces: Lookup<Namespace>; onSelect: (id: string) => void }) {
  return (
    <>
      <h2>bridge</h2>
      <End title="Bridge" i={bridge} ns={namespaces.get(bridge.namespace)} ifaces={ifaces} cls="selected" />
      <h4>{`${ports.length} port${ports.length === 1 ? '' : 's'}`}</h4>
      <ul className="ports">
        {ports.slice(0, 200).map((p) => {
          const far = p.peer ? ifaces.get(p.peer) : undefined;
          const farNs = far ? namespaces.get(far.namespace) : undefined;
          return (
            <li key={p.id}>
              <button type="button" className="link" onClick={() => onSelect(p.id)}>{p.name}</button>
              {far ? ` ↔ ${far.name} in ${farNs?.name ?? far.namespace}` : ''} <StateBadge i={p} peer={far} />
            </li>
          );
        })}
      </ul>
      {ports.length > 200 && <p className="muted">{`… and ${ports.length - 200} more`}</p>}
      <Commands groups={[{ title: `Bridge: ${endTitle(bridge, namespaces.get(bridge.namespace))}`, steps: confirmSteps(bridge, namespaces.get(bridge.namespace)) }]} />
    </>
  );
}

function NamespaceDetails({ ns, ifaces, onSelect }: { ns: Namespace; ifaces: readonly Interface[]; onSelect: (id: string) => void }) {
  return (
    <>
      <h2>namespace</h2>
      <dl>
        <dt>name</dt><dd>{ns.name}</dd>
        <dt>kind</dt><dd>{ns.kind}</dd>
        <dt>inode</dt><dd className="mono">{ns.inode}</dd>
        <dt>pid</dt><dd>{ns.pid ?? '—'}</dd>
        {ns.container && (<><dt>container</dt><dd>{`${ns.container.name}${ns.container.image ? ` (${ns.container.image})` : ''}`}</dd></>)}
      </dl>
      <h4>{`${ifaces.length} interfaces`}</h4>
      <ul className="ports">
        {ifaces.map((i) => (
          <li key={i.id}><button type="button" className="link" onClick={() => onSelect(i.id)}>{i.name}</button>{` ${i.kind}`} <StateBadge i={i} /></li>
        ))}
      </ul>
    </>
  );
}
