import type { Interface, InterfaceRates } from '@vethmap/shared';
import { formatRate } from '../graph/traffic.js';

interface Props {
  ends: Interface[];
  rates: ReadonlyMap<string, InterfaceRates>;
}

const perSecond = (x: number): string => (x === 0 ? '0' : x < 10 ? x.toFixed(1) : String(Math.round(x)));

/** Live traffic of the selected interface (and its peer), from the kernel's counters, drops and errors made visible. */
export function TrafficDetails({ ends, rates }: Props) {
  if (ends.length === 0) return null;
  return (
    <section data-testid="traffic">
      <h4>Traffic</h4>
      <table className="traffic">
        <thead>
          <tr><th /><th>rx</th><th>tx</th><th>drops/s</th><th>errors/s</th><th>dropped</th></tr>
        </thead>
        <tbody>
          {ends.map((i) => {
            const r = rates.get(i.id);
            if (!r) return <tr key={i.id}><th className="mono">{i.name}</th><td colSpan={5} className="muted">measuring…</td></tr>;
            const drops = r.rxDropped + r.txDropped;
            const errors = r.rxErrors + r.txErrors;
            return (
              <tr key={i.id} data-testid={`traffic-${i.id}`}>
                <th className="mono">{i.name}</th>
                <td title={`${perSecond(r.rxPackets)} packets/s`}>{formatRate(r.rxBytes)}</td>
                <td title={`${perSecond(r.txPackets)} packets/s`}>{formatRate(r.txBytes)}</td>
                <td className={drops > 0 ? 'bad' : undefined}>{perSecond(drops)}</td>
                <td className={errors > 0 ? 'bad' : undefined}>{perSecond(errors)}</td>
                <td className={r.droppedTotal > 0 ? 'bad' : undefined} title={`${r.errorsTotal} errors since the interface was created`}>{r.droppedTotal}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted small">From the kernel&apos;s 64-bit link counters (IFLA_STATS64), sampled every second while this page shows them.</p>
    </section>
  );
}
