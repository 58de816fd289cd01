/**
 * Worker thread body: scans the groups of byte ranges it is sent with one reused buffer and
 * posts the results back, their request copies packed (see record-codec.ts); prompt and response
 * text never leave the scanner.
 */
import { parentPort } from 'node:worker_threads';
import { scanRange, ScanBuffer, type ScanTask } from './scan.js';
import { packRecords } from './record-codec.js';
import { warmUpParser } from './warm-up.js';

const holder = new ScanBuffer();
warmUpParser();

parentPort?.on('message', (msg: { tasks: ScanTask[] }) => {
  const results = msg.tasks.map((task) => scanRange(task, holder));
  const packed = packRecords(results.flatMap((r) => r.records));
  const counts = results.map((r) => r.records.length);
  for (const r of results) r.records = [];
  parentPort?.postMessage({ results, counts, packed }, [packed.numbers.buffer as ArrayBuffer]);
});
