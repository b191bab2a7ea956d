import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { firstOverlap, isPrivate, overlaps, parsePrefix } from './addresses.js';
import { labDown, labUp } from './index.js';
import { namesOf, SCENARIOS, scenariosFor } from './scenarios.js';
import { assertLabName, isLabName, LabError, MAX_LINK_NAME } from './types.js';

describe('lab scenarios (data)', () => {
  const all = SCENARIOS.map(namesOf);
  const everyName = all.flatMap((n) => [...n.namespaces, ...n.rootLinks, ...n.innerLinks]);

  it('name everything with the vlab- prefix, links within IFNAMSIZ', () => {
    for (const name of everyName) expect(isLabName(name), name).toBe(true);
    for (const n of all) for (const link of [...n.rootLinks, ...n.innerLinks]) expect(link.length, link).toBeLessThanOrEqual(MAX_LINK_NAME);
  });

  it('never reuse a name across scenarios (each can be up on its own)', () => {
    expect(new Set(everyName).size).toBe(everyName.length);
  });

  it('use private IPv4 ranges only, and no two scenarios share a network', () => {
    const byScenario = SCENARIOS.map((s) => s.veths.flat().flatMap((e) => (e.address ? [e.address] : [])));
    for (const a of byScenario.flat()) expect(isPrivate(parsePrefix(a)!), a).toBe(true);
    byScenario.forEach((mine, i) => {
      const others = byScenario.filter((_, j) => j !== i).flat();
      for (const a of mine) expect(firstOverlap(a, others), a).toBeNull();
    });
  });

  it('put every end in a declared namespace and every port on a declared bridge', () => {
    for (const s of SCENARIOS) {
      const spaces = new Set([...s.namespaces, ...s.processNamespaces]);
      for (const end of s.veths.flat()) {
        if (end.in !== null) expect(spaces.has(end.in), `${s.name}: ${end.name} in ${end.in}`).toBe(true);
        if (end.master) expect(s.bridges, `${s.name}: ${end.name}`).toContain(end.master);
      }
    }
  });

  it('offer the four scenarios from the seed posts, and all', () => {
    expect(SCENARIOS.map((s) => s.name)).toEqual(['pair', 'bridge', 'root-pair', 'container']);
    expect(scenariosFor('all')).toHaveLength(4);
    expect(scenariosFor('bridge')?.[0]?.bridges).toEqual(['vlab-br0']);
    expect(scenariosFor('nope')).toBeNull();
    // The bridge scenario has exactly one port down; only root-pair has root addresses.
    expect(scenariosFor('bridge')![0]!.veths.flat().filter((e) => !e.up).map((e) => e.name)).toEqual(['vlab-br0-h3']);
    const rootAddressed = SCENARIOS.filter((s) => s.veths.flat().some((e) => e.in === null && e.address));
    expect(rootAddressed.map((s) => s.name)).toEqual(['root-pair']);
  });
});

describe('IPv4 prefixes', () => {
  it('parses and overlaps like the kernel would route', () => {
    expect(parsePrefix('10.1.2.3/24')).toEqual({ network: 0x0a010200, length: 24 });
    expect(parsePrefix('10.1.2.3')).toEqual({ network: 0x0a010203, length: 32 });
    expect(parsePrefix('fe80::1/64')).toBeNull();
    expect(parsePrefix('300.1.1.1/8')).toBeNull();
    expect(overlaps(parsePrefix('10.0.0.0/8')!, parsePrefix('10.199.71.1/30')!)).toBe(true);
    expect(overlaps(parsePrefix('10.199.71.4/30')!, parsePrefix('10.199.71.1/30')!)).toBe(false);
    expect(firstOverlap('10.199.71.1/30', ['default', '10.0.2.15/24', '10.199.0.0/16'])).toBe('10.199.0.0/16');
    expect(firstOverlap('10.199.71.1/30', ['default', '192.168.1.0/24'])).toBeNull();
    expect(isPrivate(parsePrefix('172.20.0.1/16')!)).toBe(true);
    expect(isPrivate(parsePrefix('8.8.8.8/32')!)).toBe(false);
    expect(isPrivate(parsePrefix('0.0.0.0/0')!)).toBe(false);
  });
});

describe('lab guards', () => {
  const savedPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = savedPath;
    vi.restoreAllMocks();
  });

  it('refuses names without the prefix', () => {
    expect(() => assertLabName('eth0', 'link')).toThrow(LabError);
    expect(() => assertLabName('vlab', 'link')).toThrow(/vlab-/);
    expect(() => assertLabName('vlabx', 'namespace')).toThrow(LabError);
    expect(() => assertLabName('vlab-a', 'namespace')).not.toThrow();
  });

  it('names the scenarios when given an unknown one', async () => {
    await expect(labUp('nope', () => undefined)).rejects.toThrow(/unknown lab scenario "nope"; choose one of: all, pair, bridge, root-pair, container/);
  });

  it('says root is needed before touching anything', async () => {
    vi.spyOn(process, 'getuid').mockReturnValue(1000);
    await expect(labUp('pair', () => undefined)).rejects.toThrow(/must run as root/);
    await expect(labDown(() => undefined)).rejects.toThrow(/must run as root/);
  });

  it('names the Debian package when `ip` is missing', async () => {
    vi.spyOn(process, 'getuid').mockReturnValue(0);
    const empty = await mkdtemp(path.join(tmpdir(), 'vlab-nopath-'));
    process.env.PATH = empty;
    try {
      await expect(labUp('pair', () => undefined)).rejects.toThrow(/`ip` command was not found; install the Debian package iproute2/);
      await expect(labDown(() => undefined)).rejects.toThrow(/iproute2/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
