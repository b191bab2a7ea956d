import { readFileSync } from 'node:fs';
import { Topology } from '@vethmap/shared';

/** A capture made with `vethmap snapshot`, validated with the shared schema (`serve --from`, `export --from`). */
export function readCapture(file: string): Topology {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read capture ${file}: ${(err as Error).message}`);
  }
  const parsed = Topology.safeParse(raw);
  if (!parsed.success) throw new Error(`${file} is not a vethmap snapshot: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
