import type { Topology } from '@vethmap/shared';
import type { Core } from 'cytoscape';
import { buildModel, sceneElements, type Model } from '../graph/detail.js';
import { toElements } from '../graph/elements.js';
import { layoutGeometry } from '../graph/layout.js';
import { patchGraph, placeNew, type PatchStats } from '../graph/patcher.js';

/** The model GraphView builds for a topology, with default options. */
export function modelOf(t: Topology): Model {
  const els = toElements(t);
  return buildModel(els, layoutGeometry(els));
}

/** Draws `t` into a headless cytoscape as GraphView does, with `shown` interfaces (all by default). */
export function drawScene(cy: Core, t: Topology, shown?: ReadonlySet<string>): PatchStats {
  const m = modelOf(t);
  return patchGraph(cy, sceneElements(m, shown ?? new Set(m.interfaces.map((n) => n.data.id))), placeNew(cy, m.geometry, () => undefined));
}
