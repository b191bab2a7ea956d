/** The synthetic docker-like host lives with the other pure topologies in the testkit. */
export { dockerHost as makeTopology } from '@vethmap/testkit/topologies';
