import { describe, expect, it } from 'vitest';
import { outlineRenderer } from './outlines.js';

describe('labels as DejaVu Sans outlines', () => {
  const r = outlineRenderer();

  it('needs DejaVu Sans, which scripts/test.sh installs', () => {
    expect(r).not.toBeNull();
  });

  it('draws a label as one path, placed by its anchor from its advance widths', () => {
    const at = (anchor: 'start' | 'middle' | 'end') => r?.text({ x: 100, y: 50, size: 10, bold: false, anchor, fill: '#263238', text: 'eth0' }) ?? '';
    const x = (s: string) => Number(/translate\(([-\d.]+) /.exec(s)?.[1]);
    const start = at('start');
    expect(start).toMatch(/^<path fill="#263238" transform="translate\(100 50\) scale\([\d.e-]+\)" d="M[-\d]+ [-\d]+[Mmlqcz\d -]+"\/>$/);
    // DejaVu Sans: e 1260, t 803, h 1298, 0 1303 units of 2048 → 22.85 px at 10 px.
    const width = 100 - x(at('end'));
    expect(width).toBeCloseTo((1260 + 803 + 1298 + 1303) / 2048 * 10, 1);
    expect(x(at('middle'))).toBeCloseTo(100 - width / 2, 1);
    expect(r?.text({ x: 0, y: 0, size: 10, bold: true, anchor: 'start', fill: '#000', text: 'eth0' })).not.toBe(start.replace('100 50', '0 0'));
  });

  it('draws nothing for an empty or all-blank label', () => {
    expect(r?.text({ x: 0, y: 0, size: 10, bold: false, anchor: 'start', fill: '#000', text: '' })).toBe('');
    expect(r?.text({ x: 0, y: 0, size: 10, bold: false, anchor: 'start', fill: '#000', text: '   ' })).toBe('');
  });
});
