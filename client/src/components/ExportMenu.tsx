import type { ThemeName } from '@vethmap/shared';
import { useEffect, useRef, useState } from 'react';
import type { ExportFormat, ExportRequest, ExportScope } from '../graph/export.js';

interface Props {
  hasSelection: boolean;
  onExport: (req: ExportRequest) => void;
}

const FORMATS: Array<{ value: string; label: string }> = [
  { value: 'png:1', label: 'PNG 1×' },
  { value: 'png:2', label: 'PNG 2×' },
  { value: 'svg', label: 'SVG' },
  { value: 'dot', label: 'DOT' },
  { value: 'mermaid', label: 'Mermaid' },
  { value: 'drawio', label: 'draw.io' },
  { value: 'json', label: 'JSON' },
];

/**
 * Exports for documentation: what part (what is on screen with its filters, the selection
 * and what it lights up, or everything), which format, light or dark. Every picture carries
 * the host, the snapshot's time and a legend (shared/diagram/write). A menu behind one
 * button: its three choices took a third of the toolbar, which then wrapped at 1280 px.
 * It stays open after a download (another format is one choice away) and closes on a
 * click elsewhere or Escape.
 */
export function ExportMenu({ hasSelection, onExport }: Props) {
  const [scope, setScope] = useState<ExportScope>('view');
  const [format, setFormat] = useState('png:1');
  const [theme, setTheme] = useState<ThemeName>('light');
  const menu = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const onDown = (e: PointerEvent) => {
      const d = menu.current;
      if (d?.open && !d.contains(e.target as Node)) d.open = false;
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, []);
  const [kind, scale] = format.split(':') as [ExportFormat, string | undefined];
  return (
    <details className="export" ref={menu} data-testid="export-menu" onKeyDown={(e) => { if (e.key === 'Escape' && menu.current) menu.current.open = false; }}>
      <summary title="Export the diagram: PNG, SVG, DOT, Mermaid, draw.io or JSON">Export ▾</summary>
      <div className="export-pop">
        <label>
          part
          <select aria-label="export scope" value={scope === 'selection' && !hasSelection ? 'view' : scope} onChange={(e) => setScope(e.target.value as ExportScope)}>
            <option value="view">what you see</option>
            <option value="selection" disabled={!hasSelection}>the selection</option>
            <option value="all">everything</option>
          </select>
        </label>
        <label>
          format
          <select aria-label="export format" value={format} onChange={(e) => setFormat(e.target.value)}>
            {FORMATS.map((f) => <option key={f.value} value={f.value}>{f.label}</option>)}
          </select>
        </label>
        <label>
          theme
          <select aria-label="export theme" value={theme} onChange={(e) => setTheme(e.target.value as ThemeName)}>
            <option value="light">light</option>
            <option value="dark">dark</option>
          </select>
        </label>
        <button type="button" data-testid="export" onClick={() => onExport({ scope: scope === 'selection' && !hasSelection ? 'view' : scope, format: kind, theme, scale: Number(scale ?? 1) })}>Download</button>
      </div>
    </details>
  );
}
