import { describe, expect, it } from 'vitest';
import { makeTopology } from '../testing/fixture.js';
import { searchTopology } from './search.js';

describe('searchTopology', () => {
  const t = makeTopology(30, { hostile: true });

  it('finds an interface by exact name first', () => {
    expect(searchTopology(t, 'veth1003')[0]?.id).toBe('nif:4026531840:13');
  });
  it('finds an interface by IP with or without prefix length', () => {
    expect(searchTopology(t, '172.17.0.5')[0]).toMatchObject({ field: 'ip', rank: 0 });
    expect(searchTopology(t, '172.17.0.5/16')[0]?.field).toBe('ip');
  });
  it('finds by MAC in any case and with dashes', () => {
    const mac = t.interfaces[5]?.mac ?? '';
    expect(searchTopology(t, mac.toUpperCase().replace(/:/g, '-'))[0]?.id).toBe(t.interfaces[5]?.id);
  });
  it('finds namespaces, hostile names included, as text', () => {
    expect(searchTopology(t, '<svg')[0]).toMatchObject({ field: 'namespace', label: 'namespace <svg onload=alert(1)>' });
    expect(searchTopology(t, 'chain-a')[0]?.id).toBe('ns:4026540840');
  });
  it('returns nothing for an empty query and caps results', () => {
    expect(searchTopology(t, '  ')).toEqual([]);
    expect(searchTopology(t, 'eth', 5)).toHaveLength(5);
  });
});
