// The page's automation hooks (client/src/components/GraphView.tsx), seen from tests.
import type { Core } from 'cytoscape';

declare global {
  interface Window {
    cy?: Core;
    vethmap?: { version: number; drawnAt: number; drawMs?: number };
  }
}
export {};
