/**
 * Worker thread body: scans the groups of byte ranges it is sent with one reused buffer and
 * posts the results back (request copies and counts; prompt and response text never leave it).
 */
import { parentPort } from 'node:worker_threads';
import { scanRange, ScanBuffer, type ScanTask } from './scan.js';

const holder = new ScanBuffer();

parentPort?.on('message', (msg: { tasks: ScanTask[] }) => {
  const results = msg.tasks.map((task) => scanRange(task, holder));
  parentPort?.postMessage({ results });
});
