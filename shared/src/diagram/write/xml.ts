/** Characters XML 1.0 forbids even when escaped (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F). */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Escapes text or an attribute value (double- or single-quoted) for XML. Line breaks are
 * written as character references, so an attribute keeps them (a parser would turn a
 * literal one into a space) and `]]>` or `-->` can never close anything.
 */
export function escapeXml(s: string): string {
  return s
    .replace(NOT_XML, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** Short, stable numbers: one decimal is finer than any screen or print needs. */
export function num(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/** A label cut to `maxWidth` at `fontSize` with an ellipsis (an estimate: no text layout here). */
export function ellipsis(label: string, fontSize: number, maxWidth: number): string {
  const max = Math.max(3, Math.floor(maxWidth / (fontSize * 0.62)));
  const chars = Array.from(label);
  return chars.length <= max ? label : `${chars.slice(0, max - 1).join('')}…`;
}
