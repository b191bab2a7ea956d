import { describe, expect, it } from 'vitest';
import { bannerText } from './ConnectionBanner.js';

describe('banner', () => {
  const capture = { live: false, host: 'db-7', takenAt: '2025-03-01T10:00:00Z' };
  it('says a capture is not live, whatever the socket does', () => {
    for (const s of ['connected', 'disconnected', 'reconnecting'] as const) {
      expect(bannerText(s, capture)).toEqual({ kind: 'capture', text: 'Capture of db-7 taken 2025-03-01T10:00:00Z — not live' });
    }
  });
  it('reports connection trouble for a live topology only', () => {
    expect(bannerText('connected', { ...capture, live: true })).toBeNull();
    expect(bannerText('disconnected', { ...capture, live: true })?.kind).toBe('disconnected');
    expect(bannerText('connecting', null)?.kind).toBe('connecting');
    expect(bannerText('unauthorized', null)?.text).toContain('?token=');
  });
});
