import type { LabelCandidate } from '../discover/host.js';
import type { ContainerLabel } from '../discover/netns.js';
import type { ContainerLabeller } from './snapshot.js';

/**
 * While a container's namespace has no engine label yet, ask again after these delays.
 * Docker makes the namespace's file before the container runs, and inspecting a starting
 * container waits for its start (the engine's container lock): on a loaded host the first
 * answers may not know it for many seconds.
 */
const LABEL_RETRY_MS = [250, 1000, 3000, 10_000, 30_000, 60_000, 120_000, 300_000];

/** What the keeper reads from and writes to (HostState fits). */
export interface LabelTarget {
  labelCandidates(): LabelCandidate[];
  containerLabels(): ReadonlyMap<number, ContainerLabel>;
  /** True when the labels changed what is shown. */
  setContainerLabels(labels: Map<number, ContainerLabel>): boolean;
}

/** The engine's own answer carries the image; a cgroup's short id does not. */
const fromEngine = (l: ContainerLabel | undefined): boolean => !!l && l.image !== null;

/**
 * Worth asking the engine again: a Docker-folder namespace without its answer, or any
 * namespace a cgroup says is a container's. A container's process is often seen (the /proc
 * look every 500 ms) before its Docker-folder file is, and before the engine lists it:
 * then the namespace is process-held and only its cgroup names it, for now.
 */
const engineMayName = (c: LabelCandidate, l: ContainerLabel | undefined): boolean => !fromEngine(l) && (c.kind === 'docker' || l !== undefined);

/**
 * The labels to show after an answer. A namespace the answer says nothing of keeps what
 * it had (the engine failed, timed out, or was busy starting that container); a cgroup's
 * short id does not replace the engine's name for the same container. Only namespaces
 * still listed are kept.
 */
export function mergeLabels(previous: ReadonlyMap<number, ContainerLabel>, answer: ReadonlyMap<number, ContainerLabel>, alive: Iterable<number>): Map<number, ContainerLabel> {
  const out = new Map<number, ContainerLabel>();
  for (const inode of alive) {
    const now = answer.get(inode);
    const before = previous.get(inode);
    const keep = before && (!now || (!fromEngine(now) && fromEngine(before) && now.id === before.id));
    const label = keep ? before : now;
    if (label) out.set(inode, label);
  }
  return out;
}

/**
 * Keeps container labels current. One question to the engine at a time (a late answer to
 * an older question never overwrites a newer one); a question asked while one runs is
 * asked once more after it; while a container's namespace lacks the engine's label, it asks
 * again with backoff.
 */
export class LabelKeeper {
  private running = false;
  private again = false;
  private retries = 0;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly labeller: ContainerLabeller,
    private readonly target: LabelTarget,
    /** Called after labels changed what is shown. */
    private readonly changed: () => void,
    private readonly warn: (message: string) => void,
  ) {}

  /** Something new to label: ask now (or right after the question in flight), retries afresh. */
  request(): void {
    this.retries = 0;
    if (this.retry) {
      clearTimeout(this.retry);
      this.retry = undefined;
    }
    this.ask();
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
  }

  private ask(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.once().finally(() => {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.ask();
      }
    });
  }

  private async once(): Promise<void> {
    let wanting = false;
    try {
      const candidates = this.target.labelCandidates();
      const answer = await this.labeller(candidates);
      if (this.stopped) return;
      // Listed now, not when asked: a namespace gone meanwhile loses its label.
      const now = this.target.labelCandidates();
      const merged = mergeLabels(this.target.containerLabels(), answer, now.map((c) => c.inode));
      if (this.target.setContainerLabels(merged)) this.changed();
      wanting = now.some((c) => engineMayName(c, merged.get(c.inode)));
    } catch (err) {
      this.warn((err as Error).message);
      wanting = true;
    }
    const delay = LABEL_RETRY_MS[this.retries];
    if (wanting && delay !== undefined && !this.retry && !this.stopped) {
      this.retries++;
      this.retry = setTimeout(() => {
        this.retry = undefined;
        this.ask();
      }, delay).unref();
    }
  }
}
