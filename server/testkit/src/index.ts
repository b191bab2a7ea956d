/**
 * The one home of vethmap's lab and test tooling, shared by the server's integration
 * tests, the e2e specs, the bench and the fuzzer (import `@vethmap/testkit`).
 */
export { ip, ipIn, isGone, IpError } from './ip.js';
export { NetBuilder, type Place } from './netbuilder.js';
export { CLI, listeningUrl, startServe, type ServeProcess } from './serve.js';
export { TopologyMirror, until } from './mirror.js';
export { RawSocketClient, RefusedUpgrade } from './raw-socket.js';
export { syntheticCapture } from './capture.js';
export { rssMb } from './proc.js';
export { rawRequest, type RawResponse } from './http.js';
