import { describe, expect, it } from 'vitest';
import { addressAt, linkAt, linkGetByNameRequest, NetlinkError, parseAddress, parseLink, parseMessages, nsidRequest } from './rtnetlink.js';
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

  it('decodes a message where it lies in a larger buffer as it decodes the message alone', () => {
    for (const key of ['links', 'addrs'] as const) {
      const full = Buffer.from(loadScenario('shared-names').recorded.namespaces.root![key], 'hex');
      let off = 0;
      for (const m of parseMessages(full)) {
        const start = off + 16, end = off + 16 + m.payload.length;
        off += (m.payload.length + 16 + 3) & ~3;
        if (m.type === 16) expect(linkAt(full, start, end)).toEqual(parseLink(m.payload));
        if (m.type === 20) expect(addressAt(full, start, end)).toEqual(parseAddress(m.payload));
      }
    }
  });

  it('skips an attribute too short for its type instead of reading its neighbour', () => {
    const attr = (type: number, value: Buffer): Buffer => {
      const b = Buffer.alloc((4 + value.length + 3) & ~3);
      b.writeUInt16LE(4 + value.length, 0);
      b.writeUInt16LE(type, 2);
      value.copy(b, 4);
      return b;
    };
    const ifinfo = Buffer.alloc(16);
    ifinfo.writeInt32LE(7, 4);
    // IFLA_MTU (4) with 2 bytes, IFLA_LINK (5) with none, then IFLA_IFNAME (3).
    const payload = Buffer.concat([ifinfo, attr(4, Buffer.from([0xdc, 0x05])), attr(5, Buffer.alloc(0)), attr(3, Buffer.from('veth0\0'))]);
    expect(parseLink(payload)).toMatchObject({ ifindex: 7, mtu: 0, link: null, name: 'veth0' });
    // An IPv6 address of 4 bytes is no address.
    const ifaddr = Buffer.alloc(8);
    ifaddr.writeUInt8(10, 0);
    ifaddr.writeUInt8(64, 1);
    expect(parseAddress(Buffer.concat([ifaddr, attr(1, Buffer.from([0xfe, 0x80, 0, 0]))]))).toBeNull();
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
