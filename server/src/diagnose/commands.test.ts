import { describe, expect, it } from 'vitest';
import type { Namespace } from '@vethmap/shared';
import { Commands, shellWord } from './commands.js';

const ns = (fields: Partial<Namespace>): Namespace => ({ id: 'ns:1', inode: 1, kind: 'named', name: 'blue', pid: null, container: null, ...fields });

describe('commands shown in a report', () => {
  it('quote every word a shell would change', () => {
    expect(shellWord('eth0')).toBe('eth0');
    expect(shellWord('a b')).toBe("'a b'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
    expect(shellWord('$(reboot)')).toBe("'$(reboot)'");
  });

  it('enter the namespace the way a user would', () => {
    expect(new Commands(ns({}), null).ip('link', 'show')).toBe('ip -n blue link show');
    expect(new Commands(ns({ kind: 'root', name: 'root' }), null).run('sysctl', 'net.ipv4.ip_forward')).toBe('sysctl net.ipv4.ip_forward');
    expect(new Commands(ns({ kind: 'process', name: 'pid 42 (sleep)', pid: 42 }), null).ip('route')).toBe('nsenter -t 42 -n ip route');
    expect(new Commands(ns({ kind: 'docker', name: 'web', pid: null }), '/var/run/docker/netns/abc').run('nft', 'list', 'ruleset')).toBe('nsenter --net=/var/run/docker/netns/abc nft list ruleset');
    expect(new Commands(ns({ name: 'my ns' }), null).bridge('fdb', 'show')).toBe("bridge -n 'my ns' fdb show");
  });
});
