/**
 * Worker thread body: scans the byte ranges it is sent with one reused buffer and posts each
 * result back (records as plain objects; prompt and response text never leave the scanner).
 */
import { parentPort } from 'node:worker_threads';
import { scanRange, ScanBuffer, type ScanTask } from './scan.js';

const holder = new ScanBuffer();

parentPort?.on('message', (msg: { id: number; task: ScanTask }) => {
  const result = scanRange(msg.task, holder);
  parentPort?.postMessage({ id: msg.id, result });
});
