import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type express from 'express';
import type { Server } from 'socket.io';
import type { Topology } from '@vethmap/shared';
import type { LiveStats } from '../engine/live.js';
import type { Timeline } from '../engine/timeline.js';
import type { PublishedStats } from './server.js';

/** What /metrics reads; the engine's counters, or nothing for a capture. */
export interface MetricsSource {
  readonly topology: Topology;
  readonly stats?: LiveStats;
}

/**
 * `GET /metrics` in Prometheus text format (prom-client). Reads state; changes nothing.
 * Behind the same gate as the API: with a token, Prometheus sends it as a bearer token.
 */
export function mountMetrics(app: express.Express, io: Server, source: MetricsSource, published?: PublishedStats, timeline?: Pick<Timeline, 'stats'>): void {
  const registry = new Registry();
  // The event-loop-lag monitor wakes the process at this period: its 10 ms default alone
  // kept an idle vethmap at ~1% of a core.
  collectDefaultMetrics({ register: registry, prefix: 'vethmap_process_', eventLoopMonitoringPrecision: 1000 });
  new Gauge({ name: 'vethmap_namespaces', help: 'Network namespaces in the topology', registers: [registry], collect() { this.set(source.topology.namespaces.length); } });
  new Gauge({ name: 'vethmap_interfaces', help: 'Interfaces in the topology', registers: [registry], collect() { this.set(source.topology.interfaces.length); } });
  new Gauge({ name: 'vethmap_topology_version', help: 'Current topology version', registers: [registry], collect() { this.set(source.topology.version); } });
  new Gauge({ name: 'vethmap_connected_clients', help: 'Connected socket.io clients', registers: [registry], collect() { this.set(io.engine.clientsCount); } });
  new Counter({ name: 'vethmap_netlink_events_total', help: 'Netlink messages received from all namespaces', registers: [registry], collect() { this.reset(); this.inc(source.stats?.events ?? 0); } });
  new Counter({ name: 'vethmap_resyncs_total', help: 'Namespaces re-read in full after lost events (ENOBUFS), and full re-reads on request', registers: [registry], collect() { this.reset(); this.inc(source.stats?.resyncs ?? 0); } });
  new Counter({ name: 'vethmap_settle_reads_total', help: 'Links read again to settle a veth end that had no proven peer', registers: [registry], collect() { this.reset(); this.inc(source.stats?.settleReads ?? 0); } });
  new Counter({ name: 'vethmap_event_overflows_total', help: 'Times the kernel dropped events (ENOBUFS)', registers: [registry], collect() { this.reset(); this.inc(source.stats?.overflows ?? 0); } });
  new Gauge({ name: 'vethmap_timeline_entries', help: 'Entries held in the event timeline (bounded)', registers: [registry], collect() { this.set(timeline?.stats().entries ?? 0); } });
  new Gauge({ name: 'vethmap_timeline_bytes', help: 'JSON bytes held in the event timeline (bounded)', registers: [registry], collect() { this.set(timeline?.stats().bytes ?? 0); } });
  new Counter({ name: 'vethmap_timeline_dropped_total', help: 'Timeline entries dropped to stay within its bounds', registers: [registry], collect() { this.reset(); this.inc(timeline?.stats().dropped ?? 0); } });
  const counter = (name: string, help: string, read: (p: PublishedStats) => number): void => {
    new Counter({ name, help, registers: [registry], collect() { this.reset(); this.inc(published ? read(published) : 0); } });
  };
  counter('vethmap_snapshots_sent_total', 'Snapshots sent to socket.io clients (on connect and in answer to resync)', (p) => p.publish.snapshots);
  counter('vethmap_resync_requests_total', 'resync events received from clients', (p) => p.publish.resyncRequests);
  counter('vethmap_resync_requests_coalesced_total', 'resync events not answered with a snapshot of their own', (p) => p.publish.resyncsCoalesced);
  counter('vethmap_clients_dropped_total', 'Clients dropped for leaving more than their backlog unread', (p) => p.publish.dropped);
  new Counter({
    name: 'vethmap_refused_requests_total',
    help: 'Requests and socket.io handshakes refused, by reason (host, origin, token, capacity)',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, n] of Object.entries(published?.refused ?? {})) this.inc({ reason }, n);
    },
  });
  const scans = new Histogram({
    name: 'vethmap_scan_duration_seconds',
    help: 'Time to re-read the namespaces an event touched (the first one: all of them)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.get('/metrics', async (_req, res) => {
    // Drain: each duration is observed exactly once.
    for (const ms of source.stats?.scanDurationsMs.splice(0) ?? []) scans.observe(ms / 1000);
    res.type(registry.contentType).send(await registry.metrics());
  });
}
