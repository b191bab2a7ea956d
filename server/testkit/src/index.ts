/**
 * The one home of vethmap's lab and test tooling, shared by the server's integration
 * tests, the e2e specs, the bench and the fuzzer (import `@vethmap/testkit`).
 */
export { ip, ipIn, isGone, IpError } from './ip.js';
export { NetBuilder, type Place } from './netbuilder.js';
export { CLI, listeningUrl, startServe, type ServeProcess } from './serve.js';
export { TopologyMirror, until } from './mirror.js';
export { decodePng, inkedPixels, inkNear, type Pixels } from './png.js';
export { RawSocketClient, RefusedUpgrade } from './raw-socket.js';
export { syntheticCapture } from './capture.js';
export { rssMb } from './proc.js';
export { rawRequest, type RawResponse } from './http.js';
export {
  A_ADDR, applyFix, B_ADDR, bridgeHost, DOCKER_RULES, GW_A, GW_B, inNs, iptablesRestore, ping, pingOnce, RA_ADDR, RB_ADDR, reaches, routed,
  type BridgeHost, type Routed,
} from './reachability.js';
export * as docker from './docker/index.js';
