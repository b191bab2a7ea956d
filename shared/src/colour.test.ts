import { describe, expect, it } from 'vitest';
import { contrast, deltaE, luminance, over, parseHex, simulate } from './colour.js';

describe('colour arithmetic', () => {
  it('reads hex colours', () => {
    expect(parseHex('#1a73e8')).toEqual([26, 115, 232]);
    expect(parseHex('fff')).toEqual([255, 255, 255]);
    expect(() => parseHex('red')).toThrow(/not a hex colour/);
  });

  it('computes WCAG contrast as the reference examples do', () => {
    expect(contrast('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrast('#ffffff', '#767676')).toBeCloseTo(contrast('#767676', '#ffffff'), 10);
    expect(luminance('#808080')).toBeCloseTo(0.2159, 3);
  });

  it('composites a translucent colour over its background', () => {
    expect(over('#000000', 0.5, '#ffffff').map(Math.round)).toEqual([128, 128, 128]);
  });

  it('simulates colour blindness: red and green collapse for deuteranopes, not blue and orange', () => {
    expect(deltaE(simulate('#2e7d32', 'deuteranopia'), simulate('#c62828', 'deuteranopia'))).toBeLessThan(deltaE('#2e7d32', '#c62828') / 2);
    expect(deltaE(simulate('#1565c0', 'deuteranopia'), simulate('#ef6c00', 'deuteranopia'))).toBeGreaterThan(40);
    // Greys are unchanged by any deficiency.
    expect(simulate('#808080', 'protanopia').map(Math.round)).toEqual([128, 128, 128]);
  });
});
