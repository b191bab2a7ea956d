import { describe, expect, it } from 'vitest';
import type { ContainerLabel } from '../discover/netns.js';
import { mergeLabels } from './labelling.js';

const id = 'ab'.repeat(32);
const engine = (name: string, image = 'busybox'): ContainerLabel => ({ id, name, image });
const cgroup: ContainerLabel = { id, name: id.slice(0, 12), image: null };

describe('mergeLabels', () => {
  it("keeps the engine's name when an answer has only the cgroup's short id, or nothing", () => {
    const before = new Map([[1, engine('web-1')], [2, engine('app-1')]]);
    expect(mergeLabels(before, new Map([[1, cgroup]]), [1, 2])).toEqual(before);
  });

  it("takes the engine's newer answer (docker rename), a different container's id, and drops namespaces gone", () => {
    const before = new Map<number, ContainerLabel>([[1, engine('web-1')], [2, engine('app-1')], [3, engine('gone')]]);
    const other: ContainerLabel = { id: 'cd'.repeat(32), name: 'cdcdcdcdcdcd', image: null };
    const merged = mergeLabels(before, new Map<number, ContainerLabel>([[1, engine('web-renamed')], [2, other]]), [1, 2]);
    expect([...merged]).toEqual([[1, engine('web-renamed')], [2, other]]);
  });
});
