import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSP_DIRECTIVES, CYTOSCAPE_STYLE } from './headers.js';

describe('security headers', () => {
  it('allows exactly the inline style cytoscape writes, by hash', () => {
    // If cytoscape changes this rule, the page logs a CSP violation: update CYTOSCAPE_STYLE.
    const main = createRequire(new URL('../../../client/package.json', import.meta.url)).resolve('cytoscape');
    const src = readFileSync(path.join(path.dirname(main), 'cytoscape.esm.mjs'), 'utf8');
    expect(src).toContain("stylesheet.textContent = '.' + className + ' { position: relative; }'");
    expect(src).toContain("var className = '__________cytoscape_container'");
    expect(CYTOSCAPE_STYLE).toBe('.__________cytoscape_container { position: relative; }');
  });

  it('allows nothing inline but that, and nothing from elsewhere', () => {
    const all = Object.values(CSP_DIRECTIVES).flat();
    expect(all.filter((v) => v.includes('unsafe'))).toEqual([]);
    expect(all.filter((v) => /^https?:|\*/.test(v))).toEqual([]);
    expect(CSP_DIRECTIVES.scriptSrc).toEqual(["'self'"]);
    expect(CSP_DIRECTIVES.frameAncestors).toEqual(["'none'"]);
  });
});
