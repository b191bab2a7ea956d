import { describe, expect, it } from 'vitest';
import { parseBridgeOptions, parseBridgePort, RTM_NEWLINK } from './bridge.js';
import { messages, recorded } from '../../test/support/why-fixture.js';

/** An AF_BRIDGE RTM_NEWLINK payload built by hand: this kernel has no VLAN filtering to record from. */
function portWithVlans(vlans: Array<[flags: number, vid: number]>): Buffer {
  const attr = (type: number, value: Buffer): Buffer => {
    const b = Buffer.alloc(4 + ((value.length + 3) & ~3));
    b.writeUInt16LE(4 + value.length, 0);
    b.writeUInt16LE(type, 2);
    value.copy(b, 4);
    return b;
  };
  const ifinfo = Buffer.alloc(16);
  ifinfo.writeUInt8(7, 0); // AF_BRIDGE
  ifinfo.writeInt32LE(5, 4);
  const infos = vlans.map(([flags, vid]) => {
    const v = Buffer.alloc(4);
    v.writeUInt16LE(flags, 0);
    v.writeUInt16LE(vid, 2);
    return attr(2, v); // IFLA_BRIDGE_VLAN_INFO
  });
  const master = Buffer.alloc(4);
  master.writeUInt32LE(2, 0);
  return Buffer.concat([ifinfo, attr(3, Buffer.from('pb\0')), attr(10, master), attr(12 | 0x8000, attr(1, Buffer.from([3]))), attr(26 | 0x8000, Buffer.concat(infos))]);
}

describe('bridge codec', () => {
  it('reads port states and the bridge\'s options from recorded answers', () => {
    const ports = messages(recorded.h.ports, RTM_NEWLINK).map((m) => parseBridgePort(m.payload));
    expect(ports.map((p) => [p?.name, p?.state])).toEqual([['br0', null], ['pa', 'forwarding'], ['pb', 'forwarding']]);
    expect(ports.every((p) => p?.vlans === null)).toBe(true); // no VLAN filtering in this kernel: no IFLA_AF_SPEC
    const options = parseBridgeOptions(messages(recorded.h.bridge, RTM_NEWLINK)[0]!.payload);
    expect(options).toMatchObject({ name: 'br0', vlanFiltering: false, stpState: 0, nfCallIptables: false });
  });

  it('reads VLANs, PVID, untagged and ranges (hand-built: the recording kernel lacks VLAN filtering)', () => {
    const p = parseBridgePort(portWithVlans([[0x2 | 0x4, 10], [0x8, 20], [0x10, 22]]));
    expect(p).toMatchObject({ ifindex: 5, name: 'pb', master: 2, state: 'forwarding' });
    expect(p!.vlans).toEqual([
      { vid: 10, pvid: true, untagged: true },
      { vid: 20, pvid: false, untagged: false },
      { vid: 21, pvid: false, untagged: false },
      { vid: 22, pvid: false, untagged: false },
    ]);
  });
});
