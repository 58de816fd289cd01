/**
 * Buffered, synchronous writer for a generated config root. Counts files, bytes and lines as it
 * writes, so the manifest's size figures are known without reading anything back.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

const BUFFER_BYTES = 1 << 20;
/** Buffers of closed files, reused by the next ones (a few files are open at a time). */
const spare: Buffer[] = [];

/** One open transcript file. */
export class LineFile {
  // Lines are encoded straight into one reused buffer: the encoder's byte count is the size.
  private readonly buffer = spare.pop() ?? Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
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
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit.
    if (this.used + line.length * 3 + 1 > BUFFER_BYTES) this.flush();
    let size: number;
    if (line.length * 3 + 1 > BUFFER_BYTES) {
      size = this.fd === null ? 0 : writeSync(this.fd, line + '\n');
    } else {
      size = this.buffer.write(line, this.used, 'utf8') + 1;
      this.buffer[this.used + size - 1] = 0x0a;
      this.used += size;
    }
    this.bytes += size;
    this.lines++;
    this.counter.bytes += size;
    this.counter.lines++;
    if (size > this.counter.largestLine) this.counter.largestLine = size;
  }

  private flush(): void {
    if (this.fd === null || this.used === 0) return;
    let done = 0;
    while (done < this.used) done += writeSync(this.fd, this.buffer, done, this.used - done);
    this.used = 0;
  }

  close(): void {
    if (this.fd === null) return;
    this.flush();
    closeSync(this.fd);
    this.fd = null;
    spare.push(this.buffer);
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
