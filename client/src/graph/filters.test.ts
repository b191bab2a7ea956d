import { demoLab } from '@vethmap/testkit/topologies';
import { describe, expect, it } from 'vitest';
import { defaultViewOptions } from './elements.js';
import { hiddenBy } from './filters.js';

describe('hiddenBy', () => {
  const t = demoLab();
  const h1 = t.namespaces.find((n) => n.name === 'vlab-h1')!.id;

  it('counts what each filter leaves out of the demo lab', () => {
    expect(hiddenBy(t, defaultViewOptions)).toEqual({ lo: 7, down: 0, namespaces: 0, interfaces: 0 });
    expect(hiddenBy(t, { ...defaultViewOptions, hideDown: true })).toMatchObject({ lo: 7, down: 1 });
    expect(hiddenBy(t, { ...defaultViewOptions, showLo: true })).toMatchObject({ lo: 0, down: 0 });
    // vlab-h1 and, one hop away, root (its port and the bridge kept): 5 namespaces out.
    expect(hiddenBy(t, { ...defaultViewOptions, focusNamespace: h1 })).toMatchObject({ namespaces: 5 });
    expect(hiddenBy(t, { ...defaultViewOptions, focusNamespace: h1, focusDepth: 0 })).toMatchObject({ namespaces: 6 });
  });
});
