import type { ThemeName } from '@vethmap/shared';
import { useState } from 'react';
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
 * the host, the snapshot's time and a legend (shared/diagram/write).
 */
export function ExportMenu({ hasSelection, onExport }: Props) {
  const [scope, setScope] = useState<ExportScope>('view');
  const [format, setFormat] = useState('png:1');
  const [theme, setTheme] = useState<ThemeName>('light');
  const [kind, scale] = format.split(':') as [ExportFormat, string | undefined];
  return (
    <span className="group export">
      <select aria-label="export scope" value={scope === 'selection' && !hasSelection ? 'view' : scope} onChange={(e) => setScope(e.target.value as ExportScope)}>
        <option value="view">what you see</option>
        <option value="selection" disabled={!hasSelection}>the selection</option>
        <option value="all">everything</option>
      </select>
      <select aria-label="export format" value={format} onChange={(e) => setFormat(e.target.value)}>
        {FORMATS.map((f) => <option key={f.value} value={f.value}>{f.label}</option>)}
      </select>
      <select aria-label="export theme" value={theme} onChange={(e) => setTheme(e.target.value as ThemeName)}>
        <option value="light">light</option>
        <option value="dark">dark</option>
      </select>
      <button type="button" data-testid="export" onClick={() => onExport({ scope: scope === 'selection' && !hasSelection ? 'view' : scope, format: kind, theme, scale: Number(scale ?? 1) })}>Export</button>
    </span>
  );
}
