// A lab of N namespaces on a bridge and the real server, held until Ctrl-C (then removed):
// `npx tsx e2e/support/lab-server.ts 1000`. Prints the URL and the first namespace's name,
// for probing the page at scale without rebuilding the lab each time.
import { NetBuilder, startServe } from '@vethmap/testkit';

const n = Number(process.argv[2] ?? 100);
const lab = new NetBuilder('vme2e');
let stop = async (): Promise<void> => undefined;
const quit = () => {
  void stop().then(() => lab.cleanup()).then(async () => {
    const left = lab.leftovers();
    if (left.length) console.error('LEFT BEHIND', left);
  }).finally(() => process.exit(130));
};
process.once('SIGINT', quit);
process.once('SIGTERM', quit);
const br = lab.name('br');
lab.bridge(br);
for (let k = 0; k < n; k++) {
  const ns = lab.netnsNamed(lab.name(`n${k}`));
  lab.veth(lab.name(`p${k}`), null, 'eth0', ns);
  lab.ip('link', 'set', lab.name(`p${k}`), 'master', br);
}
const s = await startServe();
stop = s.stop;
console.log(JSON.stringify({ url: s.url, first: lab.name('n0') }));
setInterval(() => undefined, 1 << 30);
