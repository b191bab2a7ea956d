import { HostState } from '../../src/discover/host.js';
import { diffTopology } from '@vethmap/shared';
const h = new HostState();
h.enumerate(); h.collectAll();
let prev = h.topology(1);
const inodes = h.inodes();
let t = performance.now();
for (let i = 0; i < 20; i++) { (h as any).forgetInterfaces(); const next = h.topology(2 + i); diffTopology(prev, next); prev = next; }
console.log('relations only + diff', ((performance.now() - t) / 20).toFixed(1), 'ms');
t = performance.now();
for (let i = 0; i < 20; i++) { h.collect(inodes[i * 7]!); const next = h.topology(2 + i); const d = diffTopology(prev, next); prev = next; if (i === 0) console.log('diff of a re-read', d ? d.interfaces.upsert.length : null); }
console.log('one namespace re-read + rebuild + diff', ((performance.now() - t) / 20).toFixed(1), 'ms');
