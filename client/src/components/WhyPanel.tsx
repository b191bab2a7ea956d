import { Fragment, useEffect, useRef, useState, type FormEvent } from 'react';
import type { Hop, WhyReport } from '@vethmap/shared';

/** A trace the page asked for: pending, answered, or failed. */
export interface WhyState {
  from: string;
  to: string;
  pending: boolean;
  report?: WhyReport;
  error?: string;
}

interface Props {
  /** What the trace starts from: the selection (an interface or namespace id). */
  from: string;
  why: WhyState | null;
  picking: boolean;
  onAsk: (to: string) => void;
  onPicking: (on: boolean) => void;
  onClear: () => void;
  /** The names of ids, for the report's header. */
  nameOf: (id: string) => string;
}

const MARK = { true: '✓', false: '✗', null: '?' } as const;

function HopItem({ hop, open }: { hop: Hop; open: boolean }) {
  const cls = hop.ok === true ? 'hop-ok' : hop.ok === false ? 'hop-bad' : 'hop-unknown';
  return (
    <li className={`hop ${cls}`} data-testid="hop">
      <details open={open}>
        <summary><span className="mark">{MARK[`${hop.ok}`]}</span> <span className="concern">{hop.concern}</span> <b>{hop.where}</b>: {hop.what}</summary>
        {hop.evidence && <pre className="hop-detail">{hop.evidence}</pre>}
        {hop.confirm && <div className="hop-cmd"><span>confirm</span><pre className="commands">{hop.confirm}</pre></div>}
        {hop.fix && <div className="hop-cmd"><span>fix (not run)</span><pre className="commands">{hop.fix}</pre></div>}
      </details>
    </li>
  );
}

/** "Why can't it reach…": ask from the selection to an address, a name, or a click on the map; show the hops. */
export function WhyPanel({ from, why, picking, onAsk, onPicking, onClear, nameOf }: Props) {
  const [to, setTo] = useState('');
  const result = useRef<HTMLDivElement>(null);
  // The panel is long (both ends, evidence, commands): bring the answer into view when it comes.
  useEffect(() => {
    if (why?.report || why?.error) result.current?.scrollIntoView({ block: 'start' });
  }, [why?.report, why?.error]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (to.trim()) onAsk(to.trim());
  };
  const report = why?.report;
  const firstBad = report?.hops.findIndex((h) => h.ok !== true) ?? -1;
  let direction: Hop['direction'] = 'request';
  return (
    <section className="why" data-testid="why">
      <h4>Why can&apos;t it reach…</h4>
      <form onSubmit={submit} className="why-form">
        <input aria-label="destination" data-testid="why-to" placeholder="ns/iface, namespace or IP" value={to} onChange={(e) => setTo(e.target.value)} />
        <button type="submit">Trace</button>
        <button type="button" className={picking ? 'active' : undefined} data-testid="why-pick" onClick={() => onPicking(!picking)}>{picking ? 'Click the destination…' : 'Pick on the map'}</button>
      </form>
      {why && (
        <div className="why-result" data-testid="why-result" ref={result}>
          <p className="why-head">{`${nameOf(why.from)} → ${nameOf(why.to)}`} <button type="button" className="link" onClick={onClear}>clear</button></p>
          {why.pending && <p className="muted">Tracing through the kernel&apos;s state…</p>}
          {why.error && <p className="bad">{why.error}</p>}
          {report && (
            <>
              <p className={`verdict ${report.reachable === true ? 'ok' : report.reachable === false ? 'bad' : 'unknown'}`} data-testid="why-verdict">
                {report.reachable === true ? 'Reachable' : report.reachable === false ? 'Not reachable' : 'Cannot tell'}: {report.summary}
              </p>
              <ol className="hops">
                {report.hops.map((h, k) => {
                  const turn = h.direction !== direction;
                  direction = h.direction;
                  return (
                    <Fragment key={k}>
                      {turn && <li className="hop-turn">the reply</li>}
                      <HopItem hop={h} open={k === firstBad} />
                    </Fragment>
                  );
                })}
              </ol>
            </>
          )}
        </div>
      )}
      {from === '' && <p className="muted">Select an interface or a namespace first.</p>}
    </section>
  );
}
