/**
 * A large read's main thread keeps the key of every request it wrote (the de-duplication across
 * files) and turns over every record the scan worker hands it; records waiting for their batch
 * survive young-generation collections and are promoted. V8 then lets the old generation grow to
 * several times what the last full collection kept, and those records pile up until the next: a
 * cold read of a dense 1 GB tree (115k requests) peaked at 250-260 MB of RSS in about half the
 * runs and at 205-215 MB in the others. With the old generation growing by half at most while the
 * read lasts, it stays at 200-225 MB, as fast. V8 reads the factor at each full collection.
 *
 * `node:v8` is loaded only when a large read starts: it brings Node's stream modules with it,
 * about 3 ms that `status` and `report` (built into one file with `ingest`) need not pay.
 */
import { createRequire } from 'node:module';

function setFlagsFromString(flags: string): void {
  (createRequire(import.meta.url)('node:v8') as typeof import('node:v8')).setFlagsFromString(flags);
}

const FLAG = '--heap-growing-percent';
/** Growth of the old generation after a full collection, in percent of what it kept. */
const BULK_GROWING_PERCENT = 50;

/** Whether Node was started with its own factor (left alone then). */
function setByUser(): boolean {
  return process.execArgv.some((a) => a.startsWith(FLAG)) || (process.env.NODE_OPTIONS ?? '').includes(FLAG);
}

/** Tightens the old generation's growth for a large read; returns what puts V8's own rule back. */
export function tightenHeapGrowth(): () => void {
  if (setByUser()) return () => {};
  try {
    setFlagsFromString(`${FLAG}=${BULK_GROWING_PERCENT}`);
  } catch {
    return () => {};
  }
  return () => {
    try {
      // 0: V8 chooses the factor from its collection rate again.
      setFlagsFromString(`${FLAG}=0`);
    } catch {
      // nothing to put back
    }
  };
}
