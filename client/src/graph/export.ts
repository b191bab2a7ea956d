import type { Core } from 'cytoscape';

/** Chromium's canvas limits (FRONTEND-NOTES): beyond them cy.png returns an empty Blob. */
const MAX_PIXELS = 2.6e8;
const MAX_SIDE = 65000;

/** The export scale for a diagram of w×h model pixels: sharp, but within the limits. */
export function pngScale(w: number, h: number): number {
  if (w <= 0 || h <= 0) return 1;
  return Math.min(2, Math.sqrt(MAX_PIXELS / (w * h)), MAX_SIDE / w, MAX_SIDE / h);
}

export interface PngResult { blob: Blob; width: number; height: number }

/** Width and height from a PNG's IHDR, to tell the user what they really got. */
export async function pngSize(blob: Blob): Promise<{ width: number; height: number } | null> {
  const head = new DataView(await blob.slice(0, 24).arrayBuffer());
  if (head.byteLength < 24 || head.getUint32(0) !== 0x89504e47) return null;
  return { width: head.getUint32(16), height: head.getUint32(20) };
}

/**
 * PNG of the whole diagram, not the viewport, on white, with a title and a timestamp. The
 * title is a temporary node above the drawing (added and removed in the same task, so it is
 * never painted on screen) because compositing onto a second canvas would double the memory
 * of a picture that can reach a gigabyte. Halves the scale until the canvas accepts it.
 */
export async function exportPng(cy: Core, title: string): Promise<PngResult> {
  const bb = cy.elements().boundingBox();
  const fontSize = Math.max(18, Math.round(bb.w / 60));
  const titleNode = cy.add({
    group: 'nodes',
    data: { id: '__export_title', label: title },
    classes: 'export-title',
    position: { x: bb.x1, y: bb.y1 - fontSize * 1.5 },
  });
  titleNode.style('font-size', fontSize);
  let blob: Blob | null = null;
  try {
    const full = cy.elements().boundingBox();
    let scale = pngScale(full.w, full.h);
    for (let attempt = 0; attempt < 6 && !blob; attempt++) {
      const b = cy.png({ output: 'blob', full: true, bg: '#ffffff', scale });
      if (b.size > 0) blob = b;
      scale /= 2;
    }
  } finally {
    // Synchronously, before any await: the title node must never reach a screen frame.
    cy.remove(titleNode);
  }
  if (!blob) throw new Error('the browser refused every canvas size for this diagram');
  const size = await pngSize(blob);
  if (!size) throw new Error('the browser produced something that is not a PNG');
  return { blob, ...size };
}

export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke later: Chromium reads the blob asynchronously after the click.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
