/**
 * V8 flags set for a large read, and put back after it (see also raiseOptimisationBudget below).
 *
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

/** Whether Node was started with its own value of `flag` (left alone then). */
function setByUser(flag: string): boolean {
  return process.execArgv.some((a) => a.startsWith(flag)) || (process.env.NODE_OPTIONS ?? '').includes(flag);
}

/** Tightens the old generation's growth for a large read; returns what puts V8's own rule back. */
export function tightenHeapGrowth(): () => void {
  if (setByUser(FLAG)) return () => {};
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

const BUDGET_FLAG = '--interrupt-budget';
/**
 * V8's budget of bytecode run before a function is considered for optimisation, by V8 version,
 * where it was measured (Node 20's V8 11.3: `node --v8-options`); other versions keep theirs.
 */
const DEFAULT_BUDGETS: Readonly<Record<string, number>> = { '11.3': 67_584 };
/**
 * The budget while the scan worker runs, in this thread and the worker. A line's parse meets many
 * shapes of JSON objects: optimised early, the scan's functions were thrown away and compiled
 * again as new shapes came, about 300 compilations and 17 deoptimisations a cold read of 1 GB,
 * compiled on the same two cores. Optimised later, with their shapes known: about 80 and 3. A cold
 * read of the 1 GB tree, 10 interleaved rounds, medians: 1.63 → 1.57 s, CPU time 2.91 → 2.79 s
 * (the dense tree: 3.52 → 3.49 s, 6.25 → 6.16 s).
 */
const READ_BUDGET = 300_000;

/**
 * Raises V8's optimisation budget for a large read; returns what puts it back (once; V8 refuses a
 * code cache written under other flags, and the binary writes its cache at exit, see
 * cli/code-cache.ts). Left alone where Node was started with a budget of its own, or V8's own is
 * not known.
 */
export function raiseOptimisationBudget(): () => void {
  const own = DEFAULT_BUDGETS[process.versions.v8.split('.').slice(0, 2).join('.')];
  if (own === undefined || setByUser(BUDGET_FLAG)) return () => {};
  try {
    setFlagsFromString(`${BUDGET_FLAG}=${READ_BUDGET}`);
  } catch {
    return () => {};
  }
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    try {
      setFlagsFromString(`${BUDGET_FLAG}=${own}`);
    } catch {
      // nothing to put back
    }
  };
}
