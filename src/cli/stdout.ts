/**
 * Writes to standard output without creating `process.stdout`: setting up that stream costs about
 * 5 ms (its module graph), which commands that print one text and exit (the status line, `ingest`,
 * `status`, `report`) need not pay. A pipe whose reader has gone, or a closed stdout, ends the
 * writing quietly; a full non-blocking pipe hands the rest, and every later write, to the stream,
 * so the order of what is printed holds.
 */
import { fstatSync, writeSync } from 'node:fs';
import { wrapText } from '../output/wrap.js';
import { escapeControls } from '../domain/escape-controls.js';

export type Write = (text: string) => void;

let viaStream = false;
let sink: Write | null = null;

export function writeStdout(text: string): void {
  if (sink !== null) return sink(text);
  if (viaStream) {
    process.stdout.write(text);
    return;
  }
  const bytes = Buffer.from(text, 'utf8');
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(1, bytes, done);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EPIPE' || code === 'EBADF') return;
    if (code !== 'EAGAIN') throw err;
    viaStream = true;
    // The stream's own error, once its reader has gone, would end the process with a stack trace.
    passOverGoneOutput();
    process.stdout.write(bytes.subarray(done));
  }
}

/** Errors of an output whose reader or terminal has gone: a closed pipe, a closed terminal, a closed descriptor. */
const GONE = new Set(['EPIPE', 'EIO', 'ENXIO', 'EBADF', 'ERR_STREAM_DESTROYED']);

/**
 * Passes over the errors of stdout and stderr once their reader or terminal has gone, where the
 * stream's error event would end the process with a stack trace; `onStdoutGone` is told of stdout's.
 */
export function passOverGoneOutput(onStdoutGone?: () => void): void {
  const passOver = (err: NodeJS.ErrnoException): void => {
    if (!GONE.has(err.code ?? '')) throw err;
  };
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    passOver(err);
    onStdoutGone?.();
  });
  process.stderr.on('error', passOver);
}

/**
 * Writes through `process.stdout` for a process that runs on (the receiver): once the reader of
 * its output has gone (`serve | head -1`, a log shipper restarting) or stdout was closed, what it
 * would print is dropped and the process goes on. Its warnings on stderr (`serve 2>&1 | head`) alike.
 */
export function lastingStdout(): Write {
  let gone = false;
  passOverGoneOutput(() => (gone = true));
  return (text) => {
    if (sink !== null) return sink(text);
    if (!gone && !process.stdout.destroyed) process.stdout.write(text);
  };
}

/** Sends what writeStdout is given to `next` instead (the in-process test runner); null restores it. */
export function redirectStdout(next: Write | null): void {
  sink = next;
}

/**
 * The terminal's columns when standard output is one, else undefined (a pipe, a file, the
 * in-process test runner). A terminal is a character device: anything else is answered by one
 * `fstat`, without creating `process.stdout` or loading `node:tty` (about 4 ms here).
 */
export function terminalColumns(): number | undefined {
  if (sink !== null) return undefined;
  try {
    if (!fstatSync(1).isCharacterDevice()) return undefined;
  } catch {
    return undefined;
  }
  return process.stdout.isTTY ? process.stdout.columns : undefined;
}

/**
 * An error for stderr, ending with a newline: on a terminal, each of its lines broken between
 * words (the terminal itself breaks a long sentence mid-word), the lines after the first indented.
 * A control character in it (a path typed with an escape sequence) shows as `\u{1b}`, never runs.
 */
export function errorText(text: string, columns = process.stderr.isTTY ? process.stderr.columns : undefined): string {
  return `${wrapText(escapeControls(text, LINE_BREAK), columns, '  ')}\n`;
}

const LINE_BREAK: ReadonlySet<string> = new Set(['\n']);
