/**
 * Bridges as the bridge module describes them: each port's STP state and VLANs (an
 * RTM_GETLINK dump with family AF_BRIDGE and RTEXT_FILTER_BRVLAN, as `bridge -d link` and
 * `bridge vlan` make) and the bridge device's own options (IFLA_INFO_DATA of its link:
 * vlan_filtering, nf_call_iptables). Pure codecs; layouts from include/uapi/linux/{if_link,if_bridge}.h.
 */
import { attributes, cString, header, nextSeq, RTM_GETLINK, RTM_NEWLINK } from './rtnetlink.js';

export { RTM_NEWLINK };

const NLM_F_REQUEST = 0x1;
const NLM_F_DUMP = 0x300;
const AF_BRIDGE = 7;

const IFLA_IFNAME = 3;
const IFLA_MASTER = 10;
const IFLA_PROTINFO = 12;
const IFLA_LINKINFO = 18;
const IFLA_EXT_MASK = 29;
const IFLA_AF_SPEC = 26;
const IFLA_INFO_KIND = 1;
const IFLA_INFO_DATA = 2;
const RTEXT_FILTER_BRVLAN = 1 << 1;
const RTEXT_FILTER_SKIP_STATS = 1 << 3;

const IFLA_BRPORT_STATE = 1;
const IFLA_BRIDGE_VLAN_INFO = 2;
const BRIDGE_VLAN_INFO_PVID = 1 << 1;
const BRIDGE_VLAN_INFO_UNTAGGED = 1 << 2;
const BRIDGE_VLAN_INFO_RANGE_BEGIN = 1 << 3;
const BRIDGE_VLAN_INFO_RANGE_END = 1 << 4;

const IFLA_BR_STP_STATE = 5;
const IFLA_BR_VLAN_FILTERING = 7;
const IFLA_BR_NF_CALL_IPTABLES = 36;
const IFLA_BR_NF_CALL_IP6TABLES = 37;
const IFLA_BR_VLAN_DEFAULT_PVID = 39;

/** BR_STATE_* in kernel order, as `bridge link` prints them. */
const PORT_STATES = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'];

/** One VLAN of a bridge port (struct bridge_vlan_info in IFLA_AF_SPEC). */
export interface PortVlan {
  vid: number;
  /** BRIDGE_VLAN_INFO_PVID: untagged frames arriving on the port are put in this VLAN. */
  pvid: boolean;
  /** BRIDGE_VLAN_INFO_UNTAGGED: frames of this VLAN leave the port untagged. */
  untagged: boolean;
}

/** A bridge port (or, for `self` entries, the bridge device itself) from an AF_BRIDGE link dump. */
export interface BridgePort {
  ifindex: number;
  name: string;
  /** IFLA_MASTER: the bridge's ifindex (equal to ifindex for the bridge device itself). */
  master: number | null;
  /** IFLA_PROTINFO/IFLA_BRPORT_STATE: disabled, listening, learning, forwarding, blocking; null when absent. */
  state: string | null;
  /** IFLA_AF_SPEC/IFLA_BRIDGE_VLAN_INFO; null when the kernel sent none (no VLAN filtering support). */
  vlans: PortVlan[] | null;
}

/** The bridge device's options (IFLA_LINKINFO/IFLA_INFO_DATA), `ip -d link show type bridge`. */
export interface BridgeOptions {
  ifindex: number;
  name: string;
  /** IFLA_BR_VLAN_FILTERING. */
  vlanFiltering: boolean;
  /** IFLA_BR_VLAN_DEFAULT_PVID, null when not reported. */
  defaultPvid: number | null;
  /** IFLA_BR_STP_STATE: 0 off, 1 kernel STP, 2 user STP. */
  stpState: number | null;
  /** IFLA_BR_NF_CALL_IPTABLES: this bridge's own switch for passing IPv4 to iptables (br_netfilter). */
  nfCallIptables: boolean | null;
  nfCallIp6tables: boolean | null;
}

/** `bridge -d link show` + `bridge vlan show`: AF_BRIDGE link dump with the ports' VLANs. */
export function bridgePortDumpRequest(): Buffer {
  const b = header(16 + 16 + 8, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, nextSeq());
  b.writeUInt8(AF_BRIDGE, 16);
  b.writeUInt16LE(8, 32);
  b.writeUInt16LE(IFLA_EXT_MASK, 34);
  b.writeUInt32LE(RTEXT_FILTER_BRVLAN | RTEXT_FILTER_SKIP_STATS, 36);
  return b;
}

function vlansOf(afSpec: Buffer): PortVlan[] {
  const out: PortVlan[] = [];
  let rangeStart: number | null = null;
  for (const [type, value] of attributes(afSpec, 0)) {
    if (type !== IFLA_BRIDGE_VLAN_INFO || value.length < 4) continue;
    const flags = value.readUInt16LE(0);
    const vid = value.readUInt16LE(2);
    const base = { pvid: (flags & BRIDGE_VLAN_INFO_PVID) !== 0, untagged: (flags & BRIDGE_VLAN_INFO_UNTAGGED) !== 0 };
    if (flags & BRIDGE_VLAN_INFO_RANGE_BEGIN) {
      rangeStart = vid;
      continue;
    }
    const from = flags & BRIDGE_VLAN_INFO_RANGE_END && rangeStart !== null ? rangeStart : vid;
    for (let v = from; v <= vid; v++) out.push({ vid: v, ...base });
    rangeStart = null;
  }
  return out;
}

/** Decodes one AF_BRIDGE RTM_NEWLINK payload; null for other families. */
export function parseBridgePort(payload: Buffer): BridgePort | null {
  if (payload.readUInt8(0) !== AF_BRIDGE) return null;
  const port: BridgePort = { ifindex: payload.readInt32LE(4), name: '', master: null, state: null, vlans: null };
  for (const [type, value] of attributes(payload, 16)) {
    switch (type) {
      case IFLA_IFNAME: port.name = cString(value); break;
      case IFLA_MASTER: port.master = value.readUInt32LE(0); break;
      case IFLA_PROTINFO:
        for (const [t, v] of attributes(value, 0)) {
          if (t === IFLA_BRPORT_STATE) port.state = PORT_STATES[v.readUInt8(0)] ?? String(v.readUInt8(0));
        }
        break;
      case IFLA_AF_SPEC: port.vlans = vlansOf(value); break;
    }
  }
  return port;
}

/** Decodes the bridge options of an AF_UNSPEC RTM_NEWLINK payload; null when the link is not a bridge. */
export function parseBridgeOptions(payload: Buffer): BridgeOptions | null {
  let name = '';
  let options: BridgeOptions | null = null;
  for (const [type, value] of attributes(payload, 16)) {
    if (type === IFLA_IFNAME) name = cString(value);
    if (type !== IFLA_LINKINFO) continue;
    let kind = '';
    let data: Buffer | null = null;
    for (const [t, v] of attributes(value, 0)) {
      if (t === IFLA_INFO_KIND) kind = cString(v);
      if (t === IFLA_INFO_DATA) data = v;
    }
    if (kind !== 'bridge') return null;
    options = { ifindex: payload.readInt32LE(4), name: '', vlanFiltering: false, defaultPvid: null, stpState: null, nfCallIptables: null, nfCallIp6tables: null };
    for (const [t, v] of data ? attributes(data, 0) : []) {
      switch (t) {
        case IFLA_BR_VLAN_FILTERING: options.vlanFiltering = v.readUInt8(0) !== 0; break;
        case IFLA_BR_VLAN_DEFAULT_PVID: options.defaultPvid = v.readUInt16LE(0); break;
        case IFLA_BR_STP_STATE: options.stpState = v.readUInt32LE(0); break;
        case IFLA_BR_NF_CALL_IPTABLES: options.nfCallIptables = v.readUInt8(0) !== 0; break;
        case IFLA_BR_NF_CALL_IP6TABLES: options.nfCallIp6tables = v.readUInt8(0) !== 0; break;
      }
    }
  }
  if (options) options.name = name;
  return options;
}
