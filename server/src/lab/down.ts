import { stopHolder } from './holder.js';
import { netnsNames, rootLinks } from './inventory.js';
import { ip, isGone, preflight } from './run.js';
import { LAB_SCENARIOS } from './scenarios.js';
import { clearState, readState } from './state.js';
import { assertLabName, isLabName, type LabLog, type LabReport } from './types.js';

/**
 * `vethmap lab down`: removes every namespace and root link named `vlab-…` and ends the
 * processes recorded in the lab's state file (after checking each is still the process
 * the lab started). Idempotent: with nothing there it succeeds and removes nothing.
 */
export async function labDown(log: LabLog = (line) => process.stdout.write(`${line}\n`)): Promise<LabReport> {
  await preflight();
  const report: LabReport = { action: 'down', scenarios: LAB_SCENARIOS.map((s) => s.name), skipped: [], resources: [], warnings: [] };
  const removed = (kind: LabReport['resources'][number]['kind'], name: string, detail: string): void => {
    report.resources.push({ kind, name, detail });
    log(`  - ${kind} ${name}: ${detail}`);
  };

  // 1. Root links. Ports and veths before bridges; deleting a veth deletes its peer too,
  //    so a later "Cannot find device" for the peer is expected.
  const links = rootLinks().filter((l) => isLabName(l.name));
  links.sort((x, y) => Number(x.kind === 'bridge') - Number(y.kind === 'bridge'));
  for (const l of links) {
    assertLabName(l.name, 'link');
    try {
      await ip(['link', 'del', l.name]);
      removed(l.kind === 'bridge' ? 'bridge' : l.kind === 'veth' ? 'veth' : 'link', l.name, l.kind === 'veth' ? 'deleted with its peer' : `${l.kind} deleted`);
    } catch (err) {
      if (!isGone(err)) throw err;
    }
  }

  // 2. Process-held namespaces: end exactly the recorded pids, and only if still ours.
  const { state, problem } = await readState();
  if (problem) report.warnings.push(problem);
  for (const h of state.holders) {
    assertLabName(h.name, 'namespace');
    const outcome = await stopHolder(h);
    if (outcome === 'stopped') removed('process-namespace', h.name, `pid ${h.pid} ended; net:[${h.netnsInode}] went with it`);
    else if (outcome === 'not-ours') {
      report.warnings.push(`pid ${h.pid} is no longer the lab's process for ${h.name}; left alone`);
      log(`  ! pid ${h.pid} is no longer the lab's ${h.name} holder; left alone`);
    }
  }
  await clearState();

  // 3. Named namespaces: their links (and the peers of those links) go with them.
  for (const name of netnsNames().filter(isLabName)) {
    assertLabName(name, 'namespace');
    try {
      await ip(['netns', 'del', name]);
      removed('namespace', name, 'ip netns del');
    } catch (err) {
      if (!isGone(err)) throw err;
    }
  }
  if (report.resources.length === 0) log('  nothing to remove: no vlab- namespaces, links or processes');
  return report;
}
