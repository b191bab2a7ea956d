/**
 * The PathKernel a trace uses on a live host: one NamespaceInspector per namespace, opened
 * on first question and closed by `close()`; every answer read once per trace, so the
 * hops of one report agree with each other.
 */
import { NamespaceInspector, type FirewallState, type LegacyTables, type RouteAnswer, type RouteQuery } from '../kernel/index.js';
import type { PathKernel } from './context.js';

export class LiveKernel implements PathKernel {
  private readonly inspectors = new Map<string, NamespaceInspector>();
  private readonly memo = new Map<string, unknown>();

  /** `pathOf`: a path that opens the namespace with this id (`ns:<inode>`), null when it is gone. */
  constructor(private readonly paths: (ns: string) => string | null) {}

  private inspector(ns: string): NamespaceInspector {
    let i = this.inspectors.get(ns);
    if (!i) {
      const path = this.paths(ns);
      if (path === null) throw new Error(`namespace ${ns} is gone`);
      i = new NamespaceInspector(path);
      this.inspectors.set(ns, i);
    }
    return i;
  }

  private once<T>(key: string, read: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, read());
    return this.memo.get(key) as T; // set just above from the same key's reader
  }

  routeGet(ns: string, q: RouteQuery): RouteAnswer {
    return this.once(`route|${ns}|${JSON.stringify(q)}`, () => this.inspector(ns).routeGet(q));
  }
  routes(ns: string) { return this.once(`routes|${ns}`, () => this.inspector(ns).routes()); }
  rules(ns: string) { return this.once(`rules|${ns}`, () => this.inspector(ns).rules()); }
  neighbours(ns: string) { return this.once(`neigh|${ns}`, () => this.inspector(ns).neighbours()); }
  fdb(ns: string) { return this.once(`fdb|${ns}`, () => this.inspector(ns).fdb()); }
  bridgePorts(ns: string) { return this.once(`ports|${ns}`, () => this.inspector(ns).bridgePorts()); }
  bridgeOptions(ns: string, ifindex: number) { return this.once(`bropt|${ns}|${ifindex}`, () => this.inspector(ns).bridgeOptions(ifindex)); }
  sysctl(ns: string, parts: readonly string[]): string | null {
    return this.once(`sysctl|${ns}|${parts.join('\u0000')}`, () => this.inspector(ns).sysctl(parts));
  }
  firewall(ns: string): FirewallState { return this.once(`fw|${ns}`, () => this.inspector(ns).firewall()); }
  legacyTables(ns: string): LegacyTables { return this.once(`legacy|${ns}`, () => this.inspector(ns).legacyTables()); }
  pathOf(ns: string): string | null { return this.paths(ns); }

  close(): void {
    for (const i of this.inspectors.values()) i.close();
    this.inspectors.clear();
  }
}
