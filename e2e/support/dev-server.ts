// Throwaway fixture server for looking at the page without root or a lab:
// `npx tsx e2e/support/dev-server.ts [namespaces] [port]`. The e2e tests use the real server.
import { createServer } from 'node:http';
import express from 'express';
import { Server } from 'socket.io';
import { makeTopology } from '../../client/src/testing/fixture.js';

const n = Number(process.argv[2] ?? 12);
const port = Number(process.argv[3] ?? 0);
const topology = makeTopology(n, { hostile: true });
const app = express();
app.get('/api/topology', (_req, res) => res.json(topology));
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
