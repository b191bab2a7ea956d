// Throwaway fixture server for looking at the page without root or a lab:
// `npx tsx e2e/support/dev-server.ts [namespaces] [port]`. The e2e tests use the real server.
import { createServer } from 'node:http';
import express from 'express';
import { Server } from 'socket.io';
import { applyDiff, diffTopology } from '@vethmap/shared';
import { makeTopology } from '../../client/src/testing/fixture.js';

const n = Number(process.argv[2] ?? 12);
const port = Number(process.argv[3] ?? 0);
let topology = makeTopology(n, { hostile: true });
const app = express();
app.get('/api/topology', (_req, res) => res.json(topology));
// POST /flap toggles the first namespace's eth0 and publishes the diff, like a live change.
app.post('/flap', (_req, res) => {
  const next = structuredClone(topology);
  const eth0 = next.interfaces.find((i) => i.namespace === next.namespaces[1]?.id && i.name === 'eth0');
  if (eth0) Object.assign(eth0, eth0.adminUp ? { adminUp: false, operstate: 'DOWN', lowerUp: false } : { adminUp: true, operstate: 'UP', lowerUp: true });
  const diff = diffTopology(topology, next);
  if (diff) {
    topology = applyDiff(topology, diff);
    io.emit('diff', diff);
  }
  res.json({ version: topology.version });
});
app.use(express.static(new URL('../../client/dist', import.meta.url).pathname));
const http = createServer(app);
const io = new Server(http);
io.on('connection', (s) => {
  s.emit('snapshot', topology);
  s.on('resync', () => s.emit('snapshot', topology));
});
http.listen(port, '127.0.0.1', () => {
  const a = http.address();
  console.log(JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : port}` }));
});
