import { openSync, closeSync, fstatSync, readSync } from 'node:fs';
import { Capture, validateTopology } from '@vethmap/shared';
import { DEFAULT_MAX_CAPTURE_MB } from './defaults.js';

/**
 * Reads a capture made with `vethmap snapshot` (or `GET /api/capture`, which adds the recent
 * timeline) for `serve --from`: refused with a clear
 * error when it is bigger than `maxBytes` (checked before reading a byte: a 1 GB file
 * would take 5-8 GB once parsed), is not JSON, does not match the Topology
 * schema (the first wrong fields), or does not hold together (the first dangling
 * references, see validateTopology).
 */
export function readCapture(file: string, maxBytes = DEFAULT_MAX_CAPTURE_MB << 20): Capture {
  let text: string;
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    if (size > maxBytes) {
      throw new CaptureError(
        `${file} is ${(size / 2 ** 20).toFixed(0)} MB, more than --max-capture-mb allows (${(maxBytes / 2 ** 20).toFixed(0)} MB); ` +
          'raise it if this machine has the memory: serving takes 5 to 8 times the file.',
      );
    }
    const buf = Buffer.allocUnsafe(size);
    for (let off = 0; off < size; ) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    text = buf.toString('utf8');
  } catch (err) {
    if (err instanceof CaptureError) throw err;
    throw new Error(`cannot read capture ${file}: ${(err as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`cannot read capture ${file}: ${(err as Error).message}`);
  }
  const parsed = Capture.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${file} is not a vethmap snapshot: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const problems = validateTopology(parsed.data, 5);
  if (problems.count > 0) {
    const more = problems.count > problems.first.length ? ` (and ${problems.count - problems.first.length} more)` : '';
    throw new Error(`${file} does not hold together: ${problems.first.join('; ')}${more}`);
  }
  return parsed.data;
}

class CaptureError extends Error {}
