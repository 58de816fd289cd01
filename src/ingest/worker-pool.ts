/**
 * A worker thread for a large cold read, with this thread scanning beside it. Jobs are split into
 * newline-aligned byte ranges (big files into several) and queued largest first: the worker pulls
 * from the front, this thread takes the smallest from the back between writing the worker's
 * results. On two cores that keeps both busy with one thread each: two workers beside this thread
 * made three threads for two cores, and a cold read of 1 GB took longer (1.77 s against 1.73 s,
 * medians of 5 rounds) with more CPU time (worker start-up, handing records over) and 15-20 MB
 * more memory. Falls back to this thread alone when the compiled worker is absent.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { ReadJob } from './read-jobs.js';
import { raiseOptimisationBudget } from './heap-growth.js';
import { scanRange, ScanBuffer, type ScanResult, type ScanTask } from './scan.js';
import { unpackRecords, type PackedRecords } from './record-codec.js';

/** Below this many new bytes, starting threads costs more than it saves. */
export const WORKER_THRESHOLD_BYTES = 48 * 1024 * 1024;
const WORKERS = 1;
/** Files larger than this are split into ranges of about this size. */
const RANGE_BYTES = 32 * 1024 * 1024;

interface Slot {
  job: ReadJob;
  parts: (ScanResult | undefined)[];
  /** The next range to hand over: ranges go out in file order. */
  next: number;
}

/** Groups not yet sent to a worker, and their bytes; `failed` once handling a result threw. */
interface Queue {
  groups: QueuedTask[][];
  bytes: number;
  failed: boolean;
}

interface QueuedTask {
  slot: number;
  part: number;
  task: ScanTask;
  bytes: number;
}

/**
 * The compiled worker beside this module: the bundle's single CommonJS file, else (dist/lib, as
 * tsc compiles it) the ES module. Running from source there is neither.
 */
const workerUrls = [new URL('./scan-worker.cjs', import.meta.url), new URL('./scan-worker.js', import.meta.url)];

/** Small ranges travel together, so a worker is not idle between tiny files. */
const GROUP_BYTES = 4 * 1024 * 1024;
const GROUP_TASKS = 64;

/**
 * The scan worker, started as soon as a run knows it will need it (while it still plans, so its
 * start-up overlaps that work). Null when the compiled worker is absent (running from source).
 */
export class ScanPool {
  private constructor(
    private readonly workers: Worker[],
    private readonly restoreBudget: () => void,
  ) {}

  /** Starts the workers; null when there is no compiled worker to start. */
  static start(): ScanPool | null {
    const workerUrl = workerUrls.find((url) => existsSync(fileURLToPath(url)));
    if (workerUrl === undefined) return null;
    // Loaded here, not with this module: a run with nothing to read never pays for threads.
    const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    // Put back when the pool closes, before the run ends.
    const restoreBudget = raiseOptimisationBudget();
    // A larger young generation: parsing makes many short-lived objects, fewer scavenges pay off.
    return new ScanPool(
      Array.from(
        { length: WORKERS },
        () => new Worker(workerUrl, { resourceLimits: { maxYoungGenerationSizeMb: 48 } }),
      ),
      restoreBudget,
    );
  }

  /**
   * Scans every job; `onPart` gets each job's ranges in file order as soon as they can follow. Ends
   * the workers. When `onPart` throws (a database write failed), the promise rejects with that error.
   */
  async run(jobs: ReadJob[], onPart: (job: ReadJob, part: ScanResult, last: boolean) => void): Promise<void> {
    const { tasks, done } = plan(jobs, onPart);
    const groups = groupTasks(tasks);
    const queue: Queue = { groups, bytes: groups.reduce((n, g) => n + groupBytes(g), 0), failed: false };
    try {
      await Promise.all([...this.workers.map((w) => drain(w, queue, done)), drainHere(queue, done)]);
    } finally {
      this.close();
    }
  }

  /** Ends the workers (a run that turned out too small for them, or one that is over). */
  close(): void {
    for (const w of this.workers) void w.terminate();
    this.restoreBudget();
  }
}

/** Scans every job on this thread (no compiled worker), in the same order of results. */
export function runHere(jobs: ReadJob[], onPart: (job: ReadJob, part: ScanResult, last: boolean) => void): void {
  const { tasks, done } = plan(jobs, onPart);
  const holder = new ScanBuffer();
  for (const t of tasks) done(t, scanRange(t.task, holder));
}

/** Splits jobs into ranges; `done` hands each job's ranges to `onPart` in file order. */
function plan(
  jobs: ReadJob[],
  onPart: (job: ReadJob, part: ScanResult, last: boolean) => void,
): { tasks: QueuedTask[]; done: (t: QueuedTask, r: ScanResult) => void } {
  const slots: Slot[] = [];
  const tasks: QueuedTask[] = [];
  for (const job of jobs) {
    const size = job.stat.size;
    const count = Math.max(1, Math.ceil((size - job.start) / RANGE_BYTES));
    const slot = slots.push({ job, parts: new Array<ScanResult | undefined>(count).fill(undefined), next: 0 }) - 1;
    for (let k = 0; k < count; k++) {
      const start = job.start + k * RANGE_BYTES;
      const end = k === count - 1 ? size : start + RANGE_BYTES;
      const task: ScanTask = { path: job.row.path, start, end, limit: size, align: k > 0 };
      tasks.push({ slot, part: k, task, bytes: end - start });
    }
  }
  const done = (t: QueuedTask, result: ScanResult): void => {
    const slot = slots[t.slot]!;
    slot.parts[t.part] = result;
    for (let part = slot.parts[slot.next]; part !== undefined; part = slot.parts[slot.next]) {
      slot.parts[slot.next] = undefined; // hand over once, then let it be collected
      slot.next++;
      onPart(slot.job, part, slot.next === slot.parts.length);
    }
  };
  return { tasks, done };
}

/** Largest first (the worker takes from the front, this thread from the back), small ones packed into groups. */
function groupTasks(tasks: QueuedTask[]): QueuedTask[][] {
  tasks.sort((a, b) => b.bytes - a.bytes);
  const groups: QueuedTask[][] = [];
  let current: QueuedTask[] = [];
  let bytes = 0;
  for (const t of tasks) {
    if (current.length > 0 && (bytes + t.bytes > GROUP_BYTES || current.length >= GROUP_TASKS)) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(t);
    bytes += t.bytes;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * Bytes of groups a worker holds at once. Plenty while the queue is long, so a worker never runs
 * dry while this thread writes a batch; less as the queue empties, so neither worker is left with
 * a long tail of its own while the other has nothing (held groups cannot move to the other one).
 */
const MAX_IN_FLIGHT_BYTES = 96 * 1024 * 1024;
const MIN_IN_FLIGHT_BYTES = 8 * 1024 * 1024;
function inFlightBytes(queuedBytes: number): number {
  return Math.max(MIN_IN_FLIGHT_BYTES, Math.min(MAX_IN_FLIGHT_BYTES, queuedBytes / 4));
}

const groupBytes = (group: QueuedTask[]): number => group.reduce((n, t) => n + t.bytes, 0);

/**
 * One worker pulls groups until the queue is empty. Results are handled (written) inside the
 * 'message' listener, where a throw would be uncaught and end the process: it rejects instead, and
 * this thread and the workers stop taking or handling groups.
 */
function drain(worker: Worker, queue: Queue, done: (t: QueuedTask, r: ScanResult) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const sent: QueuedTask[][] = [];
    let held = 0;
    const fill = (): void => {
      // Always at least one group; more while the bytes held stay under the budget.
      while (queue.groups.length > 0 && (sent.length === 0 || held < inFlightBytes(queue.bytes))) {
        const group = queue.groups.shift()!;
        const bytes = groupBytes(group);
        queue.bytes -= bytes;
        held += bytes;
        sent.push(group);
        worker.postMessage({ tasks: group.map((t) => t.task) });
      }
    };
    const receive = (msg: { results: ScanResult[]; counts: number[]; packed: PackedRecords }): void => {
      const group = sent.shift();
      if (group !== undefined) held -= groupBytes(group);
      fill();
      const records = unpackRecords(msg.packed);
      let at = 0;
      group?.forEach((t, i) => {
        const result = msg.results[i]!;
        const n = msg.counts[i] ?? 0;
        result.records = records.slice(at, at + n);
        at += n;
        done(t, result);
      });
      if (sent.length === 0) resolvePromise();
    };
    worker.on('message', (msg: { results: ScanResult[]; counts: number[]; packed: PackedRecords }) => {
      if (queue.failed) return;
      try {
        receive(msg);
      } catch (err) {
        queue.failed = true;
        queue.groups = [];
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    worker.on('error', (err) => {
      queue.failed = true;
      reject(err);
    });
    fill();
    if (sent.length === 0) resolvePromise();
  });
}

/**
 * This thread scans too: one group at a time from the back of the queue (the smallest), yielding
 * between groups so the worker's results are written as they come. A group that throws while its
 * results are handled (a database write failed) rejects, and everyone stops.
 */
function drainHere(queue: Queue, done: (t: QueuedTask, r: ScanResult) => void): Promise<void> {
  const holder = new ScanBuffer();
  return new Promise((resolvePromise, reject) => {
    const step = (): void => {
      const group = queue.failed ? undefined : queue.groups.pop();
      if (group === undefined) {
        resolvePromise();
        return;
      }
      queue.bytes -= groupBytes(group);
      try {
        for (const t of group) done(t, scanRange(t.task, holder));
      } catch (err) {
        queue.failed = true;
        queue.groups = [];
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      setImmediate(step);
    };
    setImmediate(step);
  });
}
