/**
 * Worker thread body: scans the groups of byte ranges it is sent with one reused buffer and
 * posts the results back, their request copies packed (see record-codec.ts); prompt and response
 * text never leave the scanner.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { scanRange, ScanBuffer, type ScanTask } from './scan.js';
import { packRecords } from './record-codec.js';
import { warmUpParser } from './warm-up.js';

/** Nice value of a scan worker thread (the main thread keeps 0). */
const WORKER_NICE = 10;

yieldToMainThread();
const holder = new ScanBuffer();
warmUpParser();

/**
 * Lowers this thread's scheduling priority (Linux: a thread id from /proc/thread-self is a valid
 * target of setpriority). The main thread writes what the workers read; on a machine with as many
 * cores as threads it must not wait for a core behind them, or the workers end up waiting for it.
 * Elsewhere, or when refused, nothing changes.
 */
function yieldToMainThread(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, WORKER_NICE);
  } catch {
    // No /proc (not Linux) or not allowed: keep the default priority.
  }
}

parentPort?.on('message', (msg: { tasks: ScanTask[] }) => {
  const results = msg.tasks.map((task) => scanRange(task, holder));
  const packed = packRecords(results.flatMap((r) => r.records));
  const counts = results.map((r) => r.records.length);
  for (const r of results) r.records = [];
  parentPort?.postMessage({ results, counts, packed }, [packed.numbers.buffer as ArrayBuffer]);
});
