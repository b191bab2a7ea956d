import { describe, expect, it } from 'vitest';
import { nudStates, parseFdb, parseNeighbour, RTM_NEWNEIGH, type FdbEntry } from './neigh.js';
import { messages, recorded } from '../../test/support/why-fixture.js';

describe('neighbour codec on recorded kernel answers', () => {
  it('reads every state of the ARP cache', () => {
    const n = messages(recorded.a.neighbours, RTM_NEWNEIGH).map((m) => parseNeighbour(m.payload)).filter((x) => x !== null);
    const by = (ip: string) => n.find((x) => x.address === ip);
    expect(by('10.77.0.2')).toMatchObject({ family: 4, ifindex: 2, state: ['REACHABLE'], mac: expect.stringMatching(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/) });
    expect(by('10.77.0.77')).toMatchObject({ state: ['FAILED'], mac: null });
    expect(by('10.77.0.78')).toMatchObject({ state: ['INCOMPLETE'], mac: null });
    expect(by('10.77.0.79')).toMatchObject({ state: ['PERMANENT'], mac: '02:00:00:00:00:79' });
    expect(n.some((x) => x.family === 6 && x.state[0] === 'NOARP')).toBe(true);
  });

  it('reads the bridge FDB: learned and permanent entries per port, the device\'s own entries apart', () => {
    const fdb = messages(recorded.h.fdb, RTM_NEWNEIGH).map((m) => parseFdb(m.payload)).filter((x): x is FdbEntry => x !== null);
    const br = recorded.h.bridgeIndex;
    const learned = fdb.filter((e) => e.master === br && !e.permanent);
    expect(learned.map((e) => e.ifindex).sort()).toEqual([br + 1, br + 2]); // one MAC learned behind each port (pa, pb)
    expect(fdb.filter((e) => e.master === br && e.permanent)).toHaveLength(2); // the ports' own MACs
    expect(fdb.filter((e) => e.self).every((e) => e.master === null)).toBe(true);
    expect(nudStates(0)).toEqual(['NONE']);
    expect(nudStates(0x82)).toEqual(['REACHABLE', 'PERMANENT']);
  });
});
