import type { LinkState } from '@vethmap/shared';
import { STATE_LOOK } from '@vethmap/shared';
import { useContext } from 'react';
import { stateColor } from '../graph/style.js';
import { DisplayContext } from '../state/theme.js';

/** Drawn from the same table as the graph style, so the two cannot disagree. */
export function Legend() {
  const { theme } = useContext(DisplayContext);
  return (
    <div className="legend" data-testid="legend" aria-label="legend">
      {(Object.keys(STATE_LOOK) as LinkState[]).map((s) => (
        <div key={s} className="legend-row" title={STATE_LOOK[s].hint}>
          <svg width="34" height="10" aria-hidden="true">
            <line x1="2" y1="5" x2="32" y2="5" stroke={stateColor(s, theme)} strokeWidth="3"
              strokeDasharray={STATE_LOOK[s].line === 'dashed' ? '7 4' : STATE_LOOK[s].line === 'dotted' ? '1 4' : undefined}
              strokeLinecap="round" />
          </svg>
          <span>{STATE_LOOK[s].label}</span>
        </div>
      ))}
      <div className="legend-row"><span className="swatch bridge" /> <span>bridge</span></div>
      <div className="legend-row"><span className="swatch veth" /> <span>interface</span></div>
      <div className="legend-row"><span className="swatch rootns" /> <span>root namespace</span></div>
      <div className="legend-row" title="a trace (why can't it reach…): the way the packet goes"><span className="swatch path" /> <span>traced path</span></div>
      <div className="legend-row" title="a trace: where the packet is stopped"><span className="swatch fail" /> <span>first failing hop</span></div>
    </div>
  );
}
