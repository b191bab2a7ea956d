import { NamespaceLister } from '../../src/kernel/netns.js';
const l = new NamespaceLister() as any;
l.list({ named: true, processes: 'all' });
const orig = l.readProcesses.bind(l);
const origNamed = l.readNamed.bind(l);
for (let i = 0; i < 5; i++) {
  const before = new Map([...l.processes].map(([k, v]: [number, any]) => [k, JSON.stringify(v.threads)]));
  const ch = orig(false);
  const after = new Map([...l.processes].map(([k, v]: [number, any]) => [k, JSON.stringify(v.threads)]));
  const diffs = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
  console.log('changed', ch, diffs.slice(0, 5), diffs.map((k) => `${before.get(k)?.slice(0, 80)} -> ${after.get(k)?.slice(0, 80)}`).slice(0, 3));
}
console.log('named changed?', origNamed(l.named.values().next().value?.[0]?.stat.dev));
