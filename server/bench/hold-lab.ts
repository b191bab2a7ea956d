// Ad-hoc (not committed): builds the bench lab of N namespaces and holds it until SIGINT/SIGTERM.
import { NetBuilder } from '@vethmap/testkit';
import { buildLab, teardownLab } from './lab.js';
const n = Number(process.argv[2] ?? 1000);
const net = new NetBuilder('vmi');
const t0 = Date.now();
buildLab(net, n);
console.log(`built ${n} prefix=${net.prefix} in ${Date.now() - t0} ms`);
const quit = () => { teardownLab(net); console.log('torn down'); process.exit(0); };
process.once('SIGINT', quit); process.once('SIGTERM', quit);
setInterval(() => undefined, 1 << 30);
