import { HostState } from '../../src/discover/host.js';
import { diffTopology } from '@vethmap/shared';
const h = new HostState();
h.enumerate(); h.collectAll();
let prev = h.topology(1);
const t = performance.now();
let td = 0;
for (let i = 0; i < 20; i++) { (h as any).forgetInterfaces(); const next = h.topology(2 + i); const t1 = performance.now(); diffTopology(prev, next); td += performance.now() - t1; prev = next; }
console.log('rebuild+diff', ((performance.now() - t) / 20).toFixed(1), 'ms; diff alone', (td / 20).toFixed(1));
