// A lab of N namespaces on a bridge and the real server, held until Ctrl-C (then removed):
// `npx tsx e2e/support/lab-server.ts 1000`. Prints the URL and the first namespace's name,
// for probing the page at scale without rebuilding the lab each time.
import { Lab, leftovers } from './lab.js';
import { startServer } from './server.js';

const n = Number(process.argv[2] ?? 100);
const lab = new Lab();
let stop = async (): Promise<void> => undefined;
const quit = () => {
  void stop().then(() => lab.cleanup()).then(async () => {
    const left = await leftovers();
    if (left.length) console.error('LEFT BEHIND', left);
  }).finally(() => process.exit(130));
};
process.once('SIGINT', quit);
process.once('SIGTERM', quit);
const br = lab.name('br');
await lab.addBridge(br);
for (let k = 0; k < n; k++) {
  const ns = await lab.addNamespace(lab.name(`n${k}`));
  await lab.addVeth(lab.name(`p${k}`), null, 'eth0', ns);
  await lab.ip('link', 'set', lab.name(`p${k}`), 'master', br);
}
const s = await startServer();
stop = s.stop;
console.log(JSON.stringify({ url: s.url, first: lab.name('n0') }));
setInterval(() => undefined, 1 << 30);
