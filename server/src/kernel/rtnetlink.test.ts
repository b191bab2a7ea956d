import { describe, expect, it } from 'vitest';
import { linkGetByNameRequest, NetlinkError, parseAddress, parseLink, parseMessages, nsidRequest } from './rtnetlink.js';
import { loadScenario } from '../../test/support/fixture.js';

describe('rtnetlink decoding of recorded kernel output', () => {
  const { scans, prefix } = loadScenario('shared-names');
  const a = scans.a!;
  const root = scans.root!;

  it('reads names, kinds, flags and link attributes', () => {
    const eth0 = a.links.find((l) => l.name === 'eth0');
    expect(eth0).toMatchObject({ ifindex: 2, infoKind: 'veth', adminUp: true, mtu: 1500, linkNetnsid: expect.any(Number) });
    expect(eth0?.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    const lo = a.links.find((l) => l.name === 'lo');
    expect(lo).toMatchObject({ ifindex: 1, loopback: true, infoKind: null });
    const br = root.links.find((l) => l.name === `${prefix}br`);
    expect(br?.infoKind).toBe('bridge');
    const port = root.links.find((l) => l.name === `${prefix}ra`);
    expect(port?.master).toBe(br?.ifindex);
    expect(a.links.find((l) => l.name === 'mv0')?.infoKind).toBe('macvlan');
  });

  it('reads IPv4 and IPv6 addresses with their prefix', () => {
    const cidrs = a.addrs.filter((x) => x.ifindex === 2).map((x) => x.cidr);
    expect(cidrs).toContain('10.99.0.2/24');
    expect(cidrs).toContain('fd00:99::2/64');
  });

  it('formats IPv6 the RFC 5952 way', () => {
    const payload = (bytes: number[]): Buffer => {
      const b = Buffer.alloc(8 + 20);
      b.writeUInt8(10, 0);
      b.writeUInt8(64, 1);
      b.writeUInt16LE(20, 8);
      b.writeUInt16LE(1, 10);
      Buffer.from(bytes).copy(b, 12);
      return b;
    };
    const zeros = new Array<number>(16).fill(0);
    expect(parseAddress(payload(zeros))?.cidr).toBe('::/64');
    expect(parseAddress(payload([0xfe, 0x80, ...new Array<number>(13).fill(0), 1]))?.cidr).toBe('fe80::1/64');
    expect(parseAddress(payload([0x20, 1, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]))?.cidr).toBe('2001:db8:0:1::1/64');
    expect(parseAddress(payload([0x20, 1, 0x0d, 0xb8, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]))?.cidr).toBe('2001:db8:1:0:1::1/64');
  });

  it('stops at truncated input instead of reading past it', () => {
    const full = Buffer.from(loadScenario('shared-names').recorded.namespaces.a!.links, 'hex');
    const cut = full.subarray(0, full.length - 7);
    const messages = parseMessages(cut);
    expect(messages.length).toBeLessThan(parseMessages(full).length);
    expect(() => messages.map((m) => parseLink(m.payload))).not.toThrow();
  });

  it('turns a netlink error reply into an error with the errno', () => {
    const b = Buffer.alloc(36);
    b.writeUInt32LE(36, 0);
    b.writeUInt16LE(2, 4); // NLMSG_ERROR
    b.writeInt32LE(-1, 16); // -EPERM
    expect(() => parseMessages(b)).toThrow(NetlinkError);
    expect(parseMessages(b, false)).toHaveLength(1);
  });

  it('encodes the NETNSA_FD attribute of an nsid question', () => {
    const req = nsidRequest(42);
    expect(req.readUInt32LE(0)).toBe(req.length);
    expect(req.readUInt16LE(4)).toBe(90);
    expect(req.readUInt16LE(22)).toBe(3);
    expect(req.readUInt32LE(24)).toBe(42);
  });

  it('asks for one link by name: IFLA_IFNAME, NUL-terminated and padded, index 0', () => {
    const req = linkGetByNameRequest('eth\x1b0');
    expect(req.readUInt32LE(0)).toBe(req.length);
    expect(req.length % 4).toBe(0);
    expect(req.readUInt16LE(4)).toBe(18); // RTM_GETLINK
    expect(req.readUInt16LE(6)).toBe(1); // NLM_F_REQUEST, not a dump
    expect(req.readInt32LE(20)).toBe(0); // ifi_index: look up by name
    expect(req.readUInt16LE(40)).toBe(4 + 6); // nlattr header + "eth\x1b0\0"
    expect(req.readUInt16LE(42)).toBe(3); // IFLA_IFNAME
    expect(req.subarray(44, 50)).toEqual(Buffer.from('eth\x1b0\0', 'latin1'));
  });
});
