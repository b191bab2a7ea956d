import type { Topology, WhyReport } from '@vethmap/shared';
import { TraceContext } from './context.js';
import { LiveKernel } from './live-kernel.js';
import { resolveSelector } from './endpoints.js';
import { why } from './why.js';

/**
 * Traces on the live host: `topology` gives the wires, `pathOf` opens each namespace (by
 * inode) for the kernel's answers, read once and released when the trace ends.
 */
export function traceTopology(topology: Topology, pathOf: (inode: number) => string | null, from: string, to: string): WhyReport {
  const kernel = new LiveKernel((id) => pathOf(Number(id.slice(3))));
  try {
    return why(new TraceContext(topology, kernel), resolveSelector(topology, from), resolveSelector(topology, to));
  } finally {
    kernel.close();
  }
}
