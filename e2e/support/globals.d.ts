// The page's automation hooks (client/src/components/GraphView.tsx), seen from tests.
import type { Core } from 'cytoscape';

declare global {
  interface Window {
    cy?: Core;
    vethmap?: {
      version: number;
      drawnAt: number;
      drawMs?: number;
      patched?: { added: number; removed: number; changed: number };
      /** Interfaces the level of detail left out at this zoom. */
      hidden: number;
      /** Zooms to an element by API id, drawing it first if needed; false when there is no such element. */
      reveal: (id: string) => boolean;
    };
  }
}
export {};
