/**
 * Buffered, synchronous writer for a generated config root. Counts files, bytes and lines as it
 * writes, so the manifest's size figures are known without reading anything back.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

const FLUSH_BYTES = 1 << 20;

/** One open transcript file. */
export class LineFile {
  private chunks: string[] = [];
  private pending = 0;
  private fd: number | null;
  bytes = 0;
  lines = 0;

  constructor(
    readonly path: string,
    private readonly counter: TreeCounter,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
    counter.files++;
  }

  /** Appends one JSON line (the newline is added here). */
  write(line: string): void {
    const size = Buffer.byteLength(line) + 1;
    this.chunks.push(line, '\n');
    this.pending += size;
    this.bytes += size;
    this.lines++;
    this.counter.bytes += size;
    this.counter.lines++;
    if (size > this.counter.largestLine) this.counter.largestLine = size;
    if (this.pending >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (this.fd === null || this.chunks.length === 0) return;
    writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.pending = 0;
  }

  close(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** Running size totals of everything written. */
export interface TreeCounter {
  files: number;
  bytes: number;
  lines: number;
  largestLine: number;
}

export function newCounter(): TreeCounter {
  return { files: 0, bytes: 0, lines: 0, largestLine: 0 };
}

/** The project folder name Claude Code uses for a cwd (lossy; never decoded). */
export function encodeCwd(cwd: string): string {
  return cwd.replace(/[/\\:.]/g, '-');
}
