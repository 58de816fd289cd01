/**
 * Cheap byte tests for `"key":"value"` pairs in raw JSONL, without decoding or parsing. JSON
 * allows whitespace around the colon (`"type": "queue-operation"`, as Python's json.dumps
 * writes), so the value is searched first and the key then checked before it, skipping spaces.
 */

const COLON = 58;
const QUOTE = 34;

/** JSON whitespace that can occur inside one line (a newline ends the line). */
function isSpace(b: number | undefined): boolean {
  return b === 32 || b === 9 || b === 13;
}

/**
 * Whether `key` (quotes included), optional whitespace, a colon and optional whitespace end just
 * before `at`, all at or after `from` (the line start: the test never reaches into another line).
 */
export function keyBefore(view: Buffer, at: number, key: Buffer, from: number): boolean {
  return keyStartBefore(view, at, key, from) >= 0;
}

/** Where the `key` that keyBefore finds before `at` starts (its opening quote); -1 when none. */
export function keyStartBefore(view: Buffer, at: number, key: Buffer, from: number): number {
  let p = at - 1;
  while (p >= from && isSpace(view[p])) p--;
  if (p < from || view[p] !== COLON) return -1;
  p--;
  while (p >= from && isSpace(view[p])) p--;
  const start = p + 1 - key.length;
  return start >= from && view.compare(key, 0, key.length, start, p + 1) === 0 ? start : -1;
}

/** Whether `view` holds `value` (quotes included) as the value of `key`, from `from` on. */
export function hasPair(view: Buffer, key: Buffer, value: Buffer, from = 0): boolean {
  for (let at = view.indexOf(value, from + key.length + 1); at !== -1; at = view.indexOf(value, at + 1)) {
    if (keyBefore(view, at, key, from)) return true;
  }
  return false;
}

const BACKSLASH = 92;

/**
 * How deep places of one line lie in its JSON (1: a key or value of the line's own object, 2 and
 * more: of an object or list nested in it; -1 inside a string), asked in order along the line:
 * each question scans on from where the last one stopped, so a line with many candidates is
 * scanned once. Strings, their escapes included, are passed over, so quoted braces do not count.
 */
export class DepthScan {
  private p: number;
  private depth = 0;
  private inString = false;

  constructor(
    private readonly view: Buffer,
    lineStart: number,
  ) {
    this.p = lineStart;
  }

  /** The depth at `at` (at or after the place asked before). */
  at(at: number): number {
    const v = this.view;
    let p = this.p;
    let depth = this.depth;
    let inString = this.inString;
    while (p < at) {
      const b = v[p];
      if (inString) {
        // An escape's second byte is text: it may carry the scan past `at`, which is then in the string.
        if (b === BACKSLASH) p += 2;
        else {
          if (b === QUOTE) inString = false;
          p++;
        }
        continue;
      }
      if (b === QUOTE) inString = true;
      else if (b === 123 || b === 91) depth++;
      else if (b === 125 || b === 93) depth--;
      p++;
    }
    this.p = p;
    this.depth = depth;
    this.inString = inString;
    return inString ? -1 : depth;
  }
}

/**
 * hasPair for a pair of the line's own object only (`lineStart` opens the line; the search ends
 * at `end`): a `"type"` or `"promptSource"` inside an attachment, a tool's input or its result is
 * no signal of the line's. One scan of the line, however many candidates it holds.
 */
export function hasTopLevelPair(
  view: Buffer,
  key: Buffer,
  value: Buffer,
  lineStart: number,
  end = view.length,
): boolean {
  const within = end === view.length ? view : view.subarray(0, end);
  let depth: DepthScan | null = null;
  for (let at = within.indexOf(value, lineStart + key.length + 1); at !== -1; at = within.indexOf(value, at + 1)) {
    const keyAt = keyStartBefore(within, at, key, lineStart);
    if (keyAt < 0) continue;
    depth ??= new DepthScan(within, lineStart);
    if (depth.at(keyAt) === 1) return true;
  }
  return false;
}

/**
 * The non-empty string values of `key` in `view` (keys inside nested objects included), in order;
 * a value longer than `maxLength` bytes is passed over. `key` includes its quotes.
 */
export function* stringValues(view: Buffer, key: Buffer, maxLength: number): Generator<string> {
  for (let at = view.indexOf(key); at !== -1; at = view.indexOf(key, at + key.length)) {
    let p = at + key.length;
    while (isSpace(view[p])) p++;
    if (view[p] !== COLON) continue;
    p++;
    while (isSpace(view[p])) p++;
    if (view[p] !== QUOTE) continue;
    const s = p + 1;
    const e = view.indexOf(QUOTE, s);
    if (e === -1) return;
    if (e === s || e - s > maxLength) continue;
    yield view.toString('utf8', s, e);
  }
}
