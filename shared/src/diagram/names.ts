/**
 * Names come from whoever created the namespace or the interface: a netns name is any
 * bytes but `/` and NUL, a process's comm anything prctl accepts. A picture must show
 * them as they are, without letting them steer the reader or the renderer: control
 * characters and the bidirectional overrides (U+202E makes `gnp.exe` read `exe.png`) are
 * shown as visible escapes, everything else as it is. Every writer (canvas, SVG, DOT,
 * Mermaid, draw.io) draws `printable(name)` and escapes that for its own syntax.
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function printable(name: string): string {
  return name.replace(INVISIBLE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * A named namespace (`ip netns add`) is the common case and a process-held one is already
 * called `pid N (comm)`: their names say it all on a small box. Root and containers say so.
 */
export function namespaceLabel(name: string, kind: string): string {
  const n = printable(name);
  if (kind === 'named' || kind === 'process') return n;
  return kind === 'root' ? `${n} / host` : `${n} / ${kind}`;
}
