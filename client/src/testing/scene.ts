import type { Topology } from '@vethmap/shared';
import type { Core } from 'cytoscape';
import { sceneElements } from '../graph/detail.js';
import { defaultViewOptions, type ViewOptions } from '../graph/elements.js';
import { buildModel, type Model } from '../graph/model.js';
import { patchGraph, type PatchStats } from '../graph/patcher.js';

/** The model the canvas builds for a topology, with default options. */
export function modelOf(t: Topology, options: ViewOptions = defaultViewOptions): Model {
  return buildModel(t, options);
}

/** Draws `t` into a headless cytoscape as the canvas does, with `shown` interfaces (all by default). */
export function drawScene(cy: Core, t: Topology, shown?: ReadonlySet<string>): PatchStats {
  const m = modelOf(t);
  return patchGraph(cy, sceneElements(m, shown ?? new Set(m.interfaces.map((n) => n.id))), (def) => def.position);
}
