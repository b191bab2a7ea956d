// The page's automation hooks (client/src/graph/canvas.ts), seen from tests.
import type { Core } from 'cytoscape';

declare global {
  interface Window {
    cy?: Core;
    vethmap?: {
      version: number;
      drawnAt: number;
      drawMs?: number;
      patched?: { added: number; removed: number; changed: number; moved: number };
      /** The model drawn: the shared layout's routes by link id, among others. */
      model?: {
        routes: Map<string, Array<{ x: number; y: number }>>;
        /** The topology drawn (a Topology of @vethmap/shared). */
        topology: unknown;
        /** What the filters let through (client/src/graph/model.ts). */
        namespaces: Array<{ id: string }>;
        interfaces: Array<{ id: string; look: string }>;
      };
      /** Interfaces the level of detail left out at this zoom. */
      hidden: number;
      /** Zooms to an element by API id, drawing it first if needed; false when there is no such element. */
      reveal: (id: string) => boolean;
    };
  }
}
export {};
