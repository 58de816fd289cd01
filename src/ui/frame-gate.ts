/**
 * Clean redraws after a resize. Ink redraws a frame by erasing as many lines as the last frame
 * had, which is wrong once the terminal has re-wrapped or scrolled that frame at another size:
 * stale lines stay on screen. The gate wraps the stream Ink writes to: after a size change, every
 * frame starts from a cleared screen until one frame fits the new size, after which Ink's own
 * line erasing is right again. Meant for the alternate screen, which the dashboard owns whole.
 */

/** Clear the screen, cursor to the top left. */
export const CLEAR_SCREEN = '\u001b[2J\u001b[H';

export interface TerminalSize {
  columns: number;
  rows: number;
}

const CONTROL = /\u001b\[[0-9;?<>=]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[()][0-9A-Za-z]|\r/g;

/** True when `frame` (as written, with its trailing newline) fits `size` without wrapping or scrolling. */
export function frameFits(frame: string, size: TerminalSize): boolean {
  const lines = frame.replace(CONTROL, '').split('\n');
  // The line after the last newline is where the cursor rests: it needs a row too.
  if (lines.length > size.rows) return false;
  return lines.every((l) => Array.from(l).length <= size.columns);
}

/**
 * A filter for the text written to the terminal: returns what to write instead of `data`.
 * `size` reads the terminal's current size.
 */
export function createFrameGate(size: () => TerminalSize): (data: string) => string {
  let drawn = size();
  let dirty = false;
  return (data) => {
    const now = size();
    if (now.columns !== drawn.columns || now.rows !== drawn.rows) {
      drawn = now;
      dirty = true;
    }
    // Only frames (multi-line writes) are redrawn; cursor moves and colour resets pass through.
    if (!dirty || !data.includes('\n')) return data;
    if (frameFits(data, now)) dirty = false;
    return CLEAR_SCREEN + data;
  };
}

/** `stdout` with its writes passed through `filter`; everything else (size, events, isTTY) is the stream's own. */
export function filteredStream(stdout: NodeJS.WriteStream, filter: (data: string) => string): NodeJS.WriteStream {
  const write = (chunk: unknown, ...rest: unknown[]): boolean =>
    (stdout.write as (c: unknown, ...r: unknown[]) => boolean)(
      typeof chunk === 'string' ? filter(chunk) : chunk,
      ...rest,
    );
  return new Proxy(stdout, {
    get(target, prop) {
      if (prop === 'write') return write;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
