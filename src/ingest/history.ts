/**
 * Reads the session ids listed in `<root>/history.jsonl` (the prompt history of interactive
 * sessions) from a byte offset, by byte search (spaces around the colon allowed): nothing else
 * of the file is kept.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { stringValues } from './json-bytes.js';

const SESSION_KEY = Buffer.from('"sessionId"');
/** Longest value taken as a session id. */
const MAX_SESSION_BYTES = 128;
const CHUNK = 4 * 1024 * 1024;

export interface HistoryRead {
  sessionIds: Set<string>;
  /** Just after the last complete line. */
  endOffset: number;
  lines: number;
  bytes: number;
}

/** Reads complete lines of history.jsonl in [start, limit); a half-written last line is left for later. */
export function readHistory(path: string, start: number, limit: number): HistoryRead {
  const out: HistoryRead = { sessionIds: new Set(), endOffset: start, lines: 0, bytes: 0 };
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(CHUNK);
    let filePos = start;
    let n = 0;
    for (;;) {
      const toRead = Math.min(buf.length - n, limit - (filePos + n));
      const got = toRead > 0 ? readSync(fd, buf, n, toRead, filePos + n) : 0;
      out.bytes += got;
      n += got;
      const view = buf.subarray(0, n);
      const lastNl = view.lastIndexOf(10);
      if (lastNl !== -1) {
        collect(view.subarray(0, lastNl + 1), out);
        out.endOffset = filePos + lastNl + 1;
        view.copy(buf, 0, lastNl + 1, n);
        filePos += lastNl + 1;
        n -= lastNl + 1;
      } else if (n === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      if (got === 0 || filePos + n >= limit) return out;
    }
  } finally {
    closeSync(fd);
  }
}

function collect(block: Buffer, out: HistoryRead): void {
  let i = 0;
  for (;;) {
    const nl = block.indexOf(10, i);
    if (nl === -1) break;
    out.lines++;
    i = nl + 1;
  }
  for (const id of stringValues(block, SESSION_KEY, MAX_SESSION_BYTES)) out.sessionIds.add(id);
}
