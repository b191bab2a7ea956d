// Run by testkit.test.ts: builds a namespace, says its prefix, then waits to be terminated
// as vitest terminates a worker whose test timed out (SIGTERM), with no cleanup of its own.
import { NetBuilder } from '@vethmap/testkit';

const net = new NetBuilder('vmt');
net.netns('abandoned');
console.log(net.prefix);
setInterval(() => undefined, 60_000);
