import { useEffect, useRef, useState } from 'react';

/**
 * Puts `text` on the clipboard. The Clipboard API needs a secure context (https, or
 * http://127.0.0.1 / localhost, where vethmap listens by default); a page served over plain
 * http from another host falls back to a hidden text area and `execCommand('copy')`.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Permission refused: try the old way.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  try {
    return document.execCommand('copy');
  } finally {
    area.remove();
  }
}

/** A small "copy" button that says whether it worked. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const onClick = async (): Promise<void> => {
    const ok = await copyText(text);
    setState(ok ? 'copied' : 'failed');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 1500);
  };
  return (
    <button type="button" className={`copy copy-${state}`} onClick={() => void onClick()} aria-label={label} title={label} data-testid="copy">
      {state === 'copied' ? 'copied' : state === 'failed' ? 'select it' : 'copy'}
    </button>
  );
}
