import { HostState } from '../../src/discover/host.js';
const h = new HostState();
let t = performance.now();
h.enumerate();
console.log('full enumerate', (performance.now() - t).toFixed(1), 'ms', h.inodes().length);
h.collectAll();
h.topology(1);
for (const round of [0, 1]) {
  t = performance.now();
  for (let i = 0; i < 200; i++) h.enumerate({ named: false, processes: 'new' });
  console.log('tick enumerate', ((performance.now() - t) / 200).toFixed(3), 'ms/tick');
}
t = performance.now();
for (let i = 0; i < 10; i++) h.enumerate({ named: true, processes: 'all' });
console.log('full list', ((performance.now() - t) / 10).toFixed(1), 'ms');
const rev = h.revision;
t = performance.now();
for (let i = 0; i < 20; i++) { (h as any).forgetInterfaces(); h.topology(2); }
console.log('topology rebuild', ((performance.now() - t) / 20).toFixed(1), 'ms', rev);
{
  const lister = (h as any).lister;
  let same = 0; let prev = lister.list({ named: false, processes: 'new' });
  const t1 = performance.now();
  for (let i = 0; i < 200; i++) { const l = lister.list({ named: false, processes: 'new' }); if (l === prev) same++; prev = l; }
  console.log('lister tick', ((performance.now() - t1) / 200).toFixed(3), 'ms; unchanged', same, '/200; processes', lister.processes.size, 'shown', lister.shown.size);
}
