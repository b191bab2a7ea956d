import { firstOverlap } from './addresses.js';
import { holderState, nsenterArgs, startHolder, stopHolder } from './holder.js';
import { hostPrefixes, netnsNames, rootLinks } from './inventory.js';
import { ip, isGone, preflight, run, type RunResult } from './run.js';
import { LAB_ALL, LAB_SCENARIOS, namesOf, scenariosFor, type Scenario, type VethEnd } from './scenarios.js';
import { addHolder, readState, removeHolder, writeState, type HolderRecord } from './state.js';
import { assertLabName, LabError, type LabLog, type LabReport, type LabResource } from './types.js';

type Created = { kind: 'netns'; name: string } | { kind: 'link'; name: string } | { kind: 'holder'; record: HolderRecord };

/** Builds one scenario, remembering what it made so a failure can undo exactly that. */
class ScenarioBuild {
  readonly created: Created[] = [];
  private readonly holders = new Map<string, number>();

  constructor(
    private readonly log: LabLog,
    private readonly report: LabReport,
    private readonly hostInUse: string[],
  ) {}

  /** `ip ARGS` run inside a lab namespace: `ip -n NAME`, or nsenter into a holder's pid. */
  private ipIn(where: string | null, args: string[]): Promise<RunResult> {
    if (where === null) return ip(args);
    const pid = this.holders.get(where);
    if (pid !== undefined) return run('nsenter', [...nsenterArgs(pid), 'ip', ...args]);
    return ip(['-n', where, ...args]);
  }

  /** The `netns X` clause of `ip link add` that creates an end directly where it belongs. */
  private netnsClause(where: string | null): string[] {
    if (where === null) return [];
    const pid = this.holders.get(where);
    return ['netns', pid !== undefined ? String(pid) : where];
  }

  private add(resource: LabResource): void {
    this.report.resources.push(resource);
    this.log(`  + ${resource.kind} ${resource.name}: ${resource.detail}`);
  }

  async build(s: Scenario): Promise<void> {
    for (const name of s.namespaces) {
      assertLabName(name, 'namespace');
      await ip(['netns', 'add', name]);
      this.created.push({ kind: 'netns', name });
      await ip(['-n', name, 'link', 'set', 'lo', 'up']);
      this.add({ kind: 'namespace', name, detail: `ip netns add ${name} (lo up)` });
    }
    for (const name of s.processNamespaces) {
      assertLabName(name, 'namespace');
      const record = await startHolder(name);
      this.created.push({ kind: 'holder', record });
      await addHolder(record);
      this.holders.set(name, record.pid);
      await this.ipIn(name, ['link', 'set', 'lo', 'up']);
      this.add({ kind: 'process-namespace', name, detail: `net:[${record.netnsInode}] held only by pid ${record.pid} (unshare --net sleep infinity), not in /var/run/netns` });
    }
    for (const name of s.bridges) {
      assertLabName(name, 'bridge');
      await ip(['link', 'add', name, 'type', 'bridge']);
      this.created.push({ kind: 'link', name });
      await ip(['link', 'set', name, 'up']);
      this.add({ kind: 'bridge', name, detail: 'bridge in the root namespace, up' });
    }
    for (const [a, b] of s.veths) await this.veth(a, b);
  }

  private async veth(a: VethEnd, b: VethEnd): Promise<void> {
    assertLabName(a.name, 'link');
    assertLabName(b.name, 'link');
    await ip(['link', 'add', a.name, ...this.netnsClause(a.in), 'type', 'veth', 'peer', 'name', b.name, ...this.netnsClause(b.in)]);
    // Deleting either end deletes the pair; namespaces take their ends with them.
    for (const end of [a, b]) if (end.in === null) this.created.push({ kind: 'link', name: end.name });
    const words: string[] = [];
    for (const end of [a, b]) {
      if (end.master) await this.ipIn(end.in, ['link', 'set', end.name, 'master', end.master]);
      let address = end.address;
      if (address && end.in === null) {
        const clash = firstOverlap(address, this.hostInUse);
        if (clash) {
          this.report.warnings.push(`${end.name}: left without ${address}, which overlaps the host's ${clash}`);
          this.log(`  ! ${end.name}: not adding ${address}: it overlaps the host's ${clash}`);
          address = undefined;
        }
      }
      if (address) await this.ipIn(end.in, ['addr', 'add', address, 'dev', end.name]);
      if (end.up) await this.ipIn(end.in, ['link', 'set', end.name, 'up']);
      const parts = [end.in ?? 'root', address, end.master ? `port of ${end.master}` : undefined, end.up ? undefined : 'DOWN'];
      words.push(`${end.name} (${parts.filter(Boolean).join(', ')})`);
    }
    this.add({ kind: 'veth', name: a.name, detail: words.join(' <-> ') });
  }

  /** Undoes what `build` made, newest first; never throws (the original error matters more). */
  async undo(): Promise<string[]> {
    const problems: string[] = [];
    for (const c of [...this.created].reverse()) {
      try {
        if (c.kind === 'link') await ip(['link', 'del', c.name]);
        else if (c.kind === 'netns') await ip(['netns', 'del', c.name]);
        else {
          await stopHolder(c.record);
          await removeHolder(c.record.name);
        }
      } catch (err) {
        if (!isGone(err)) problems.push((err as Error).message);
      }
    }
    return problems;
  }
}

/** Names of a scenario that already exist: such a scenario is skipped, not rebuilt. */
function presentNames(s: Scenario, existing: { netns: Set<string>; links: Set<string>; holders: Set<string> }): string[] {
  const n = namesOf(s);
  return [...n.namespaces.filter((x) => existing.netns.has(x) || existing.holders.has(x)), ...n.rootLinks.filter((x) => existing.links.has(x))];
}

/**
 * `vethmap lab up [scenario]`: builds the scenario (default `all`) and prints each thing
 * it makes. A scenario whose names already exist is skipped. A scenario that fails is
 * undone before the error is thrown; scenarios built before it stay (`lab down` removes them).
 */
export async function labUp(scenario: string = LAB_ALL, log: LabLog = (line) => process.stdout.write(`${line}\n`)): Promise<LabReport> {
  const chosen = scenariosFor(scenario);
  if (!chosen) {
    throw new LabError(`unknown lab scenario "${scenario}"; choose one of: ${[LAB_ALL, ...LAB_SCENARIOS.map((s) => s.name)].join(', ')}`);
  }
  await preflight();
  const report: LabReport = { action: 'up', scenarios: [], skipped: [], resources: [], warnings: [] };

  // Drop records of holders that are gone, so their labels can be used again.
  const { state, problem } = await readState();
  if (problem) report.warnings.push(problem);
  const live: HolderRecord[] = [];
  for (const h of state.holders) if ((await holderState(h)) === 'ours') live.push(h);
  if (live.length !== state.holders.length) await writeState({ version: 1, holders: live });

  const existing = {
    netns: new Set(netnsNames()),
    links: new Set(rootLinks().map((l) => l.name)),
    holders: new Set(live.map((h) => h.name)),
  };
  const hostInUse = await hostPrefixes();

  for (const s of chosen) {
    const present = presentNames(s, existing);
    if (present.length > 0) {
      report.skipped.push(s.name);
      log(`= ${s.name}: already there (${present.join(', ')}); skipped. \`vethmap lab down\` resets the lab`);
      continue;
    }
    log(`${s.name}: ${s.description}`);
    const build = new ScenarioBuild(log, report, hostInUse);
    try {
      await build.build(s);
    } catch (err) {
      const problems = await build.undo();
      const undone = problems.length === 0 ? 'what it had made was removed' : `undoing it also failed: ${problems.join('; ')}`;
      const before = report.scenarios.length > 0 ? `; ${report.scenarios.join(', ')} stay up (\`vethmap lab down\` removes them)` : '';
      throw new LabError(`lab scenario ${s.name} failed: ${(err as Error).message}; ${undone}${before}`);
    }
    report.scenarios.push(s.name);
  }
  return report;
}
