/**
 * Writes to standard output without creating `process.stdout`: setting up that stream costs about
 * 5 ms (its module graph), which the status line and `ingest`'s short way, which print one text
 * and exit, do not pay. A pipe whose reader has gone, or a closed stdout, ends the writing quietly.
 */
import { writeSync } from 'node:fs';

export type Write = (text: string) => void;

export function writeStdout(text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(1, bytes, done);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EPIPE' || code === 'EBADF') return;
    // A non-blocking pipe that is full: the stream waits for it.
    if (code === 'EAGAIN') process.stdout.write(bytes.subarray(done));
    else throw err;
  }
}
