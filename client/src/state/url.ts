import { defaultViewOptions, type ViewOptions } from '../graph/elements.js';

/** `detail=all` draws every interface at every zoom; `detail=N` up to N interfaces. */
function readDetail(v: string | null): number {
  if (v === 'all') return Infinity;
  const n = v === null ? NaN : Number(v);
  return Number.isInteger(n) && n >= 0 ? n : defaultViewOptions.detailAll;
}

/** `depth=N`: how many hops around the focused namespace (scope.ts), 0 to 9. */
function readDepth(v: string | null): number {
  const n = v === null ? NaN : Number(v);
  return Number.isInteger(n) && n >= 0 && n <= 9 ? n : defaultViewOptions.focusDepth;
}

/** What a shared link reproduces: the selection and the filters. */
export interface UrlState {
  select: string | null;
  options: ViewOptions;
  /** The timeline panel is open (`timeline=1`). */
  timeline?: boolean;
}

export function readUrl(search: string = window.location.search): UrlState {
  const p = new URLSearchParams(search);
  return {
    select: p.get('select'),
    timeline: p.get('timeline') === '1',
    options: {
      showLo: p.get('lo') === '1' ? true : defaultViewOptions.showLo,
      hideDown: p.get('hidedown') === '1',
      focusNamespace: p.get('ns'),
      focusDepth: readDepth(p.get('depth')),
      showAddresses: p.get('addr') === '1',
      detailAll: readDetail(p.get('detail')),
    },
  };
}

export function urlFor(state: UrlState): string {
  const p = new URLSearchParams();
  if (state.select) p.set('select', state.select);
  if (state.options.focusNamespace) p.set('ns', state.options.focusNamespace);
  if (state.options.focusNamespace && state.options.focusDepth !== defaultViewOptions.focusDepth) p.set('depth', String(state.options.focusDepth));
  if (state.options.showLo) p.set('lo', '1');
  if (state.options.hideDown) p.set('hidedown', '1');
  if (state.options.showAddresses) p.set('addr', '1');
  if (state.timeline) p.set('timeline', '1');
  if (state.options.detailAll !== defaultViewOptions.detailAll) p.set('detail', state.options.detailAll === Infinity ? 'all' : String(state.options.detailAll));
  const q = p.toString();
  return q ? `?${q}` : window.location.pathname;
}

/** replaceState, not pushState: clicking around should not flood the back button. */
export function writeUrl(state: UrlState): void {
  const next = urlFor(state);
  if (next !== window.location.search && !(next === window.location.pathname && !window.location.search)) {
    window.history.replaceState(null, '', next);
  }
}
