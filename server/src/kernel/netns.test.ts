import { afterEach, describe, expect, it } from 'vitest';
import { linkSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NamespaceLister } from './netns.js';

/**
 * The lister's bookkeeping on a /proc made of plain files: a namespace is whatever file
 * `ns/net` is (the lister compares device and inode only), so the cases a real host gives
 * at random (a zombie, a process appearing or leaving between two looks) are set up exactly.
 */
describe('NamespaceLister', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function fakeHost(): { proc: string; process: (pid: number, netns?: string) => void; exit: (pid: number) => void; netns: (name: string) => string } {
    dir = mkdtempSync(path.join(tmpdir(), 'vethmap-lister-'));
    const proc = path.join(dir, 'proc');
    const nsdir = path.join(dir, 'ns');
    mkdirSync(nsdir);
    writeFileSync(path.join(nsdir, 'root'), '');
    const netns = (name: string): string => {
      writeFileSync(path.join(nsdir, name), '');
      return path.join(nsdir, name);
    };
    const process = (pid: number, ns?: string): void => {
      mkdirSync(path.join(proc, String(pid), 'ns'), { recursive: true });
      mkdirSync(path.join(proc, String(pid), 'task'), { recursive: true });
      // A hard link: the same inode as the namespace file, as /proc/PID/ns/net is.
      if (ns) linkSync(path.join(nsdir, ns), path.join(proc, String(pid), 'ns', 'net'));
    };
    const exit = (pid: number): void => rmSync(path.join(proc, String(pid)), { recursive: true, force: true });
    return { proc, process, exit, netns };
  }

  it('hands back the same listing while nothing changed, a zombie included, and a new one when a process comes or goes', () => {
    const h = fakeHost();
    h.process(1, 'root');
    h.netns('c1');
    h.process(40, 'c1');
    h.process(41); // a zombie: in /proc, without ns/net
    const lister = new NamespaceLister({ procRoot: h.proc, namedDirs: [] });
    const first = lister.list({ named: true, processes: 'all' });
    expect(first.entries.map((e) => [e.kind, e.pids])).toEqual([['root', [1]], ['process', [40]]]);
    let last = first;
    for (let i = 0; i < 6; i++) {
      const again = lister.list({ named: false, processes: 'new' });
      expect(again).toBe(last);
      last = again;
    }
    h.netns('c2');
    h.process(50, 'c2');
    const withNew = lister.list({ named: false, processes: 'new' });
    expect(withNew).not.toBe(last);
    expect(withNew.entries.map((e) => e.pids)).toEqual([[1], [40], [50]]);
    h.exit(40);
    const withoutOld = lister.list({ named: false, processes: 'new' });
    expect(withoutOld.entries.map((e) => e.pids)).toEqual([[1], [50]]);
    expect(lister.list({ named: false, processes: 'new' })).toBe(withoutOld);
  });

  it('names a namespace first seen through its process when a named folder already holds it (`ip netns add` caught before its mount was read)', () => {
    const h = fakeHost();
    const named = path.join(dir, 'named');
    mkdirSync(named);
    h.process(1, 'root');
    const lister = new NamespaceLister({ procRoot: h.proc, namedDirs: [{ dir: named, kind: 'named' }] });
    lister.list({ named: true, processes: 'all' });
    // Both before the next look for new processes: the namespace, held by `ip`, and its mount.
    h.netns('c');
    h.process(60, 'c');
    linkSync(path.join(dir, 'ns', 'c'), path.join(named, 'c'));
    const next = lister.list({ named: false, processes: 'new' });
    expect(next.entries.map((e) => [e.kind, e.name, e.pids])).toEqual([['root', null, [1]], ['named', 'c', [60]]]);
  });

  it('holds back a namespace seen only through a new process while a named folder holds a file not mounted yet (`ip netns add` between its unshare and its mount)', () => {
    const h = fakeHost();
    const named = path.join(dir, 'named');
    mkdirSync(named);
    // A file on another file system than the namespaces stands for one not mounted yet.
    const other = mkdtempSync('/dev/shm/vethmap-lister-');
    try {
      expect(statSync(other).dev).not.toBe(statSync(dir).dev);
      writeFileSync(path.join(other, 'c'), '');
      h.process(1, 'root');
      const lister = new NamespaceLister({ procRoot: h.proc, namedDirs: [{ dir: named, kind: 'named' }] });
      lister.list({ named: true, processes: 'all' });
      symlinkSync(path.join(other, 'c'), path.join(named, 'c'));
      h.netns('c');
      h.process(60, 'c');
      expect(lister.list({ named: true, processes: 'new' }).entries.map((e) => e.kind)).toEqual(['root']);
      // The mount: the same namespace, named, with its process.
      unlinkSync(path.join(named, 'c'));
      linkSync(path.join(dir, 'ns', 'c'), path.join(named, 'c'));
      expect(lister.list({ named: true, processes: 'new' }).entries.map((e) => [e.kind, e.name, e.pids])).toEqual([['root', null, [1]], ['named', 'c', [60]]]);
      // A one-shot listing (`vethmap snapshot`) holds nothing back.
      unlinkSync(path.join(named, 'c'));
      symlinkSync(path.join(other, 'c'), path.join(named, 'c'));
      const once = new NamespaceLister({ procRoot: h.proc, namedDirs: [{ dir: named, kind: 'named' }] }).list({ named: true, processes: 'all' });
      expect(once.entries.map((e) => [e.kind, e.pids])).toEqual([['root', [1]], ['process', [60]]]);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it("lists /proc for new processes only when a pid was handed out since (loadavg's last pid), yet sees a shown holder leave", () => {
    const h = fakeHost();
    const lastPid = (pid: number): void => writeFileSync(path.join(h.proc, 'loadavg'), `0.00 0.01 0.05 1/120 ${pid}\n`);
    h.process(1, 'root');
    h.netns('c1');
    h.process(40, 'c1');
    lastPid(40);
    const lister = new NamespaceLister({ procRoot: h.proc, namedDirs: [] });
    const first = lister.list({ named: true, processes: 'all' });
    for (let i = 0; i < 5; i++) expect(lister.list({ named: false, processes: 'new' })).toBe(first);
    // A process the kernel could not have made (the last pid did not move) is not looked
    // for: proof that /proc was not listed. The full listing finds it.
    h.netns('c2');
    h.process(50, 'c2');
    expect(lister.list({ named: false, processes: 'new' })).toBe(first);
    expect(lister.list({ named: false, processes: 'all' }).entries.map((e) => e.pids)).toEqual([[1], [40], [50]]);
    // A real new process moves the last pid: seen at the next look.
    h.netns('c3');
    h.process(60, 'c3');
    lastPid(60);
    expect(lister.list({ named: false, processes: 'new' }).entries.map((e) => e.pids)).toEqual([[1], [40], [50], [60]]);
    for (let i = 0; i < 5; i++) lister.list({ named: false, processes: 'new' }); // no longer young
    // A holder leaving moves no pid: its namespace's shown-holder check sees it.
    h.exit(40);
    expect(lister.list({ named: false, processes: 'new' }).entries.map((e) => e.pids)).toEqual([[1], [50], [60]]);
  });
});
