import { createContext, useCallback, useEffect, useState } from 'react';
import type { ThemeName } from '../graph/style.js';

/** Where an explicit choice is kept; without one the page follows the system. */
const KEY = 'vethmap.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

function saved(): ThemeName | null {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : null;
  } catch {
    return null; // storage refused (privacy settings): follow the system
  }
}

function system(): ThemeName {
  return typeof matchMedia === 'function' && matchMedia(DARK_QUERY).matches ? 'dark' : 'light';
}

/** The theme to show: the user's choice if made, else the browser's `prefers-color-scheme`. */
export function initialTheme(): ThemeName {
  return saved() ?? system();
}

/** Sets the page's colours (styles.css keys its dark block on this attribute). */
export function applyTheme(theme: ThemeName): void {
  document.documentElement.dataset.theme = theme;
}

/**
 * The page's theme and a toggle. Follows the system setting, live, until the user picks
 * one; the pick is remembered in this browser.
 */
export function useTheme(): { theme: ThemeName; toggle: () => void } {
  const [theme, setTheme] = useState<ThemeName>(initialTheme);
  useEffect(() => applyTheme(theme), [theme]);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const mq = matchMedia(DARK_QUERY);
    const follow = (): void => {
      if (!saved()) setTheme(system());
    };
    mq.addEventListener('change', follow);
    return () => mq.removeEventListener('change', follow);
  }, []);
  const toggle = useCallback(() => {
    setTheme((t) => {
      const next: ThemeName = t === 'dark' ? 'light' : 'dark';
      try {
        localStorage.setItem(KEY, next);
      } catch {
        // not remembered; still applied
      }
      return next;
    });
  }, []);
  return { theme, toggle };
}

/** How the page shows things: the theme, and whether the live picture may be out of date (disconnected). */
export interface Display {
  theme: ThemeName;
  /** Disconnected from a live host: states read "unknown", the map dims. */
  stale: boolean;
}

export const DisplayContext = createContext<Display>({ theme: 'light', stale: false });
